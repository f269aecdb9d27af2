import type { SourceTable } from './source-table.ts';

/** The source's own change sequence, shared by every table and the tombstones. */
export const changeSequence = 'public.source_change_seq';
/** One row per deleted source row, written by a trigger: what the extractor propagates. */
export const deletesTable = 'public._deletes';
/** One row per applied batch (the base files, then each day), so a batch is applied once and in order. */
export const appliedBatchesTable = 'public._applied_batches';

/** The marker columns every source row carries; never read from a file. */
export const changeMarkerColumns = ['_change_seq', '_changed_at', '_change_xid'] as const;

function markTable(spec: SourceTable): string[] {
  const table = `public.${spec.table}`;
  return [
    `ALTER TABLE ${table}
  ADD COLUMN IF NOT EXISTS _change_seq bigint,
  ADD COLUMN IF NOT EXISTS _changed_at timestamptz,
  ADD COLUMN IF NOT EXISTS _change_xid xid8`,
    `CREATE OR REPLACE TRIGGER ${spec.table}_change_marker BEFORE INSERT OR UPDATE ON ${table}
  FOR EACH ROW EXECUTE FUNCTION public.set_change_marker()`,
    `CREATE OR REPLACE TRIGGER ${spec.table}_record_delete AFTER DELETE ON ${table}
  FOR EACH ROW EXECUTE FUNCTION public.record_delete('${spec.table}', '${spec.key}')`,
    // Rows written before the markers existed get theirs now (the trigger sets them).
    `UPDATE ${table} SET _change_seq = NULL WHERE _change_seq IS NULL`,
    `CREATE INDEX IF NOT EXISTS ${spec.table}_change_xid_idx ON ${table} (_change_xid)`,
    `CREATE INDEX IF NOT EXISTS ${spec.table}_changed_at_idx ON ${table} (_changed_at)`,
  ];
}

/**
 * Version 4: change markers set by the source itself when a row is written (a trigger, as an
 * application's database would): `_change_seq` from one sequence, `_changed_at` (clock time) and
 * `_change_xid` (the writing transaction, which lets the extractor bound its cursor exactly);
 * delete tombstones in `public._deletes`; the ledger of applied batches.
 */
export function changeMarkerStatements(tables: readonly SourceTable[]): string[] {
  return [
    `CREATE SEQUENCE IF NOT EXISTS ${changeSequence}`,
    `CREATE OR REPLACE FUNCTION public.set_change_marker() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW._change_seq := nextval('${changeSequence}');
  NEW._changed_at := clock_timestamp();
  NEW._change_xid := pg_current_xact_id();
  RETURN NEW;
END $$`,
    `CREATE TABLE IF NOT EXISTS ${deletesTable} (
  stream text NOT NULL,
  key text NOT NULL,
  _change_seq bigint NOT NULL DEFAULT nextval('${changeSequence}'),
  _changed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  _change_xid xid8 NOT NULL DEFAULT pg_current_xact_id()
)`,
    `CREATE INDEX IF NOT EXISTS _deletes_change_xid_idx ON ${deletesTable} (_change_xid)`,
    `CREATE INDEX IF NOT EXISTS _deletes_stream_key_idx ON ${deletesTable} (stream, key)`,
    `CREATE OR REPLACE FUNCTION public.record_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO ${deletesTable} (stream, key) VALUES (TG_ARGV[0], to_jsonb(OLD) ->> TG_ARGV[1]);
  RETURN OLD;
END $$`,
    `CREATE TABLE IF NOT EXISTS ${appliedBatchesTable} (
  data_set text NOT NULL,
  batch text NOT NULL,
  manifest_sha256 text,
  applied_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (data_set, batch)
)`,
    ...tables.flatMap(markTable),
  ];
}

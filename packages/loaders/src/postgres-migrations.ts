import { changeMarkerStatements } from './change-marker-migration.ts';
import { ruleSql } from './column-rule.ts';
import { sqlType, type SourceTable } from './source-table.ts';
import { usersTable } from './users-table.ts';
import { viewingSessionsTable } from './viewing-sessions-table.ts';

/** One step of the source schema's history; statements are idempotent so a half-known layout converges. */
export interface PostgresMigration {
  readonly version: number;
  readonly name: string;
  readonly statements: readonly string[];
}

/** The table that records which migrations ran. */
export const schemaVersionTable = 'public.loaders_schema_version';

function columnCheckName(spec: SourceTable, column: string): string {
  return `${spec.table}_${column}_check`;
}

/** Re-creates one column's CHECK from its current rule, after the contract changed it. */
function recreateColumnCheck(spec: SourceTable, name: string): string {
  const column = spec.columns.find((c) => c.name === name);
  const expression = column === undefined ? null : ruleSql(column.name, column.rule);
  if (expression === null) throw new Error(`no rule to check for ${spec.table}.${name}`);
  const constraint = columnCheckName(spec, name);
  return `ALTER TABLE public.${spec.table} DROP CONSTRAINT IF EXISTS ${constraint}, ADD CONSTRAINT ${constraint} CHECK (${expression})`;
}

function createTable(spec: SourceTable): string {
  const columns = spec.columns.map((column) => {
    const key = column.name === spec.key ? ' PRIMARY KEY' : '';
    const nullability = column.nullable || key !== '' ? '' : ' NOT NULL';
    // Named like PostgreSQL's own default, so later migrations can address them.
    const expression = ruleSql(column.name, column.rule);
    const check =
      expression === null
        ? ''
        : ` CONSTRAINT ${columnCheckName(spec, column.name)} CHECK (${expression})`;
    return `  ${column.name} ${sqlType(column.type)}${key}${nullability}${check}`;
  });
  const checks = Object.entries(spec.tableChecks).map(
    ([name, expression]) => `  CONSTRAINT ${name} CHECK (${expression})`,
  );
  return `CREATE TABLE IF NOT EXISTS public.${spec.table} (\n${[...columns, ...checks].join(',\n')}\n)`;
}

/**
 * The source schema's migrations in order. Version 1 is the first released layout (tables and a
 * bare rejects table); version 2 adds reject details and the `updated_at` cursor indexes;
 * version 3 follows the contract's wider price range (local minor units such as KRW or COP);
 * version 4 adds the source-maintained change markers, delete tombstones and the batch ledger.
 */
export const postgresMigrations: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'source_tables',
    statements: [
      createTable(usersTable),
      createTable(viewingSessionsTable),
      `CREATE TABLE IF NOT EXISTS public.load_rejects (
  id bigserial PRIMARY KEY,
  file text NOT NULL,
  line integer NOT NULL,
  raw_text text NOT NULL,
  reason text NOT NULL,
  rejected_at timestamptz NOT NULL DEFAULT now()
)`,
    ],
  },
  {
    version: 2,
    name: 'reject_details_and_cursor_indexes',
    statements: [
      `ALTER TABLE public.load_rejects
  ADD COLUMN IF NOT EXISTS load_id text,
  ADD COLUMN IF NOT EXISTS gate text,
  ADD COLUMN IF NOT EXISTS error_code text,
  ADD COLUMN IF NOT EXISTS field text`,
      `UPDATE public.load_rejects SET load_id = coalesce(load_id, 'before_v2'), gate = coalesce(gate, 'parse'), error_code = coalesce(error_code, 'unknown')`,
      `ALTER TABLE public.load_rejects
  ALTER COLUMN load_id SET NOT NULL,
  ALTER COLUMN gate SET NOT NULL,
  ALTER COLUMN error_code SET NOT NULL`,
      `DO $$ BEGIN
  ALTER TABLE public.load_rejects ADD CONSTRAINT load_rejects_gate_check CHECK (gate IN ('parse', 'contract'));
EXCEPTION WHEN duplicate_object THEN NULL;
END $$`,
      'CREATE INDEX IF NOT EXISTS load_rejects_file_line_idx ON public.load_rejects (file, line)',
      'CREATE INDEX IF NOT EXISTS users_updated_at_idx ON public.users (updated_at)',
      'CREATE INDEX IF NOT EXISTS viewing_sessions_updated_at_idx ON public.viewing_sessions (updated_at)',
    ],
  },
  {
    version: 3,
    name: 'price_in_local_minor_units',
    statements: [recreateColumnCheck(usersTable, 'monthly_price_cents')],
  },
  {
    version: 4,
    name: 'change_markers_tombstones_and_batch_ledger',
    statements: changeMarkerStatements([usersTable, viewingSessionsTable]),
  },
];

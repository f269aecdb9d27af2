import { ReelhouseError, classifyError, type Logger } from '@reelhouse/core';
import pg from 'pg';

import {
  analyzeAfterBulkLoad,
  dropIndexesForBulkLoad,
  dropPlainIndexesOfEmptyTable,
} from './bulk-load-indexes.ts';
import { copyBetween } from './copy-between.ts';
import { parseCursor, postgresCursor, type PostgresCursor } from './change-cursor.ts';
import { cursorTextSql } from './cursor-value.ts';
import type { StreamLoadReport } from './extract-report.ts';
import { holdConnection, type HeldConnection } from './held-connection.ts';
import { appendHistory, mergeChanges } from './merge-changes.ts';
import { planSourceColumns, type ColumnPlan } from './plan-source-columns.ts';
import type { PostgresStream } from './postgres-stream.ts';
import { readFingerprint, requireReconciled } from './reconcile.ts';
import { runStreamLoad, type StreamLoadContext, type StreamLoadResult } from './stream-load.ts';
import { readTableColumns } from './table-columns.ts';

export interface ExtractPostgresStreamOptions {
  readonly spec: PostgresStream;
  readonly source: pg.Pool;
  readonly warehouse: pg.Pool;
  readonly fullRefresh: boolean;
  readonly signal: AbortSignal | undefined;
  readonly logger: Logger;
  /** Text COPY even when binary would fit: for the benchmark that compares both. */
  readonly forceTextCopy?: boolean;
  /** Also reread rows the source changed this long before the last load's snapshot (default 0: the transaction bound is exact). */
  readonly lookbackSeconds?: number;
}

const quote = pg.escapeIdentifier;

async function planColumns(
  spec: PostgresStream,
  connections: { source: pg.ClientBase; warehouse: pg.ClientBase },
): Promise<ColumnPlan> {
  const source = await readTableColumns(connections.source, spec.sourceTable);
  if (source === null) {
    throw new ReelhouseError({
      code: 'not_found',
      message: `stream ${spec.stream}: source table ${spec.sourceTable} does not exist`,
      context: { stream: spec.stream, table: spec.sourceTable },
    });
  }
  const raw = (await readTableColumns(connections.warehouse, spec.rawTable)) ?? [];
  return planSourceColumns(spec, { source, raw });
}

/** The snapshot this load reads in, and its time: the next load's cursor. */
async function readSnapshotCursor(client: pg.ClientBase): Promise<PostgresCursor> {
  const result = await client.query<{ snapshot: string; at: string }>(
    `select pg_current_snapshot()::text as snapshot, ${cursorTextSql('clock_timestamp()')} as at`,
  );
  const row = result.rows[0];
  if (row === undefined) throw new Error('no snapshot row');
  return { snapshot: row.snapshot, at: row.at };
}

/**
 * Rows changed since the cursor: written by a transaction the last load's snapshot could not see
 * (the index on `_change_xid` serves the range from its xmin), widened by the lookback if set.
 */
function changedSince(cursor: PostgresCursor | null, lookbackSeconds: number): string {
  if (cursor === null) return '';
  const snapshot = `'${cursor.snapshot}'::pg_snapshot`;
  const byXid = `(_change_xid >= pg_snapshot_xmin(${snapshot}) and not pg_visible_in_snapshot(_change_xid, ${snapshot}))`;
  if (lookbackSeconds <= 0) return `where ${byXid}`;
  return `where ${byXid} or _changed_at >= '${cursor.at}'::timestamptz - interval '${lookbackSeconds} seconds'`;
}

async function copyStream(
  context: StreamLoadContext,
  facts: {
    spec: PostgresStream;
    source: HeldConnection;
    plan: ColumnPlan;
    lookbackSeconds: number;
  },
): Promise<StreamLoadResult> {
  const { spec, source, plan } = facts;
  const { client } = context;
  for (const column of plan.added) {
    await client.query(
      `alter table ${spec.rawTable} add column if not exists ${quote(column.name)} ${column.type}`,
    );
  }
  // The history keeps every column raw has (nullable there: tombstones carry only the key).
  const historyTable = `${spec.rawTable}__history`;
  const inHistory = new Set(
    ((await readTableColumns(client, historyTable)) ?? []).map((column) => column.name),
  );
  for (const column of plan.columns.filter((c) => !inHistory.has(c.name)))
    await client.query(
      `alter table ${historyTable} add column ${quote(column.name)} ${column.type}`,
    );
  const names = plan.columns.map((column) => column.name);
  const list = [...names, '_change_seq', '_changed_at'].map(quote).join(', ');
  const from = parseCursor(postgresCursor, context.cursorFrom);
  const where = changedSince(
    context.disposition === 'replace' ? null : from,
    facts.lookbackSeconds,
  );
  const format = plan.binary ? '(format binary)' : '';
  // Repeatable read: the cursor, the rows, the tombstones and the fingerprint come from one snapshot.
  await source.client.query('begin isolation level repeatable read read only');
  const cursorTo = await readSnapshotCursor(source.client);
  if (context.disposition === 'replace') await client.query(`truncate ${spec.rawTable}`);
  const rebuildIndexes =
    context.disposition === 'replace' ? await dropIndexesForBulkLoad(client, spec.rawTable) : [];
  const stage = `pg_temp.${quote(`stage_${spec.stream}`)}`;
  const tombstones = `pg_temp.${quote(`stage_${spec.stream}__deletes`)}`;
  const target = context.disposition === 'replace' ? spec.rawTable : stage;
  if (context.disposition !== 'replace')
    await client.query(`create temp table ${stage} (like ${spec.rawTable}) on commit drop`);
  await client.query(
    `create temp table ${tombstones} (key text not null, _change_seq bigint not null, _changed_at timestamptz not null, _load_id uuid not null, _extracted_at timestamptz not null) on commit drop`,
  );
  const stamp = `'${context.loadId}'::uuid, '${context.extractedAt}'::timestamptz`;
  context.logger.debug(
    { stream: spec.stream, binary: plan.binary, cursorFrom: context.cursorFrom },
    'copy started',
  );
  const copied = await copyBetween({
    source: source.client,
    target: client,
    copyOut: `copy (select ${list}, ${stamp} from ${spec.sourceTable} ${where}) to stdout ${format}`,
    copyIn: `copy ${target} (${list}, _load_id, _extracted_at) from stdin ${format}`,
    signal: context.signal,
  });
  const tombstoneWhere = where === '' ? '' : `and (${where.slice('where '.length)})`;
  await copyBetween({
    source: source.client,
    target: client,
    copyOut: `copy (select key, _change_seq, _changed_at, ${stamp} from public._deletes where stream = '${spec.stream}' ${tombstoneWhere}) to stdout`,
    copyIn: `copy ${tombstones} (key, _change_seq, _changed_at, _load_id, _extracted_at) from stdin`,
    signal: context.signal,
  });
  const sourceFingerprint = await readFingerprint(source.client, {
    table: spec.sourceTable,
    key: spec.key,
  });
  await source.client.query('commit');
  let counts: { inserted: number; updated: number; deleted: number };
  if (context.disposition === 'replace') {
    // A duplicated key fails here, and the load's transaction rolls back with the old contents.
    for (const statement of rebuildIndexes) await client.query(statement);
    counts = { inserted: copied, updated: 0, deleted: 0 };
  } else {
    await client.query(`analyze ${stage}`);
    counts = await mergeChanges(client, { spec, rows: stage, tombstones, columns: names });
  }
  const rebuildHistoryIndexes = await dropPlainIndexesOfEmptyTable(client, historyTable);
  const history = await appendHistory(client, {
    spec,
    rows: context.disposition === 'replace' ? spec.rawTable : stage,
    tombstones,
    columns: names,
  });
  for (const statement of rebuildHistoryIndexes) await client.query(statement);
  if (context.disposition === 'replace')
    await analyzeAfterBulkLoad(client, [spec.rawTable, `${spec.rawTable}__history`]);
  requireReconciled({
    stream: spec.stream,
    source: spec.sourceTable,
    raw: spec.rawTable,
    key: spec.key,
    sourceFingerprint,
    rawFingerprint: await readFingerprint(client, { table: spec.rawTable, key: spec.key }),
  });
  return {
    rowsExtracted: copied,
    rowsInserted: counts.inserted,
    rowsUpdated: counts.updated,
    // A tombstone new to the history is a change even when raw had no row to remove.
    rowsDeleted: Math.max(counts.deleted, history.tombstones),
    cursorTo: JSON.stringify(cursorTo),
    details: {
      binaryCopy: plan.binary,
      historyVersions: history.versions,
      tombstones: history.tombstones,
      reconciled: sourceFingerprint,
    },
  };
}

/**
 * Lands one PostgreSQL source table in `raw`: rows with `updated_at >=` the saved cursor (all of
 * them on a full refresh) are piped COPY to COPY into staging, then merged on the key, or
 * replace the table on a full refresh; all in the stream's one warehouse transaction.
 */
export async function extractPostgresStream(
  options: ExtractPostgresStreamOptions,
): Promise<StreamLoadReport> {
  const { spec, logger } = options;
  return runStreamLoad({
    warehouse: options.warehouse,
    stream: spec.stream,
    source: `postgres:${spec.sourceTable}`,
    cursorColumn: spec.cursorColumn,
    fullRefresh: options.fullRefresh,
    signal: options.signal,
    logger,
    load: async (context) => {
      const source = await holdConnection(options.source, {
        context: { stream: spec.stream, database: 'source' },
        logger,
      }).catch((error: unknown) => {
        const failure = classifyError(error);
        throw new ReelhouseError({
          code: failure.code,
          message: `stream ${spec.stream}: source PostgreSQL unreachable: ${failure.message}`,
          retryable: failure.retryable,
          context: { ...failure.context, stream: spec.stream, database: 'source' },
          cause: error,
        });
      });
      const stopListening = source.stopOnAbort(options.signal);
      try {
        const planned = await planColumns(spec, {
          source: source.client,
          warehouse: context.client,
        });
        const plan = options.forceTextCopy === true ? { ...planned, binary: false } : planned;
        context.warnings.push(...plan.warnings);
        for (const warning of plan.warnings) logger.warn({ stream: spec.stream }, warning);
        const result = await copyStream(context, {
          spec,
          source,
          plan,
          lookbackSeconds: options.lookbackSeconds ?? 0,
        });
        stopListening();
        await source.release({ discard: false });
        return result;
      } catch (error) {
        stopListening();
        await source.release({ discard: true });
        throw error;
      }
    },
  });
}

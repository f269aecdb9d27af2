import { ReelhouseError, classifyError, type Logger } from '@reelhouse/core';
import pg from 'pg';

import { dropIndexesForBulkLoad } from './bulk-load-indexes.ts';
import { copyBetween } from './copy-between.ts';
import { cursorLiteral, cursorTextSql } from './cursor-value.ts';
import type { StreamLoadReport } from './extract-report.ts';
import { holdConnection, type HeldConnection } from './held-connection.ts';
import { mergeStagedRows } from './merge-staged-rows.ts';
import { planSourceColumns, type ColumnPlan } from './plan-source-columns.ts';
import type { PostgresStream } from './postgres-stream.ts';
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

/** Reads the batch's highest cursor in the snapshot the COPY then reads, as full-precision text. */
async function readCursorTo(
  client: pg.ClientBase,
  query: { spec: PostgresStream; where: string },
): Promise<string | null> {
  const column = quote(query.spec.cursorColumn);
  const result = await client.query<{ cursor: string | null }>(
    `select ${cursorTextSql(`max(${column})`)} as cursor from ${query.spec.sourceTable} ${query.where}`,
  );
  return result.rows[0]?.cursor ?? null;
}

async function copyStream(
  context: StreamLoadContext,
  facts: { spec: PostgresStream; source: HeldConnection; plan: ColumnPlan },
): Promise<StreamLoadResult> {
  const { spec, source, plan } = facts;
  const { client } = context;
  for (const column of plan.added) {
    await client.query(
      `alter table ${spec.rawTable} add column if not exists ${quote(column.name)} ${column.type}`,
    );
  }
  const names = plan.columns.map((column) => column.name);
  const list = names.map(quote).join(', ');
  const where =
    context.cursorFrom === null
      ? ''
      : `where ${quote(spec.cursorColumn)} >= ${cursorLiteral(context.cursorFrom, spec.stream)}`;
  const format = plan.binary ? '(format binary)' : '';
  // Repeatable read: the cursor read first and the rows copied next come from one snapshot.
  await source.client.query('begin isolation level repeatable read read only');
  const cursorTo = await readCursorTo(source.client, { spec, where });
  // Truncate inside the load's transaction: readers see the old contents until the new ones commit.
  if (context.disposition === 'replace') await client.query(`truncate ${spec.rawTable}`);
  if (cursorTo === null) {
    await source.client.query('commit');
    return { rowsExtracted: 0, rowsInserted: 0, rowsUpdated: 0, cursorTo: null };
  }
  const rebuildIndexes =
    context.disposition === 'replace' ? await dropIndexesForBulkLoad(client, spec.rawTable) : [];
  const target =
    context.disposition === 'replace' ? spec.rawTable : `pg_temp.${quote(`stage_${spec.stream}`)}`;
  if (context.disposition !== 'replace')
    await client.query(`create temp table ${target} (like ${spec.rawTable}) on commit drop`);
  const copyOut = `copy (select ${list}, '${context.loadId}'::uuid, '${context.extractedAt}'::timestamptz from ${spec.sourceTable} ${where}) to stdout ${format}`;
  const copyIn = `copy ${target} (${list}, _load_id, _extracted_at) from stdin ${format}`;
  context.logger.debug(
    { stream: spec.stream, binary: plan.binary, cursorFrom: context.cursorFrom },
    'copy started',
  );
  const copied = await copyBetween({
    source: source.client,
    target: client,
    copyOut,
    copyIn,
    signal: context.signal,
  });
  await source.client.query('commit');
  if (context.disposition === 'replace') {
    // A duplicated key fails here, and the load's transaction rolls back with the old contents.
    for (const statement of rebuildIndexes) await client.query(statement);
    return { rowsExtracted: copied, rowsInserted: copied, rowsUpdated: 0, cursorTo };
  }
  const merged = await mergeStagedRows(client, {
    target: spec.rawTable,
    staging: target,
    key: spec.key,
    columns: names,
    cursorColumn: spec.cursorColumn,
  });
  return {
    rowsExtracted: copied,
    rowsInserted: merged.inserted,
    rowsUpdated: merged.updated,
    cursorTo,
    details: { binaryCopy: plan.binary },
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
        const result = await copyStream(context, { spec, source, plan });
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

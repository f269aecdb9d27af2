import { randomUUID } from 'node:crypto';

import { classifyError, ReelhouseError, type Logger } from '@reelhouse/core';
import type { RawRejectedRowsTable, WriteDisposition } from '@reelhouse/warehouse';
import type { Insertable } from 'kysely';
import type pg from 'pg';

import type { StreamLoadReport } from './extract-report.ts';
import { holdConnection } from './held-connection.ts';
import { recordLoad, recordRejectedRows } from './load-ledger.ts';
import type { StreamName } from './stream-name.ts';
import { readCursor, saveCursor } from './stream-state.ts';

/** What a stream's loader gets: the warehouse transaction and the facts of this load. */
export interface StreamLoadContext {
  /** Warehouse client with the load's transaction open; everything written through it commits or rolls back together. */
  readonly client: pg.PoolClient;
  readonly loadId: string;
  /** ISO timestamp stamped on every row as `_extracted_at`. */
  readonly extractedAt: string;
  /** Read rows with cursor column `>=` this value; `null` reads everything (first load or full refresh). */
  readonly cursorFrom: string | null;
  readonly disposition: WriteDisposition;
  readonly signal: AbortSignal | undefined;
  readonly logger: Logger;
  /** Schema drift and other notes; they land in the ledger row and the report. */
  readonly warnings: string[];
}

/** What a stream's loader did; `cursorTo` is `null` when it read no rows (the cursor stays). */
export interface StreamLoadResult {
  readonly rowsExtracted: number;
  readonly rowsInserted: number;
  readonly rowsUpdated: number;
  /** Rows removed from the current table, or tombstones new to the history (default 0). */
  readonly rowsDeleted?: number;
  readonly cursorTo: string | null;
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface StreamLoadOptions {
  readonly warehouse: pg.Pool;
  readonly stream: StreamName;
  /** Where the rows come from, for the ledger: `postgres:public.users`, `mongodb:streaming.content`. */
  readonly source: string;
  readonly cursorColumn: string;
  readonly fullRefresh: boolean;
  readonly signal: AbortSignal | undefined;
  readonly logger: Logger;
  readonly load: (context: StreamLoadContext) => Promise<StreamLoadResult>;
}

/** A load failure may carry the records it refused; they are kept after the rollback. */
export interface RejectedRecords {
  readonly rejectedRows: readonly Omit<Insertable<RawRejectedRowsTable>, 'load_id'>[];
}

function rejectedRecordsOf(error: ReelhouseError): RejectedRecords['rejectedRows'] {
  const rows = error.context['rejectedRows'];
  return Array.isArray(rows) ? (rows as RejectedRecords['rejectedRows']) : [];
}

function failureOf(error: unknown, options: StreamLoadOptions): ReelhouseError {
  const context = { stream: options.stream, source: options.source };
  if (options.signal?.aborted === true) {
    return new ReelhouseError({
      code: 'aborted',
      message: `stream ${options.stream}: load aborted, nothing committed`,
      retryable: false,
      context,
      cause: error,
    });
  }
  const classified = classifyError(error, context);
  if (classified.message.startsWith(`stream ${options.stream}:`)) return classified;
  return new ReelhouseError({
    code: classified.code,
    message: `stream ${options.stream}: ${classified.message}`,
    retryable: classified.retryable,
    context: { ...classified.context, ...context },
    cause: error,
  });
}

/**
 * Runs one stream's load in one warehouse transaction: the data, the cursor advance and the
 * ledger row commit together, and a failure or an abort leaves `raw` and `raw._state` as they were
 * (a `failed` ledger row is written after the rollback).
 */
export async function runStreamLoad(options: StreamLoadOptions): Promise<StreamLoadReport> {
  const { stream, logger } = options;
  const loadId = randomUUID();
  const startedAt = new Date();
  const disposition: WriteDisposition = options.fullRefresh ? 'replace' : 'merge';
  const warnings: string[] = [];
  let cursorFrom: string | null = null;
  if (options.signal?.aborted === true) throw failureOf(options.signal.reason, options);
  const held = await holdConnection(options.warehouse, {
    context: { stream, database: 'warehouse' },
    logger,
  });
  const stopListening = held.stopOnAbort(options.signal);
  try {
    await held.client.query('begin');
    // One load per stream at a time: a second one waits instead of racing on the cursor.
    await held.client.query('select pg_advisory_xact_lock(hashtext($1))', [
      `reelhouse.raw.load.${stream}`,
    ]);
    cursorFrom = options.fullRefresh ? null : await readCursor(held.client, stream);
    const extractedAt = startedAt.toISOString();
    const context = {
      client: held.client,
      loadId,
      extractedAt,
      cursorFrom,
      disposition,
      signal: options.signal,
      logger,
      warnings,
    };
    const result = await options.load(context);
    const cursorTo = result.cursorTo ?? cursorFrom;
    if (cursorTo !== null) {
      await saveCursor(held.client, {
        stream,
        cursor_column: options.cursorColumn,
        cursor_value: cursorTo,
        load_id: loadId,
        updated_at: new Date(),
      });
    }
    const finishedAt = new Date();
    const report = succeededReport({
      stream,
      loadId,
      disposition,
      result,
      cursorFrom,
      cursorTo,
      durationMs: finishedAt.getTime() - startedAt.getTime(),
      warnings,
    });
    await recordLoad(held.client, {
      load_id: loadId,
      stream,
      source: options.source,
      status: 'succeeded',
      disposition,
      started_at: startedAt,
      finished_at: finishedAt,
      rows_extracted: result.rowsExtracted,
      rows_inserted: result.rowsInserted,
      rows_updated: result.rowsUpdated,
      rows_deleted: result.rowsDeleted ?? 0,
      rows_rejected: 0,
      cursor_from: cursorFrom,
      cursor_to: cursorTo,
      error: null,
      warnings,
    });
    await held.client.query('commit');
    stopListening();
    await held.release({ discard: false });
    logger.info(
      {
        stream,
        loadId,
        rowsExtracted: report.rowsExtracted,
        rowsInserted: report.rowsInserted,
        rowsUpdated: report.rowsUpdated,
        rowsDeleted: report.rowsDeleted,
        cursorTo,
      },
      'stream loaded',
    );
    return report;
  } catch (error) {
    stopListening();
    // Discarding the connection rolls the transaction back on the server, whatever state the client is in.
    await held.release({ discard: true });
    const failure = failureOf(error, options);
    await recordFailure({ options, failure, loadId, startedAt, disposition, cursorFrom, warnings });
    logger.error(
      { stream, loadId, code: failure.code, error: failure.message },
      'stream load failed',
    );
    throw failure;
  }
}

function succeededReport(facts: {
  stream: StreamName;
  loadId: string;
  disposition: WriteDisposition;
  result: StreamLoadResult;
  cursorFrom: string | null;
  cursorTo: string | null;
  durationMs: number;
  warnings: readonly string[];
}): StreamLoadReport {
  const { result } = facts;
  return {
    step: `extract:${facts.stream}`,
    stream: facts.stream,
    loadId: facts.loadId,
    status: 'succeeded',
    disposition: facts.disposition,
    rowsRead: result.rowsExtracted,
    rowsWritten: result.rowsInserted + result.rowsUpdated + (result.rowsDeleted ?? 0),
    rowsRejected: 0,
    rowsExtracted: result.rowsExtracted,
    rowsInserted: result.rowsInserted,
    rowsUpdated: result.rowsUpdated,
    rowsDeleted: result.rowsDeleted ?? 0,
    cursorFrom: facts.cursorFrom,
    cursorTo: facts.cursorTo,
    durationMs: facts.durationMs,
    warnings: facts.warnings,
    ...(result.details === undefined ? {} : { details: result.details }),
  };
}

async function recordFailure(facts: {
  options: StreamLoadOptions;
  failure: ReelhouseError;
  loadId: string;
  startedAt: Date;
  disposition: WriteDisposition;
  cursorFrom: string | null;
  warnings: readonly string[];
}): Promise<void> {
  const { options, failure, loadId } = facts;
  const rejected = rejectedRecordsOf(failure);
  try {
    await recordLoad(options.warehouse, {
      load_id: loadId,
      stream: options.stream,
      source: options.source,
      status: 'failed',
      disposition: facts.disposition,
      started_at: facts.startedAt,
      finished_at: new Date(),
      rows_extracted: 0,
      rows_inserted: 0,
      rows_updated: 0,
      rows_deleted: 0,
      rows_rejected: rejected.length,
      cursor_from: facts.cursorFrom,
      cursor_to: null,
      error: `${failure.code}: ${failure.message}`,
      warnings: facts.warnings,
    });
    await recordRejectedRows(
      options.warehouse,
      rejected.map((row) => ({ ...row, load_id: loadId })),
    );
  } catch (error) {
    // The warehouse itself may be what failed: the thrown error still tells the caller.
    options.logger.warn(
      { stream: options.stream, loadId, error: String(error) },
      'could not record the failed load',
    );
  }
}

import { ReelhouseError, silentLogger, type Logger } from '@reelhouse/core';
import type { Db } from 'mongodb';
import type pg from 'pg';
import { z } from 'zod';

import { ensureRawTables } from './ensure-raw-tables.ts';
import { extractContentStream } from './extract-content-stream.ts';
import { extractPostgresStream } from './extract-postgres-stream.ts';
import type { ExtractReport, StreamLoadReport } from './extract-report.ts';
import { usersStream, viewingSessionsStream } from './postgres-stream.ts';
import { streamNames, type StreamName } from './stream-name.ts';

export interface ExtractOptions {
  /** The PostgreSQL source (tables `public.users`, `public.viewing_sessions`). */
  readonly source: pg.Pool;
  /** The MongoDB database holding the collection `content`. */
  readonly mongo: Db;
  readonly warehouse: pg.Pool;
  /** Default: every stream. */
  readonly streams?: readonly StreamName[];
  /** Replace instead of merge: `true` for every stream, or a list of streams. */
  readonly fullRefresh?: boolean | readonly StreamName[];
  /** Documents per MongoDB batch and staging COPY of the content stream; default 500. */
  readonly contentBatchSize?: number;
  /**
   * Also reread what the source changed this many seconds before the last load (default 0). The
   * PostgreSQL cursor is exact without it (the writing transaction bounds it); the MongoDB one is
   * exact while one loader writes at a time, which a lookback covers beyond.
   */
  readonly lookbackSeconds?: number;
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
}

const streamList = z.array(z.enum(streamNames)).min(1);
const selection = z.strictObject({
  streams: streamList.optional(),
  fullRefresh: z.union([z.boolean(), z.array(z.enum(streamNames))]).optional(),
  contentBatchSize: z.int().min(1).max(100_000).optional(),
  lookbackSeconds: z
    .int()
    .min(0)
    .max(30 * 86_400)
    .optional(),
});

function parseSelection(options: ExtractOptions): z.output<typeof selection> {
  const parsed = selection.safeParse({
    streams: options.streams,
    fullRefresh: options.fullRefresh,
    contentBatchSize: options.contentBatchSize,
    lookbackSeconds: options.lookbackSeconds,
  });
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  throw new ReelhouseError({
    code: 'invalid_input',
    message: `extractToWarehouse: ${problems.join('; ')}`,
    context: { step: 'extract_to_warehouse', problems },
  });
}

/**
 * Extracts the selected streams (in the order users, viewing_sessions, content) into `raw`, each
 * in its own transaction; stops at the first stream that fails and throws its error (streams
 * loaded before it stay committed).
 */
export async function extractToWarehouse(options: ExtractOptions): Promise<ExtractReport> {
  const startedAt = Date.now();
  const logger = (options.logger ?? silentLogger).child({ step: 'extract_to_warehouse' });
  const chosen = parseSelection(options);
  const wanted = new Set(chosen.streams ?? streamNames);
  const refresh = (stream: StreamName) =>
    Array.isArray(chosen.fullRefresh)
      ? chosen.fullRefresh.includes(stream)
      : chosen.fullRefresh === true;
  await ensureRawTables(options.warehouse);
  const reports: StreamLoadReport[] = [];
  for (const stream of streamNames.filter((name) => wanted.has(name))) {
    const common = {
      warehouse: options.warehouse,
      fullRefresh: refresh(stream),
      lookbackSeconds: chosen.lookbackSeconds ?? 0,
      signal: options.signal,
      logger: logger.child({ stream }),
    };
    switch (stream) {
      case 'users':
        reports.push(
          await extractPostgresStream({ ...common, spec: usersStream, source: options.source }),
        );
        break;
      case 'viewing_sessions':
        reports.push(
          await extractPostgresStream({
            ...common,
            spec: viewingSessionsStream,
            source: options.source,
          }),
        );
        break;
      case 'content':
        reports.push(
          await extractContentStream({
            ...common,
            mongo: options.mongo,
            batchSize: chosen.contentBatchSize ?? 500,
          }),
        );
        break;
    }
  }
  return {
    step: 'extract_to_warehouse',
    rowsRead: reports.reduce((sum, report) => sum + report.rowsRead, 0),
    rowsWritten: reports.reduce((sum, report) => sum + report.rowsWritten, 0),
    rowsRejected: reports.reduce((sum, report) => sum + report.rowsRejected, 0),
    durationMs: Date.now() - startedAt,
    warnings: reports.flatMap((report) => report.warnings),
    streams: reports,
    details: Object.fromEntries(
      reports.map((report) => [
        report.stream,
        { loadId: report.loadId, cursorTo: report.cursorTo },
      ]),
    ),
  };
}

import { ReelhouseError, silentLogger, type Logger } from '@reelhouse/core';
import type { Db } from 'mongodb';
import type pg from 'pg';
import { z } from 'zod';

import { ensureRawTables } from './ensure-raw-tables.ts';
import type { ContentReadPlan } from './content-read-plan.ts';
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
  /** How an incremental content extract reads MongoDB; default: by server (`ContentReadPlan`). */
  readonly contentReadPlan?: ContentReadPlan;
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
  contentReadPlan: z.enum(['indexed', 'single_pass']).optional(),
});

function parseSelection(options: ExtractOptions): z.output<typeof selection> {
  const parsed = selection.safeParse({
    streams: options.streams,
    fullRefresh: options.fullRefresh,
    contentBatchSize: options.contentBatchSize,
    lookbackSeconds: options.lookbackSeconds,
    contentReadPlan: options.contentReadPlan,
  });
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  throw new ReelhouseError({
    code: 'invalid_input',
    message: `extractToWarehouse: ${problems.join('; ')}`,
    context: { step: 'extract_to_warehouse', problems },
  });
}

/** Streams of a lane are extracted one after another; the lanes run at the same time. */
const extractionLanes: readonly (readonly StreamName[])[] = [
  ['users', 'viewing_sessions'],
  ['content'],
];

/**
 * Extracts the selected streams into `raw`, each in its own transaction, in two lanes at once:
 * users then viewing_sessions from PostgreSQL, and content from MongoDB. users goes before
 * viewing_sessions, so a user version is never extracted after the sessions that follow it (the
 * fact's watermark relies on it). Within a lane, a stream that fails stops the streams after it;
 * the other lane finishes, and the first failure in stream order is thrown. Streams loaded stay
 * committed. The lanes overlap because FerretDB can only read the whole catalogue for the content
 * stream's reconciliation (seconds, on its own CPU) while PostgreSQL does the sessions' work.
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
  const extractStream = (stream: StreamName): Promise<StreamLoadReport> => {
    const common = {
      warehouse: options.warehouse,
      fullRefresh: refresh(stream),
      lookbackSeconds: chosen.lookbackSeconds ?? 0,
      signal: options.signal,
      logger: logger.child({ stream }),
    };
    switch (stream) {
      case 'users':
        return extractPostgresStream({ ...common, spec: usersStream, source: options.source });
      case 'viewing_sessions':
        return extractPostgresStream({
          ...common,
          spec: viewingSessionsStream,
          source: options.source,
        });
      case 'content':
        return extractContentStream({
          ...common,
          mongo: options.mongo,
          batchSize: chosen.contentBatchSize ?? 500,
          ...(chosen.contentReadPlan === undefined ? {} : { readPlan: chosen.contentReadPlan }),
        });
    }
  };
  const outcomes = new Map<StreamName, PromiseSettledResult<StreamLoadReport>>();
  const runLane = async (lane: readonly StreamName[]) => {
    for (const stream of lane.filter((name) => wanted.has(name))) {
      const outcome = await extractStream(stream).then(
        (value) => ({ status: 'fulfilled', value }) as const,
        (reason: unknown) => ({ status: 'rejected', reason }) as const,
      );
      outcomes.set(stream, outcome);
      if (outcome.status === 'rejected') return;
    }
  };
  await Promise.all(extractionLanes.map(runLane));
  const reports: StreamLoadReport[] = [];
  for (const stream of streamNames) {
    const outcome = outcomes.get(stream);
    if (outcome?.status === 'rejected') throw outcome.reason;
    if (outcome !== undefined) reports.push(outcome.value);
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

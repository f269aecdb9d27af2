import { randomUUID } from 'node:crypto';
import type pg from 'pg';

import { combineReports, silentLogger, type Logger, type StepReport } from '@reelhouse/core';

import { loadCsvFile } from './load-csv-file.ts';
import { usersTable } from './users-table.ts';
import { viewingSessionsTable } from './viewing-sessions-table.ts';

export interface LoadCsvsToPostgresOptions {
  /** The data-set folder holding `users.csv` and `viewing_sessions.csv`. */
  readonly dataDir: string;
  /** Share of a file's data lines that may be rejected before the file fails (default 0.05). */
  readonly maxRejectRate?: number;
  /** Bytes read from disk at a time (default 256 KiB). */
  readonly readChunkBytes?: number;
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
}

/**
 * Loads `users.csv` then `viewing_sessions.csv` into the source tables, each file atomically,
 * its bad lines quarantined in `public.load_rejects` with line number, raw text and reason.
 */
export async function loadCsvsToPostgres(
  pool: pg.Pool,
  options: LoadCsvsToPostgresOptions,
): Promise<StepReport> {
  const logger = options.logger ?? silentLogger;
  const loadId = randomUUID();
  const reports: StepReport[] = [];
  for (const spec of [usersTable, viewingSessionsTable]) {
    reports.push(
      await loadCsvFile(pool, {
        dataDir: options.dataDir,
        spec,
        loadId,
        maxRejectRate: options.maxRejectRate ?? 0.05,
        readChunkBytes: options.readChunkBytes ?? 1 << 18,
        signal: options.signal,
        logger: logger.child({ task: 'load_csvs_to_postgres', file: spec.file, loadId }),
      }),
    );
  }
  const combined = combineReports('load_csvs_to_postgres', reports);
  return { ...combined, details: { ...combined.details, loadId } };
}

import { randomUUID } from 'node:crypto';
import type pg from 'pg';

import { defaultPlausibilityPolicy, type PlausibilityPolicy } from '@reelhouse/contracts';
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
  /** Load a file with a header and no data lines instead of failing (default false: `--allow-empty`). */
  readonly allowEmpty?: boolean;
  /** How the contracts' plausibility rules apply (default: every rule rejects, 24 h tolerance). */
  readonly plausibility?: PlausibilityPolicy;
  /** The instant future timestamps are measured from (default: now). */
  readonly now?: Date;
  /** Longest line read as a record (default 1 MiB of characters); longer ones are quarantined. */
  readonly maxLineChars?: number;
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
  const now = options.now ?? new Date();
  const reports: StepReport[] = [];
  for (const spec of [usersTable, viewingSessionsTable]) {
    reports.push(
      await loadCsvFile(pool, {
        dataDir: options.dataDir,
        spec,
        loadId,
        maxRejectRate: options.maxRejectRate ?? 0.05,
        readChunkBytes: options.readChunkBytes ?? 1 << 18,
        allowEmpty: options.allowEmpty ?? false,
        plausibility: { policy: options.plausibility ?? defaultPlausibilityPolicy, now },
        maxLineChars: options.maxLineChars,
        signal: options.signal,
        logger: logger.child({ task: 'load_csvs_to_postgres', file: spec.file, loadId }),
      }),
    );
  }
  const combined = combineReports('load_csvs_to_postgres', reports);
  return { ...combined, details: { ...combined.details, loadId } };
}

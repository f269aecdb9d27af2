import { join } from 'node:path';
import type pg from 'pg';

import { classifyError, ReelhouseError, type Logger, type StepReport } from '@reelhouse/core';

import { cancelOnAbort } from './cancel-on-abort.ts';
import { CopySink } from './copy-sink.ts';
import type { CsvReject } from './csv-reject.ts';
import type { KeyFingerprintSet } from './key-fingerprint-set.ts';
import { mergeStagedRows, type MergeCounts } from './merge-staged-rows.ts';
import { replaceLoadRejects } from './replace-load-rejects.ts';
import { resolveDuplicateSuspects } from './resolve-duplicate-suspects.ts';
import { scanCsvFile, type CsvScan } from './scan-csv-file.ts';
import type { SourceTable } from './source-table.ts';

export interface LoadCsvFileOptions {
  readonly dataDir: string;
  readonly spec: SourceTable;
  readonly loadId: string;
  readonly maxRejectRate: number;
  readonly readChunkBytes: number;
  /** Where the duplicate gate keeps keys; default a fresh full-width set per file. */
  readonly keys?: KeyFingerprintSet | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly logger: Logger;
}

/** How a file's good rows reached the table: straight COPY into an empty table, or staging + merge. */
export type CsvLoadMode = 'copy_into_empty' | 'merge';

function thresholdError(spec: SourceTable, scan: CsvScan, maxRejectRate: number): ReelhouseError {
  const rate = scan.rejects.length / Math.max(scan.dataLines, 1);
  const first = scan.rejects.slice(0, 5);
  const lines = first.map((r: CsvReject) => `line ${r.line} (${r.reason})`).join('; ');
  return new ReelhouseError({
    code: 'reject_threshold_exceeded',
    message: `${spec.file}: ${scan.rejects.length} of ${scan.dataLines} lines rejected (${(rate * 100).toFixed(2)}% > ${(maxRejectRate * 100).toFixed(2)}%); nothing loaded from it. First bad lines: ${lines}`,
    context: {
      file: spec.file,
      rejected: scan.rejects.length,
      lines: scan.dataLines,
      firstBadLines: first.map((r) => ({ line: r.line, reason: r.reason })),
    },
  });
}

export async function copyAndMerge(
  client: pg.PoolClient,
  options: LoadCsvFileOptions,
): Promise<{ scan: CsvScan; counts: MergeCounts; mode: CsvLoadMode }> {
  const { spec } = options;
  // Concurrent loads of one table queue here; readers are not blocked.
  await client.query(`LOCK TABLE public.${spec.table} IN SHARE ROW EXCLUSIVE MODE`);
  const probe = await client.query<{ empty: boolean }>(
    `SELECT NOT EXISTS (SELECT 1 FROM public.${spec.table}) AS empty`,
  );
  const mode: CsvLoadMode = probe.rows[0]?.empty === true ? 'copy_into_empty' : 'merge';
  const staging = `${spec.table}_staging`;
  if (mode === 'merge')
    await client.query(
      `CREATE TEMP TABLE ${staging} (LIKE public.${spec.table} INCLUDING DEFAULTS) ON COMMIT DROP`,
    );
  const names = spec.columns.map((column) => column.name);
  const nullable = spec.columns.filter((column) => column.nullable).map((column) => column.name);
  const target = mode === 'merge' ? staging : `public.${spec.table}`;
  // FORCE_NULL makes a quoted "" NULL as well, as the contract reads an empty cell.
  const forceNull = nullable.length === 0 ? '' : `, FORCE_NULL (${nullable.join(', ')})`;
  const copySql = `COPY ${target} (${names.join(', ')}) FROM STDIN WITH (FORMAT csv${forceNull})`;
  const sink = new CopySink(client, copySql);
  let pass: CsvScan;
  try {
    pass = await scanCsvFile({
      path: join(options.dataDir, spec.file),
      spec,
      sink,
      readChunkBytes: options.readChunkBytes,
      keys: options.keys,
      signal: options.signal,
      logger: options.logger,
    });
    await sink.finish(options.signal);
  } catch (error) {
    sink.abort(error);
    throw error;
  }
  const { duplicates, reload } = await resolveDuplicateSuspects(client, {
    spec,
    target,
    suspects: pass.suspects,
  });
  if (reload.length > 0) {
    // Fingerprint collisions, not duplicates: these lines are good and go in after all.
    const again = new CopySink(client, copySql);
    for (const suspect of reload) again.add(suspect.rawText);
    await again.finish(options.signal).catch((error: unknown) => {
      again.abort(error);
      throw error;
    });
  }
  const scan: CsvScan = {
    ...pass,
    accepted: pass.accepted + reload.length,
    rejects: [...pass.rejects, ...duplicates].sort((a, b) => a.line - b.line),
    suspects: [],
  };
  if (scan.rejects.length > options.maxRejectRate * scan.dataLines)
    throw thresholdError(spec, scan, options.maxRejectRate);
  const counts =
    mode === 'merge'
      ? await mergeStagedRows(client, { spec, staging })
      : { inserted: scan.accepted, updated: 0 };
  await replaceLoadRejects(client, {
    file: spec.file,
    loadId: options.loadId,
    rejects: scan.rejects,
  });
  return { scan, counts, mode };
}

/**
 * Loads one CSV file into its source table in a single transaction: every good line or none,
 * rejects recorded beside them; an abort, a killed connection or too many rejects change nothing.
 */
export async function loadCsvFile(pool: pg.Pool, options: LoadCsvFileOptions): Promise<StepReport> {
  const { spec, logger } = options;
  const started = performance.now();
  options.signal?.throwIfAborted();
  const client = await pool.connect();
  let broken: Error | undefined;
  // A killed connection is reported on the client too; without a listener it would crash the process.
  const onClientError = (error: Error) => {
    broken ??= error;
  };
  client.on('error', onClientError);
  let stopCancelling = () => undefined as void;
  try {
    const pid = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    stopCancelling = cancelOnAbort(pool, pid.rows[0]?.pid ?? 0, options.signal);
    await client.query('BEGIN');
    const { scan, counts, mode } = await copyAndMerge(client, options);
    options.signal?.throwIfAborted();
    await client.query('COMMIT');
    const unchanged = scan.accepted - counts.inserted - counts.updated;
    logger.info(
      {
        file: spec.file,
        mode,
        lines: scan.dataLines,
        ...counts,
        unchanged,
        rejected: scan.rejects.length,
      },
      'file loaded',
    );
    return {
      step: `load_${spec.table}`,
      rowsRead: scan.dataLines,
      rowsWritten: counts.inserted + counts.updated,
      rowsRejected: scan.rejects.length,
      durationMs: performance.now() - started,
      warnings:
        scan.rejects.length === 0
          ? []
          : [`${spec.file}: ${scan.rejects.length} lines quarantined in public.load_rejects`],
      details: {
        file: spec.file,
        mode,
        accepted: scan.accepted,
        inserted: counts.inserted,
        updated: counts.updated,
        unchanged,
      },
    };
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    if (options.signal?.aborted === true) {
      throw new ReelhouseError({
        code: 'aborted',
        message: `${spec.file}: load aborted; the table is unchanged`,
        context: { file: spec.file },
        cause: error,
      });
    }
    throw classifyError(error, { file: spec.file, task: 'load_csvs_to_postgres' });
  } finally {
    stopCancelling();
    client.off('error', onClientError);
    // A connection whose COPY or rollback failed is not given back to the pool.
    client.release(broken);
  }
}

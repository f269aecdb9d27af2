import { join } from 'node:path';
import type pg from 'pg';

import { defaultPlausibilityPolicy, type PlausibilityPolicy } from '@reelhouse/contracts';
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
import { PlausibilityWarnings } from './plausibility-gate.ts';

export interface LoadCsvFileOptions {
  readonly dataDir: string;
  readonly spec: SourceTable;
  readonly loadId: string;
  readonly maxRejectRate: number;
  readonly readChunkBytes: number;
  /** Where the duplicate gate keeps keys; default a fresh full-width set per file. */
  readonly keys?: KeyFingerprintSet | undefined;
  /** Load a file without data lines instead of failing (`--allow-empty`). */
  readonly allowEmpty?: boolean | undefined;
  /** The plausibility rules and the instant "the future" starts from (tests fix it). */
  readonly plausibility?: { readonly policy: PlausibilityPolicy; readonly now: Date } | undefined;
  readonly maxLineChars?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly logger: Logger;
}

/** How a file's good rows reached the table: straight COPY into an empty table, or staging + merge. */
export type CsvLoadMode = 'copy_into_empty' | 'merge';

function thresholdError(
  spec: SourceTable,
  scan: CsvScan,
  options: { maxRejectRate: number; loadId: string },
): ReelhouseError {
  const rate = scan.rejects.length / Math.max(scan.dataLines, 1);
  const first = scan.rejects.slice(0, 5);
  const lines = first.map((r: CsvReject) => `line ${r.line} (${r.reason})`).join('; ');
  return new ReelhouseError({
    code: 'reject_threshold_exceeded',
    message: `${spec.file}: ${scan.rejects.length} of ${scan.dataLines} lines rejected (${(rate * 100).toFixed(2)}% > ${(options.maxRejectRate * 100).toFixed(2)}%); nothing loaded from it, the table is unchanged. All ${scan.rejects.length} rejects with their reasons are in public.load_rejects (file '${spec.file}', load_id '${options.loadId}'). First: ${lines}`,
    context: {
      file: spec.file,
      rejected: scan.rejects.length,
      lines: scan.dataLines,
      loadId: options.loadId,
      firstBadLines: first.map((r) => ({ line: r.line, reason: r.reason })),
    },
  });
}

function emptyError(spec: SourceTable): ReelhouseError {
  return new ReelhouseError({
    code: 'file_malformed',
    message: `${spec.file}: the file has a header but no data lines; loading it would leave public.${spec.table} empty. Pass --allow-empty (allowEmpty) to load an empty source on purpose`,
    context: { file: spec.file, line: 2 },
  });
}

/** What the transaction found: a loaded file, or a scan over the reject limit (rolled back). */
type CopyOutcome =
  | {
      readonly kind: 'loaded';
      readonly scan: CsvScan;
      readonly counts: MergeCounts;
      readonly mode: CsvLoadMode;
    }
  | { readonly kind: 'over_threshold'; readonly scan: CsvScan };

async function copyAndMerge(
  client: pg.PoolClient,
  options: LoadCsvFileOptions,
  warnings: PlausibilityWarnings,
): Promise<CopyOutcome> {
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
      plausibility: {
        policy: options.plausibility?.policy ?? defaultPlausibilityPolicy,
        now: options.plausibility?.now ?? new Date(),
        warnings,
      },
      maxLineChars: options.maxLineChars,
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
  if (scan.dataLines === 0 && options.allowEmpty !== true) throw emptyError(spec);
  if (scan.rejects.length > options.maxRejectRate * scan.dataLines)
    return { kind: 'over_threshold', scan };
  const counts =
    mode === 'merge'
      ? await mergeStagedRows(client, { spec, staging })
      : { inserted: scan.accepted, updated: 0 };
  await replaceLoadRejects(client, {
    file: spec.file,
    loadId: options.loadId,
    rejects: scan.rejects,
  });
  return { kind: 'loaded', scan, counts, mode };
}

/** Over the limit nothing is loaded, but every reject is kept, so the user sees all of them. */
async function recordRejectsOnly(
  client: pg.PoolClient,
  options: { spec: SourceTable; loadId: string; rejects: readonly CsvReject[] },
): Promise<void> {
  await client.query('BEGIN');
  await replaceLoadRejects(client, {
    file: options.spec.file,
    loadId: options.loadId,
    rejects: options.rejects,
  });
  await client.query('COMMIT');
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
    const warnings = new PlausibilityWarnings();
    const outcome = await copyAndMerge(client, options, warnings);
    options.signal?.throwIfAborted();
    if (outcome.kind === 'over_threshold') {
      await client.query('ROLLBACK');
      await recordRejectsOnly(client, {
        spec,
        loadId: options.loadId,
        rejects: outcome.scan.rejects,
      });
      throw thresholdError(spec, outcome.scan, options);
    }
    const { scan, counts, mode } = outcome;
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
      warnings: [
        ...(scan.rejects.length === 0
          ? []
          : [`${spec.file}: ${scan.rejects.length} lines quarantined in public.load_rejects`]),
        ...warnings.describe(spec.file, 'line'),
      ],
      details: {
        file: spec.file,
        mode,
        accepted: scan.accepted,
        inserted: counts.inserted,
        updated: counts.updated,
        unchanged,
        plausibilityWarnings: Object.fromEntries(warnings.counts),
      },
    };
  } catch (error) {
    if (ReelhouseError.is(error) && error.code === 'reject_threshold_exceeded') throw error;
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

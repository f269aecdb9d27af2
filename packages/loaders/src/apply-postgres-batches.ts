import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type pg from 'pg';

import { dataFiles, dayBatchFiles, type PlausibilityPolicy } from '@reelhouse/contracts';
import {
  classifyError,
  ReelhouseError,
  combineReports,
  silentLogger,
  type Logger,
  type StepReport,
} from '@reelhouse/core';

import { appliedBatchesTable } from './change-marker-migration.ts';
import { loadCsvsToPostgres } from './load-csvs-to-postgres.ts';
import { PlausibilityWarnings } from './plausibility-gate.ts';
import { copyAndMerge } from './load-csv-file.ts';
import {
  baseBatch,
  baseLastDayOf,
  dataSetName,
  daysThrough,
  readDayBatch,
  requirePrevious,
  type ApplyBatchesOptions,
} from './source-batches.ts';
import type { SourceTable } from './source-table.ts';
import { usersTable } from './users-table.ts';
import { viewingSessionsTable } from './viewing-sessions-table.ts';

export interface ApplyPostgresBatchesOptions extends ApplyBatchesOptions {
  /** For the base files (`loadCsvsToPostgres`): load an empty file instead of failing. */
  readonly allowEmpty?: boolean;
  readonly plausibility?: PlausibilityPolicy;
  readonly logger?: Logger;
}

// Two appliers on one source queue here, so the ledger's order checks see each other's batches.
const ledgerLockKey = 'reelhouse.loaders.batches';

async function appliedBatches(
  client: pg.Pool | pg.ClientBase,
  dataSet: string,
): Promise<Set<string>> {
  const result = await client.query<{ batch: string }>(
    `SELECT batch FROM ${appliedBatchesTable} WHERE data_set = $1`,
    [dataSet],
  );
  return new Set(result.rows.map((row) => row.batch));
}

async function recordBatch(
  client: pg.Pool | pg.ClientBase,
  facts: { dataSet: string; batch: string; sha256: string | null },
): Promise<void> {
  await client.query(
    `INSERT INTO ${appliedBatchesTable} (data_set, batch, manifest_sha256) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
    [facts.dataSet, facts.batch, facts.sha256],
  );
}

/**
 * Applies one day batch to the PostgreSQL source in one transaction: its users and sessions are
 * upserted (bad lines quarantined as in the base load), its deleted keys removed (the delete
 * trigger leaves their tombstones), and the batch recorded in the ledger. An applied batch is a
 * no-op; a batch whose previous day is not applied is refused.
 */
export async function applyPostgresDayBatch(
  pool: pg.Pool,
  options: {
    readonly dataDir: string;
    readonly day: string;
    readonly maxRejectRate?: number;
    readonly signal?: AbortSignal | undefined;
    readonly logger?: Logger;
  },
): Promise<StepReport & { readonly applied: boolean }> {
  const started = performance.now();
  const logger = (options.logger ?? silentLogger).child({
    task: 'load_csvs_to_postgres',
    day: options.day,
  });
  const dataSet = dataSetName(options.dataDir);
  const batch = await readDayBatch(options.dataDir, options.day);
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [ledgerLockKey]);
    const applied = await appliedBatches(client, dataSet);
    if (applied.has(batch.day)) {
      await client.query('ROLLBACK');
      return {
        step: `apply_batch:${batch.day}`,
        rowsRead: 0,
        rowsWritten: 0,
        rowsRejected: 0,
        durationMs: performance.now() - started,
        warnings: [],
        details: { day: batch.day, applied: false },
        applied: false,
      };
    }
    requirePrevious({
      source: `PostgreSQL source (${dataSet})`,
      batch,
      applied,
      baseLastDay: await baseLastDayOf(options.dataDir),
    });
    const loadId = randomUUID();
    const warnings = new PlausibilityWarnings();
    const load = async (spec: SourceTable, file: string) => {
      const outcome = await copyAndMerge(
        client,
        {
          dataDir: options.dataDir,
          // The batch's own path names its rejects, so they never replace the base file's.
          spec: { ...spec, file: `${batch.folder}/${file}` },
          loadId,
          maxRejectRate: options.maxRejectRate ?? 0.05,
          readChunkBytes: 1 << 18,
          signal: options.signal,
          logger,
          allowEmpty: true,
        },
        warnings,
      );
      if (outcome.kind === 'over_threshold')
        throw new ReelhouseError({
          code: 'reject_threshold_exceeded',
          message: `${batch.folder}/${file}: ${outcome.scan.rejects.length} of ${outcome.scan.dataLines} lines rejected; the day batch was not applied`,
          context: { file: `${batch.folder}/${file}`, rejected: outcome.scan.rejects.length },
        });
      return outcome;
    };
    const users = await load(usersTable, dayBatchFiles.users);
    const sessions = await load(viewingSessionsTable, dayBatchFiles.viewingSessions);
    const deletedUsers = await client.query(
      'DELETE FROM public.users WHERE user_id = ANY($1::uuid[])',
      [batch.deletes.users],
    );
    const deletedSessions = await client.query(
      'DELETE FROM public.viewing_sessions WHERE session_id = ANY($1::uuid[])',
      [batch.deletes.viewing_sessions],
    );
    await recordBatch(client, {
      dataSet,
      batch: batch.day,
      sha256: batch.manifest.files[dayBatchFiles.users]?.sha256 ?? null,
    });
    options.signal?.throwIfAborted();
    await client.query('COMMIT');
    const counts = {
      users: {
        ...users.counts,
        deleted: deletedUsers.rowCount ?? 0,
        rejected: users.scan.rejects.length,
      },
      viewing_sessions: {
        ...sessions.counts,
        deleted: deletedSessions.rowCount ?? 0,
        rejected: sessions.scan.rejects.length,
      },
    };
    logger.info({ day: batch.day, ...counts }, 'day batch applied to PostgreSQL');
    const written = (c: { inserted: number; updated: number; deleted: number }) =>
      c.inserted + c.updated + c.deleted;
    const rejected = counts.users.rejected + counts.viewing_sessions.rejected;
    return {
      step: `apply_batch:${batch.day}`,
      rowsRead: users.scan.dataLines + sessions.scan.dataLines,
      rowsWritten: written(counts.users) + written(counts.viewing_sessions),
      rowsRejected: rejected,
      durationMs: performance.now() - started,
      warnings:
        rejected === 0
          ? []
          : [`day ${batch.day}: ${rejected} lines quarantined in public.load_rejects`],
      details: { day: batch.day, applied: true, ...counts },
      applied: true,
    };
  } catch (error) {
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    });
    throw classifyError(error, { task: 'load_csvs_to_postgres', day: options.day });
  } finally {
    client.release(broken);
  }
}

/**
 * Brings the PostgreSQL source to `through`: the base files once (recorded as batch `base`, so a
 * later run never reverts what day batches changed), then every day batch not applied yet, in order.
 */
export async function applyPostgresBatches(
  pool: pg.Pool,
  options: ApplyPostgresBatchesOptions,
): Promise<StepReport> {
  const logger = options.logger ?? silentLogger;
  const dataSet = dataSetName(options.dataDir);
  const days = await daysThrough(options.dataDir, options.through);
  const reports: StepReport[] = [];
  const applied = await appliedBatches(pool, dataSet);
  if (!applied.has(baseBatch)) {
    reports.push(
      await loadCsvsToPostgres(pool, {
        dataDir: options.dataDir,
        ...(options.allowEmpty === undefined ? {} : { allowEmpty: options.allowEmpty }),
        ...(options.plausibility === undefined ? {} : { plausibility: options.plausibility }),
        ...(options.maxRejectRate === undefined ? {} : { maxRejectRate: options.maxRejectRate }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        logger,
      }),
    );
    await recordBatch(pool, {
      dataSet,
      batch: baseBatch,
      sha256: null,
    });
  } else
    logger.info(
      { dataSet, file: join(options.dataDir, dataFiles.users) },
      'base files already applied',
    );
  const appliedDays: string[] = [];
  for (const day of days) {
    if (applied.has(day)) continue;
    const report = await applyPostgresDayBatch(pool, {
      dataDir: options.dataDir,
      day,
      ...(options.maxRejectRate === undefined ? {} : { maxRejectRate: options.maxRejectRate }),
      signal: options.signal,
      logger,
    });
    if (report.applied) appliedDays.push(day);
    reports.push(report);
  }
  const combined = combineReports('load_csvs_to_postgres', reports);
  return {
    ...combined,
    details: { ...combined.details, dataSet, through: options.through ?? null, appliedDays },
  };
}

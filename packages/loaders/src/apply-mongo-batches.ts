import type { Db } from 'mongodb';
import type pg from 'pg';

import { dayBatchFiles, type PlausibilityPolicy } from '@reelhouse/contracts';
import {
  classifyError,
  combineReports,
  silentLogger,
  type Logger,
  type StepReport,
} from '@reelhouse/core';

import { appliedBatchesCollection, deleteContent } from './content-change-markers.ts';
import { loadJsonToMongo } from './load-json-to-mongo.ts';
import {
  baseBatch,
  baseLastDayOf,
  dataSetName,
  daysThrough,
  readDayBatch,
  requirePrevious,
  type ApplyBatchesOptions,
} from './source-batches.ts';

export interface ApplyMongoBatchesOptions extends ApplyBatchesOptions {
  /** Passed to `loadJsonToMongo` for every file: where rejects are kept too, empty files, rules. */
  readonly rejectsPool?: pg.Pool | undefined;
  readonly allowEmpty?: boolean;
  readonly plausibility?: PlausibilityPolicy;
  readonly logger?: Logger;
}

interface AppliedBatch {
  _id: string;
  data_set: string;
  batch: string;
  applied_at: Date;
}

async function appliedBatches(db: Db, dataSet: string): Promise<Set<string>> {
  const rows = await db
    .collection<AppliedBatch>(appliedBatchesCollection)
    .find({ data_set: dataSet })
    .toArray();
  return new Set(rows.map((row) => row.batch));
}

async function recordBatch(db: Db, facts: { dataSet: string; batch: string }): Promise<void> {
  const id = `${facts.dataSet}/${facts.batch}`;
  await db
    .collection<AppliedBatch>(appliedBatchesCollection)
    .replaceOne(
      { _id: id },
      { data_set: facts.dataSet, batch: facts.batch, applied_at: new Date() },
      { upsert: true },
    );
}

/**
 * Applies one day batch to MongoDB: its documents upserted (with fresh change markers, unchanged
 * ones skipped), its deleted ids removed with a tombstone each, then the batch recorded. MongoDB
 * (FerretDB) gives no multi-document transaction here: every step is idempotent, and the ledger is
 * written last, so a batch cut short is completed by the next run. A batch is applied once, in order.
 */
export async function applyMongoDayBatch(
  db: Db,
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
    task: 'load_json_to_mongo',
    day: options.day,
  });
  const dataSet = dataSetName(options.dataDir);
  const batch = await readDayBatch(options.dataDir, options.day);
  try {
    const applied = await appliedBatches(db, dataSet);
    if (applied.has(batch.day))
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
    requirePrevious({
      source: `MongoDB source (${dataSet})`,
      batch,
      applied,
      baseLastDay: await baseLastDayOf(options.dataDir),
    });
    const upserts = await loadJsonToMongo(db, {
      dataDir: options.dataDir,
      // A day may change no title: its content.json is an empty array.
      allowEmpty: true,
      file: `${batch.folder}/${dayBatchFiles.content}`,
      ...(options.maxRejectRate === undefined ? {} : { maxRejectRate: options.maxRejectRate }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      logger,
    });
    options.signal?.throwIfAborted();
    const deleted = await deleteContent(db, batch.deletes.content);
    await recordBatch(db, { dataSet, batch: batch.day });
    logger.info(
      { day: batch.day, written: upserts.rowsWritten, deleted },
      'day batch applied to MongoDB',
    );
    return {
      ...upserts,
      step: `apply_batch:${batch.day}`,
      rowsWritten: upserts.rowsWritten + deleted,
      durationMs: performance.now() - started,
      details: { ...upserts.details, day: batch.day, applied: true, deleted },
      applied: true,
    };
  } catch (error) {
    throw classifyError(error, { task: 'load_json_to_mongo', day: options.day });
  }
}

/**
 * Brings MongoDB to `through`: `content.json` once (batch `base`), then every day batch not
 * applied yet, in order.
 */
export async function applyMongoBatches(
  db: Db,
  options: ApplyMongoBatchesOptions,
): Promise<StepReport> {
  const logger = options.logger ?? silentLogger;
  const dataSet = dataSetName(options.dataDir);
  const days = await daysThrough(options.dataDir, options.through);
  const applied = await appliedBatches(db, dataSet);
  const reports: StepReport[] = [];
  if (!applied.has(baseBatch)) {
    reports.push(
      await loadJsonToMongo(db, {
        dataDir: options.dataDir,
        rejectsPool: options.rejectsPool,
        ...(options.allowEmpty === undefined ? {} : { allowEmpty: options.allowEmpty }),
        ...(options.plausibility === undefined ? {} : { plausibility: options.plausibility }),
        ...(options.maxRejectRate === undefined ? {} : { maxRejectRate: options.maxRejectRate }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
        logger,
      }),
    );
    await recordBatch(db, { dataSet, batch: baseBatch });
  } else logger.info({ dataSet }, 'base catalogue already applied');
  const appliedDays: string[] = [];
  for (const day of days) {
    if (applied.has(day)) continue;
    const report = await applyMongoDayBatch(db, {
      dataDir: options.dataDir,
      day,
      ...(options.maxRejectRate === undefined ? {} : { maxRejectRate: options.maxRejectRate }),
      signal: options.signal,
      logger,
    });
    if (report.applied) appliedDays.push(day);
    reports.push(report);
  }
  const combined = combineReports('load_json_to_mongo', reports);
  return {
    ...combined,
    details: { ...combined.details, dataSet, through: options.through ?? null, appliedDays },
  };
}

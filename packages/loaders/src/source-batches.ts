import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';

import {
  dataFiles,
  dataManifest,
  dayBatchDeletes,
  dayBatchFiles,
  dayBatchFolder,
  dayBatchManifest,
  type DayBatchDeletes,
  type DayBatchManifest,
} from '@reelhouse/contracts';
import { ReelhouseError } from '@reelhouse/core';

/** The base files count as the first batch of a data set. */
export const baseBatch = 'base';

/** Options shared by the two batch appliers. */
export interface ApplyBatchesOptions {
  /** The data-set folder (base files, and `days/<YYYY-MM-DD>/` batches). */
  readonly dataDir: string;
  /** Apply every day batch up to and including this day (`YYYY-MM-DD`); absent: the base only. */
  readonly through?: string | undefined;
  readonly maxRejectRate?: number;
  readonly signal?: AbortSignal | undefined;
}

/** The ledger's name for a data set: its folder name (`small-seed42`). */
export function dataSetName(dataDir: string): string {
  return basename(dataDir);
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch (error) {
    throw new ReelhouseError({
      code: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not_found' : 'file_malformed',
      message: `${path}: ${(error as Error).message}`,
      context: { file: path },
      cause: error,
    });
  }
}

/** A day batch as read from its folder. */
export interface DayBatch {
  readonly day: string;
  readonly folder: string;
  readonly manifest: DayBatchManifest;
  readonly deletes: DayBatchDeletes;
}

export async function readDayBatch(dataDir: string, day: string): Promise<DayBatch> {
  const folder = dayBatchFolder(day);
  const manifestPath = join(dataDir, folder, dayBatchFiles.manifest);
  const manifest = dayBatchManifest.safeParse(await readJson(manifestPath));
  if (!manifest.success)
    throw new ReelhouseError({
      code: 'file_malformed',
      message: `${manifestPath}: not a day-batch manifest (${manifest.error.issues[0]?.message ?? 'invalid'})`,
      context: { file: manifestPath },
    });
  const deletesPath = join(dataDir, folder, dayBatchFiles.deletes);
  const deletes = dayBatchDeletes.safeParse(await readJson(deletesPath));
  if (!deletes.success)
    throw new ReelhouseError({
      code: 'file_malformed',
      message: `${deletesPath}: ${deletes.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      context: { file: deletesPath },
    });
  return { day, folder, manifest: manifest.data, deletes: deletes.data };
}

/**
 * The days to apply, in order, to bring a source to `through`: every day after the base set's
 * last day up to `through`, each of which must have a complete batch folder.
 */
export async function daysThrough(dataDir: string, through: string | undefined): Promise<string[]> {
  if (through === undefined) return [];
  const base = dataManifest.safeParse(await readJson(join(dataDir, dataFiles.manifest)));
  const lastDay = base.success ? base.data.last_day : undefined;
  if (lastDay === undefined)
    throw new ReelhouseError({
      code: 'file_malformed',
      message: `${join(dataDir, dataFiles.manifest)}: no last_day; regenerate the data set to get day batches`,
      context: { file: join(dataDir, dataFiles.manifest) },
    });
  const days: string[] = [];
  for (let ms = Date.parse(`${lastDay}T00:00:00Z`) + 86_400_000; ; ms += 86_400_000) {
    const day = new Date(ms).toISOString().slice(0, 10);
    if (day > through) break;
    days.push(day);
  }
  const present = new Set(
    await readdir(join(dataDir, dayBatchFiles.folder)).catch(() => [] as string[]),
  );
  const missing = days.filter((day) => !present.has(day));
  if (missing.length > 0)
    throw new ReelhouseError({
      code: 'not_found',
      message: `${dataDir}: no day batch for ${missing[0]}${missing.length > 1 ? ` (and ${missing.length - 1} more days up to ${through})` : ''}; generate it with --days`,
      context: { dataDir, missing },
    });
  return days;
}

/** Refuses a batch whose previous day is not applied yet. */
export function requirePrevious(options: {
  readonly source: string;
  readonly batch: DayBatch;
  readonly applied: ReadonlySet<string>;
  readonly baseLastDay: string | undefined;
}): void {
  const { batch, applied } = options;
  const previous = batch.manifest.previous_day;
  const ok = applied.has(previous) || (previous === options.baseLastDay && applied.has(baseBatch));
  if (!ok)
    throw new ReelhouseError({
      code: 'invalid_input',
      message: `${options.source}: day batch ${batch.day} cannot be applied before ${previous === options.baseLastDay ? 'the base data set' : `day ${previous}`}`,
      context: { day: batch.day, previous },
    });
}

export async function baseLastDayOf(dataDir: string): Promise<string | undefined> {
  const base = dataManifest.safeParse(await readJson(join(dataDir, dataFiles.manifest)));
  return base.success ? base.data.last_day : undefined;
}

import { copyFileSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { basename, join } from 'node:path';

import { dataFiles, type DayBatchManifest } from '@reelhouse/contracts';
import type { Logger } from '@reelhouse/core';
import { dayAfterBase, generateDayBatches } from '@reelhouse/generators';

import type { DataSet } from './data-set.ts';

/** New sessions of the measured day as a share of the base's (the generator's default is 0.4%). */
export const dailySessionShare = 0.01;
/**
 * Days applied before the measured one. A day batch corrects, moves and deletes sessions of the
 * last 3 days' batches: from day 4 on, a batch carries every kind of change.
 */
export const dailyBaseDays = 3;

export interface DailyData {
  /** Folder with the base files (links to the data set's) and its `days/` batches. */
  readonly dir: string;
  /** The days the base state includes, in order. */
  readonly baseDays: readonly string[];
  /** The day whose batch the measured run applies. */
  readonly day: string;
  readonly manifest: DayBatchManifest;
}

/**
 * The data set's base files beside day batches of 1% new sessions (a folder of its own, so the
 * data set's own batches keep the generator's default share): written once, reused after.
 */
export async function ensureDailyData(options: {
  dataSet: DataSet;
  dataDir: string;
  logger: Logger;
}): Promise<DailyData> {
  const { dataSet } = options;
  const dir = join(options.dataDir, `${basename(dataSet.dir)}-daily${dailySessionShare * 100}pct`);
  mkdirSync(dir, { recursive: true });
  for (const file of [dataFiles.users, dataFiles.viewingSessions, dataFiles.content]) {
    if (!existsSync(join(dir, file))) symlinkSync(join(dataSet.dir, file), join(dir, file));
  }
  // A copy: the generator records the days it wrote in the manifest.
  if (!existsSync(join(dir, dataFiles.manifest)))
    copyFileSync(join(dataSet.dir, dataFiles.manifest), join(dir, dataFiles.manifest));
  options.logger.info({ dir }, 'set-up: day batches of 1% new sessions');
  const report = await generateDayBatches({
    outDir: dir,
    seed: dataSet.seed,
    scale: dataSet.size.scale,
    users: dataSet.size.users,
    sessions: dataSet.size.sessions,
    titles: dataSet.size.titles,
    days: dailyBaseDays + 1,
    dailySessionShare,
    logger: options.logger,
  });
  const day = dayAfterBase(dailyBaseDays + 1);
  const manifest = report.manifests.find((m) => m.day === day);
  if (manifest === undefined) throw new Error(`no day batch ${day} in ${dir}`);
  return {
    dir,
    baseDays: Array.from({ length: dailyBaseDays }, (_, n) => dayAfterBase(n + 1)),
    day,
    manifest,
  };
}

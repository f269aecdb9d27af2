import { access } from 'node:fs/promises';
import { join } from 'node:path';

import { dayBatchFiles, dayBatchFolder } from '@reelhouse/contracts';
import type { Logger } from '@reelhouse/core';
import { baseLastDay, dayAfterBase, generateDayBatches } from '@reelhouse/generators';

import type { PipelineParams } from './pipeline-params.ts';

const dayMs = 86_400_000;

/** How many days after the base data set `logicalDate` is (0 when it falls inside the base set). */
export function daysAfterBase(logicalDate: string): number {
  const days =
    (Date.parse(`${logicalDate}T00:00:00Z`) - Date.parse(`${baseLastDay}T00:00:00Z`)) / dayMs;
  return Math.max(0, Math.round(days));
}

/**
 * Makes sure the day batches up to the run's logical date exist in `outDir` (the base set must
 * exist already); returns the days it wrote. Existing batches are kept: day D is the same
 * whatever the last day asked.
 */
export async function ensureDayBatches(options: {
  readonly outDir: string;
  readonly params: PipelineParams;
  readonly signal: AbortSignal;
  readonly logger: Logger;
}): Promise<readonly string[]> {
  const { params } = options;
  if (params.logicalDate === undefined) return [];
  const days = daysAfterBase(params.logicalDate);
  if (days === 0) return [];
  const present = await access(
    join(options.outDir, dayBatchFolder(dayAfterBase(days)), dayBatchFiles.manifest),
  ).then(
    () => true,
    () => false,
  );
  if (present) return [];
  const report = await generateDayBatches({
    outDir: options.outDir,
    seed: params.seed,
    scale: params.scale,
    users: params.users,
    sessions: params.sessions,
    titles: params.titles,
    days,
    signal: options.signal,
    logger: options.logger,
  });
  return report.written;
}

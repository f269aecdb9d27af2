import { join } from 'node:path';

import type { Logger } from '@reelhouse/core';

import type { BenchDatabases } from './bench-databases.ts';
import type { BenchOptions, StageName } from './bench-options.ts';
import type { StageResult } from './bench-report.ts';
import type { DataSet } from './data-set.ts';

/** Folders of one bench invocation, all absolute. */
export interface BenchPaths {
  readonly repoRoot: string;
  /** `<repo>/bench` (git-ignored data, committed results). */
  readonly outDir: string;
  /** `<out>/data`: data sets, one folder per scale and seed, reused across invocations. */
  readonly dataDir: string;
  /** `<out>/data/work`: scratch files of the stages (generation runs, dd output, pgloader commands). */
  readonly workDir: string;
  readonly resultsDir: string;
  /** `<out>/profiles/<timestamp>`: CPU profiles when `--profile` is given. */
  readonly profileDir: string;
}

/** What every stage receives from the bench process. */
export interface BenchContext {
  readonly options: BenchOptions;
  readonly paths: BenchPaths;
  readonly dataSet: DataSet;
  readonly databases: BenchDatabases;
  readonly logger: Logger;
  /** Stages already finished in this invocation (the end-to-end stage sums their baselines). */
  readonly finished: ReadonlyMap<StageName, StageResult>;
  /** Runs `work` once per invocation under `key` (loading the source, a first extract...). */
  once(key: string, work: () => Promise<void>): Promise<void>;
}

/** The run settings every stage passes to `runContenders`: runs, warm-up, logger, and a profile folder with `--profile`. */
export function contenderSettings(
  context: BenchContext,
  stage: StageName,
): { runs: number; warmup: boolean; logger: Logger; profileDir: string | undefined } {
  return {
    runs: context.options.runs,
    warmup: context.options.warmup,
    logger: context.logger.child({ stage }),
    profileDir: context.options.profile ? join(context.paths.profileDir, stage) : undefined,
  };
}

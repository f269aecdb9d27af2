import type { Logger } from '@reelhouse/core';
import { z } from 'zod';

import type { BenchContext } from './bench-context.ts';
import type { StageName } from './bench-options.ts';
import type { StageSpec } from './bench-result.ts';

/** What a stage's child process reports on its last stdout line; the runner adds the time. */
export const childOutcome = z.strictObject({
  rows: z.int().nonnegative(),
  /** Sub-timings in ms (an incremental run's extract and build). */
  parts: z.record(z.string(), z.number().nonnegative()).optional(),
});
export type ChildOutcome = z.output<typeof childOutcome>;

/**
 * One benchmark stage. `run` executes in the bench process: it prepares the databases, measures
 * Reelhouse (through `child`, in its own process so peak RSS is the stage's) and its baselines.
 */
export interface StageModule {
  readonly name: StageName;
  run(context: BenchContext): Promise<StageSpec>;
  /** The Reelhouse side of the stage, run once inside a child process with the job the parent wrote. */
  child(job: unknown, logger: Logger): Promise<ChildOutcome>;
}

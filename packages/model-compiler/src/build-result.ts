import type { ErrorCode, StepReport } from '@reelhouse/core';

import type { Materialization } from './materialization.ts';
import type { TestResult } from './test-result.ts';

/** How a model was built in this run; `up_to_date`: not built, its published relation already reflects its current inputs. */
export type BuildMode = 'view' | 'table' | 'incremental_full' | 'incremental_delta' | 'up_to_date';

/** The outcome of one selected model. */
export interface ModelResult {
  readonly name: string;
  readonly materialization: Materialization['type'];
  readonly status: 'success' | 'error' | 'skipped';
  /** Set once the model ran. */
  readonly mode?: BuildMode;
  /** Rows written (the delta, for an incremental run; 0 when up to date); null for views. */
  readonly rows: number | null;
  readonly startedAt?: string;
  readonly durationMs: number;
  readonly tests: readonly TestResult[];
  /** Why the model failed, or which upstream failure skipped it. */
  readonly error?: { readonly code: ErrorCode | 'upstream_failed'; readonly message: string };
  /** For incremental models by time range: the intervals built, as ISO `[start, end)` pairs. */
  readonly intervals?: readonly (readonly [string, string])[];
}

/** What `buildModels` returns: per-model results, and whether the build reached `trusted`. */
export interface BuildResult extends StepReport {
  readonly buildId: string;
  readonly status: 'success' | 'error';
  readonly targetSchema: string;
  readonly stagingSchema: string;
  /** True when every selected model passed and the publish committed (never for `validateOnly`). */
  readonly published: boolean;
  /** Models whose relation or new rows reached the target in this build (for `validateOnly`, would have). */
  readonly publishedModels: readonly string[];
  readonly validateOnly: boolean;
  readonly models: readonly ModelResult[];
  /** Set when the build failed as a whole (publish, lock timeout) rather than per model. */
  readonly error?: { readonly code: ErrorCode; readonly message: string };
}

import type { DataTest, Severity } from './data-test.ts';

/** `pass`, or the level a failing test reached given its severity and thresholds. */
export type TestStatus = 'pass' | 'warn' | 'error';

/** The outcome of one data test: how many rows failed and a sample of them. */
export interface TestResult {
  readonly model: string;
  readonly name: string;
  readonly kind: DataTest<object>['kind'];
  readonly severity: Severity;
  readonly status: TestStatus;
  /** Rows (groups, for `unique`) the failing-rows query returned. */
  readonly failures: number;
  /** Up to `sampleSize` failing rows, as the query returned them. */
  readonly samples: readonly Readonly<Record<string, unknown>>[];
  readonly sql: string;
  /** Set when a constraint of the built table already guarantees the test (it then does not run). */
  readonly guaranteedBy?: 'primary_key' | 'not_null_constraint';
  readonly durationMs: number;
}

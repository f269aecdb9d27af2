import { sql } from 'kysely';

import type { AnyKysely } from './any-kysely.ts';
import type { CompiledTest } from './compiled-model.ts';
import type { TestResult, TestStatus } from './test-result.ts';

export interface RunDataTestsOptions {
  readonly model: string;
  readonly tests: readonly CompiledTest[];
  /** Names the constraint that makes a test pass by construction, so a full scan is saved. */
  readonly guaranteedBy?: (test: CompiledTest) => TestResult['guaranteedBy'];
}

/**
 * Runs compiled data tests one after the other: counts the failing rows, keeps a sample, and
 * grades them: an `error` test fails above `errorAbove` rows, any test warns above `warnAbove`.
 */
export async function runDataTests(
  db: AnyKysely,
  options: RunDataTestsOptions,
): Promise<TestResult[]> {
  const results: TestResult[] = [];
  for (const test of options.tests) {
    const guaranteedBy = options.guaranteedBy?.(test);
    if (guaranteedBy !== undefined) {
      results.push({
        model: options.model,
        name: test.name,
        kind: test.kind,
        severity: test.severity,
        status: 'pass',
        failures: 0,
        samples: [],
        sql: test.sql,
        guaranteedBy,
        durationMs: 0,
      });
      continue;
    }
    const started = performance.now();
    const counted = await sql<{
      failures: string | number;
    }>`select count(*) as "failures" from (${sql.raw(test.sql)}) as "failing"`.execute(db);
    const failures = Number(counted.rows[0]?.failures ?? 0);
    const samples =
      failures > 0 && test.sampleSize > 0
        ? (
            await sql<
              Record<string, unknown>
            >`select * from (${sql.raw(test.sql)}) as "failing" limit ${sql.lit(test.sampleSize)}`.execute(
              db,
            )
          ).rows
        : [];
    results.push({
      model: options.model,
      name: test.name,
      kind: test.kind,
      severity: test.severity,
      status: grade(test, failures),
      failures,
      samples,
      sql: test.sql,
      durationMs: Math.round(performance.now() - started),
    });
  }
  return results;
}

function grade(test: CompiledTest, failures: number): TestStatus {
  if (test.severity === 'error' && failures > test.errorAbove) return 'error';
  if (failures > test.warnAbove) return 'warn';
  return 'pass';
}

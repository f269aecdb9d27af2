import type { CompiledContract, CompiledTest } from './compiled-model.ts';
import type { TestResult } from './test-result.ts';

/**
 * Which constraint of a built relation already guarantees a test: NOT NULL columns (tables and
 * deltas) and, for whole tables, a `unique` test on exactly the primary key. Views enforce nothing.
 */
export function guaranteedByContract(
  contract: CompiledContract,
  built: 'view' | 'table' | 'delta',
): (test: CompiledTest) => TestResult['guaranteedBy'] {
  return (test) => {
    if (built === 'view') return undefined;
    const [column] = test.columns;
    if (
      test.kind === 'not_null' &&
      column !== undefined &&
      contract.columns[column]?.nullable !== true
    )
      return 'not_null_constraint';
    const sameColumns = (a: readonly string[], b: readonly string[]) =>
      a.length > 0 && a.length === b.length && a.every((name) => b.includes(name));
    if (
      test.kind === 'unique' &&
      built === 'table' &&
      sameColumns(test.columns, contract.primaryKey)
    )
      return 'primary_key';
    return undefined;
  };
}

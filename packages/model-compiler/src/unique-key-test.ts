import type { CompiledTest } from './compiled-model.ts';
import type { IncrementalMaterialization } from './materialization.ts';
import { quoteIdents, quoteRelation } from './sql-identifier.ts';

/**
 * The check every keyed incremental run needs, added when the model declares no `unique` test on
 * exactly its `uniqueKey`: new rows sharing a key would make `merge` fail at publish, or
 * `delete+insert` publish duplicates.
 */
export function uniqueKeyTest(options: {
  readonly materialization: IncrementalMaterialization;
  readonly delta: string;
  readonly tests: readonly CompiledTest[];
}): CompiledTest[] {
  const { materialization } = options;
  const keys = materialization.uniqueKey;
  if (
    materialization.timeColumn !== undefined ||
    materialization.strategy === 'append' ||
    keys.length === 0
  )
    return [];
  const declared = options.tests.some(
    (test) =>
      test.kind === 'unique' &&
      test.columns.length === keys.length &&
      keys.every((key) => test.columns.includes(key)),
  );
  if (declared) return [];
  const columns = quoteIdents(keys);
  return [
    {
      name: `unique(${keys.join(', ')}) [uniqueKey of the new rows]`,
      kind: 'unique',
      columns: keys,
      severity: 'error',
      errorAbove: 0,
      warnAbove: 0,
      sampleSize: 5,
      sql: `select ${columns}, count(*) as "duplicates" from ${quoteRelation(options.delta)} group by ${columns} having count(*) > 1`,
    },
  ];
}

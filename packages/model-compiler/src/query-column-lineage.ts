import type { OperationNodeSource } from 'kysely';
import { loadModule } from 'libpg-query';

import { conditionOrigins, queryShape } from './kysely-lineage.ts';
import { LineageScope, lineageError } from './lineage-scope.ts';

/** The key under which `queryColumnLineage` returns the columns of a query's conditions. */
export const conditionsKey = '(conditions)';

/**
 * The columns each output column of a query over published models reads, found as model lineage
 * is (`columnLineage`), with `trusted.<model>` read as the model (`model.column`) and `raw.<t>` as
 * the source (`raw.t.column`). For consumers such as metrics: which model columns a query reads.
 *
 * @example
 * await queryColumnLineage(db.selectFrom('trusted.dim_user as u').select(sql`count(distinct u.user_id)`.as('users')));
 * // { users: ['dim_user.user_id'] }
 */
export async function queryColumnLineage(
  query: OperationNodeSource,
  options: {
    readonly targetSchema?: string;
    /** Also return, under `(conditions)`, the columns of its joins, filters and grouping. */
    readonly conditions?: boolean;
  } = {},
): Promise<Record<string, readonly string[]>> {
  await loadModule();
  const targetSchema = options.targetSchema ?? 'trusted';
  const scope = new LineageScope((schema, table) => {
    if (schema === targetSchema) return { kind: 'open', relation: table };
    if (schema === 'raw') return { kind: 'open', relation: `raw.${table}` };
    throw lineageError(`${schema ?? ''}.${table} is neither in ${targetSchema} nor in raw`);
  });
  const node = query.toOperationNode();
  const shape = queryShape(node, scope);
  if (shape.kind === 'open') throw lineageError('the query selects an undeclared relation');
  const columns = [...shape.columns];
  if (options.conditions === true) columns.push([conditionsKey, conditionOrigins(node, scope)]);
  return Object.fromEntries(
    columns.map(([column, origins]) => [column, Object.freeze([...origins].sort())]),
  );
}

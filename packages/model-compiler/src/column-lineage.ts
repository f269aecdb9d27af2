import { loadModule } from 'libpg-query';

import { ReelhouseError } from '@reelhouse/core';

import type { AnyModel } from './define-model.ts';
import { queryShape } from './kysely-lineage.ts';
import { closedShape, LineageScope, lineageError, type RelationShape } from './lineage-scope.ts';
import { createModelContext } from './model-context.ts';
import { createOfflineKysely } from './offline-kysely.ts';

/** Column-level lineage of a project: what each model column is computed from, one step up. */
export interface ColumnLineage {
  readonly kind: 'column_lineage';
  /**
   * `model.column` → the columns its values are computed from (through CTEs, subqueries, joins,
   * expressions and aggregates of the model's query): `model.column` of upstream models or
   * `raw.table.column` of sources, sorted. Filters and join conditions are not counted.
   */
  readonly columns: Readonly<Record<string, readonly string[]>>;
}

/**
 * Column lineage of every model, from the operation tree of its query as a full build compiles it
 * (not its incremental variant), SQL written as text read by PostgreSQL's parser. Offline.
 * Throws `graph_invalid` when a column cannot be resolved or the query's columns differ from the contract's.
 *
 * @example
 * const lineage = await columnLineage(models);
 * lineage.columns['stg_users.plan']; // ['raw.users.plan']
 */
export async function columnLineage(models: readonly AnyModel[]): Promise<ColumnLineage> {
  await loadModule();
  const targetSchema = 'trusted';
  const byName = new Map(models.map((model) => [model.name, model]));
  const base = (schema: string | undefined, table: string): RelationShape => {
    const model = schema === targetSchema ? byName.get(table) : undefined;
    if (model)
      return closedShape(
        Object.keys(model.contract.columns).map((c) => [c, new Set([`${table}.${c}`])]),
      );
    if (schema === 'raw') return { kind: 'open', relation: `raw.${table}` };
    throw lineageError(
      `${schema === undefined ? '' : `${schema}.`}${table} is neither a model nor a raw source`,
    );
  };
  const db = createOfflineKysely();
  const columns: Record<string, readonly string[]> = {};
  for (const model of models) {
    const { context } = createModelContext({
      db,
      resolver: {
        ref: (name) => `${targetSchema}.${name}`,
        source: (name) => name,
        self: `${targetSchema}.${model.name}`,
      },
      isIncremental: false,
    });
    let shape: RelationShape;
    try {
      shape = queryShape(model.select(context).toOperationNode(), new LineageScope(base));
    } catch (error) {
      throw new ReelhouseError({
        code: 'graph_invalid',
        message: `model "${model.name}": ${error instanceof Error ? error.message : String(error)}`,
        cause: error,
      });
    }
    if (shape.kind === 'open')
      throw lineageError(`model "${model.name}" selects an undeclared relation`);
    const declared = Object.keys(model.contract.columns);
    const missing = declared.filter((column) => !shape.columns.has(column));
    if (missing.length > 0)
      throw lineageError(`model "${model.name}": no lineage for ${missing.join(', ')}`);
    for (const column of declared)
      columns[`${model.name}.${column}`] = Object.freeze(
        [...(shape.columns.get(column) ?? [])].sort(),
      );
  }
  return Object.freeze({ kind: 'column_lineage', columns: Object.freeze(columns) });
}

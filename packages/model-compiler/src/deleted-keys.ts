import { sql } from 'kysely';

import { ReelhouseError } from '@reelhouse/core';

import type { AnyKysely } from './any-kysely.ts';
import type { CompiledContract } from './compiled-model.ts';
import type { AnyModel } from './define-model.ts';
import { byTimeRange } from './incremental-delta.ts';
import type { IncrementalMaterialization } from './materialization.ts';
import { createModelContext, type RelationResolver } from './model-context.ts';
import { createOfflineKysely } from './offline-kysely.ts';
import { quoteIdent, quoteRelation } from './sql-identifier.ts';

/**
 * Builds the keys an incremental run removes (the model's `deletes` query) into `relation`, each
 * cast to its contract type and listed once; `undefined` when the model declares no `deletes`.
 */
export async function buildDeletedKeys(
  db: AnyKysely,
  options: {
    readonly model: AnyModel;
    readonly resolver: RelationResolver;
    readonly relation: string;
    readonly contract: CompiledContract;
  },
): Promise<{ readonly relation: string; readonly rows: number } | undefined> {
  const { model, contract } = options;
  if (model.deletes === undefined) return undefined;
  const materialization = model.materialization as IncrementalMaterialization;
  if (byTimeRange(materialization) || materialization.strategy === 'append')
    throw new ReelhouseError({
      code: 'graph_invalid',
      message: `model ${model.name} declares deletes: only incremental models by key (merge, delete+insert) can remove rows`,
      context: { model: model.name },
    });
  const recording = createModelContext({
    db: createOfflineKysely(),
    resolver: options.resolver,
    isIncremental: true,
  });
  const keysSql = model.deletes(recording.context).compile().sql;
  const keys = materialization.uniqueKey
    .map(
      (key) =>
        `cast("k".${quoteIdent(key)} as ${contract.columns[key]?.type ?? 'text'}) as ${quoteIdent(key)}`,
    )
    .join(', ');
  await sql
    .raw(
      `create table ${quoteRelation(options.relation)} as select distinct ${keys} from (${keysSql}) as "k"`,
    )
    .execute(db);
  const { rows } = await sql<{ rows: number | string }>`
    select count(*) as "rows" from ${sql.table(options.relation)}`.execute(db);
  return { relation: options.relation, rows: Number(rows[0]?.rows ?? 0) };
}

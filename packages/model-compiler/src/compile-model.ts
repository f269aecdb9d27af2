import { createHash } from 'node:crypto';

import type { Kysely } from 'kysely';

import type { CompiledContract, CompiledModel } from './compiled-model.ts';
import { compileDataTest, type DeltaTestTarget } from './compile-data-test.ts';
import type { AnyModel } from './define-model.ts';
import { createModelContext, type RelationResolver } from './model-context.ts';

export interface CompileModelOptions {
  readonly db: Kysely<object>;
  readonly resolver: RelationResolver;
  /** The relation the model's tests read (its own output). */
  readonly relation: string;
  readonly isIncremental?: boolean;
  readonly interval?: { readonly start: Date; readonly end: Date } | undefined;
  /** Incremental runs: the new rows and the table they go into (see `DataTestTarget.delta`). */
  readonly delta?: DeltaTestTarget | undefined;
}

/** Compiles one model's select and tests, recording what it reads from the references made while building them. */
export function compileModel(model: AnyModel, options: CompileModelOptions): CompiledModel {
  const recording = createModelContext({
    db: options.db,
    resolver: options.resolver,
    isIncremental: options.isIncremental ?? false,
    interval: options.interval,
  });
  const query = model.select(recording.context).compile();
  const deletesSql = model.deletes?.(recording.context).compile().sql ?? null;
  const tests = model.tests.map((test) =>
    compileDataTest(test, {
      db: options.db,
      relation: options.relation,
      ref: options.resolver.ref,
      context: recording.context,
      delta: options.delta,
    }),
  );
  const contract = compileContract(model);
  const dependsOn = new Set(recording.refs);
  for (const test of model.tests) if (test.kind === 'relationships') dependsOn.add(test.to.name);
  for (const foreignKey of contract.foreignKeys) dependsOn.add(foreignKey.references);
  dependsOn.delete(model.name);
  const fingerprint = createHash('sha256')
    .update(
      JSON.stringify([
        query.sql,
        model.materialization,
        contract,
        tests,
        model.postHooks,
        ...(deletesSql === null ? [] : [deletesSql]),
      ]),
    )
    .digest('hex')
    .slice(0, 16);
  return Object.freeze({
    kind: 'compiled_model',
    resourceType: model.resourceType,
    fingerprint,
    name: model.name,
    description: model.description,
    materialization: model.materialization,
    sql: query.sql,
    parameters: Object.freeze([...query.parameters]),
    dependsOn: Object.freeze([...dependsOn].sort()),
    sources: Object.freeze([...recording.sources].sort()),
    tags: model.tags,
    contract,
    tests: Object.freeze(tests),
    postHooks: model.postHooks,
  });
}

function compileContract(model: AnyModel): CompiledContract {
  const contract = model.contract;
  return Object.freeze({
    columns: contract.columns,
    primaryKey: contract.primaryKey ?? [],
    foreignKeys: (contract.foreignKeys ?? []).map((fk) => ({
      columns: fk.columns,
      references: fk.references.name,
      referencedColumns: fk.referencedColumns,
    })),
    indexes: contract.indexes ?? [],
  });
}

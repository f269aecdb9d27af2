import { sql } from 'kysely';

import { ReelhouseError } from '@reelhouse/core';

import type { AnyKysely } from '../any-kysely.ts';
import { buildDelta } from '../build-delta.ts';
import { buildRelation, type BuildRelationOptions } from '../build-relation.ts';
import type { CompiledContract, CompiledModel } from '../compiled-model.ts';
import { compileModel } from '../compile-model.ts';
import { createTableSql, keyStatements } from '../contract-ddl.ts';
import type { AnyModel, RowOf } from '../define-model.ts';
import { applyDeltaStatements, byTimeRange } from '../incremental-delta.ts';
import type { RelationResolver } from '../model-context.ts';
import { createOfflineKysely } from '../offline-kysely.ts';
import type { TimeRange } from '../plan-intervals.ts';
import { runDataTests } from '../run-data-tests.ts';
import { quoteIdents } from '../sql-identifier.ts';
import type { SqlType } from '../sql-type.ts';
import type { TestResult } from '../test-result.ts';
import { inferSqlType, type ModelInputs } from './model-input.ts';

export interface BuildInIsolationOptions<M extends AnyModel> {
  readonly model: M;
  /** Fixture rows for every upstream model (`modelRows`) and `raw` table (`sourceRows`) the model reads. */
  readonly inputs: ModelInputs;
  /**
   * Incremental models: the rows already in the table. The model then runs its incremental path
   * (`ctx.isIncremental`, `ctx.self` reading these rows) and the result is the table after the merge.
   */
  readonly existing?: readonly RowOf<M>[];
  /** Incremental models by time range, with `existing`: the range rebuilt (its rows replaced). */
  readonly interval?: TimeRange;
}

export interface IsolatedBuild<Row> {
  /** The model's relation as it stands after the build (after the merge, for incremental models), ordered by its primary key. */
  readonly rows: Row[];
  /** The model's select as run, values inlined. */
  readonly sql: string;
  readonly testResults: readonly TestResult[];
}

/**
 * Builds one model against fixture rows in a scratch schema of a real PostgreSQL database: its
 * inputs become tables, the model is built under its contract (incremental models on top of
 * `existing`), its data tests run, and the scratch schema (`isolation__<model>`) is dropped.
 * Calls for the same model must not run at once on one database.
 *
 * @example
 * const { rows, testResults } = await buildModelInIsolation(db, {
 *   model: dim_plan,
 *   inputs: [sourceRows('raw.users', [{ user_id: 'u1', plan: 'premium' }])],
 * });
 * expect(rows).toEqual([{ plan: 'premium' }]);
 */
export async function buildModelInIsolation<M extends AnyModel>(
  db: AnyKysely,
  options: BuildInIsolationOptions<M>,
): Promise<IsolatedBuild<RowOf<M>>> {
  const { model } = options;
  // Named after the model, so the returned SQL is stable enough for snapshots.
  const scratch = `isolation__${model.name}`;
  const relation = `${scratch}.${model.name}`;
  const resolver: RelationResolver = {
    ref: (name) => `${scratch}.${name}`,
    source: (name) => `${scratch}.${name.replace('.', '__')}`,
    self: relation,
  };
  const compiled = compileModel(model, { db: createOfflineKysely(), resolver, relation });
  assertInputsCoverReads(compiled, options.inputs);
  await sql`drop schema if exists ${sql.id(scratch)} cascade`.execute(db);
  await sql`create schema ${sql.id(scratch)}`.execute(db);
  try {
    for (const input of options.inputs) {
      if (input.kind === 'model_rows') {
        const upstream = {
          relation: `${scratch}.${input.model.name}`,
          contract: compileModel(input.model, { db: createOfflineKysely(), resolver, relation })
            .contract,
        };
        await createFixture(db, { ...upstream, rows: input.rows });
        // The model's foreign keys need the upstream's primary key to point at.
        for (const statement of keyStatements({
          ...upstream,
          contract: { ...upstream.contract, foreignKeys: [], indexes: [] },
          ref: resolver.ref,
        }))
          await sql.raw(statement).execute(db);
      } else {
        // Declared columns exist even with no rows (an empty source the model still reads).
        const names = [
          ...new Set([
            ...Object.keys(input.columns),
            ...input.rows.flatMap((row) => Object.keys(row)),
          ]),
        ];
        const columns = Object.fromEntries(
          names.map((name) => [
            name,
            {
              type:
                input.columns[name] ??
                inferSqlType(input.rows.map((row) => (row as Record<string, unknown>)[name])),
              nullable: true,
            },
          ]),
        );
        await createFixture(db, {
          relation: resolver.source(input.source),
          contract: { columns, primaryKey: [], foreignKeys: [], indexes: [] },
          rows: input.rows,
        });
      }
    }
    const builtSql =
      options.existing === undefined
        ? await buildWhole(db, {
            model: model.name,
            relation,
            kind: model.materialization.type === 'view' ? 'view' : 'table',
            contract: compiled.contract,
            selectSql: compiled.sql,
            ref: resolver.ref,
          })
        : await mergeIntoExisting(db, {
            model,
            resolver,
            existing: options.existing,
            interval: options.interval,
          });
    const testResults = await runDataTests(db, { model: model.name, tests: compiled.tests });
    const orderBy =
      compiled.contract.primaryKey.length > 0
        ? compiled.contract.primaryKey
        : Object.keys(compiled.contract.columns);
    const { rows } = await sql<
      RowOf<M>
    >`select * from ${sql.table(relation)} order by ${sql.raw(quoteIdents(orderBy))}`.execute(db);
    return { rows, sql: builtSql, testResults };
  } finally {
    await sql`drop schema if exists ${sql.id(scratch)} cascade`.execute(db);
  }
}

// A missing fixture would surface as "relation does not exist": name every one instead.
function assertInputsCoverReads(compiled: CompiledModel, inputs: ModelInputs): void {
  const given = new Set(
    inputs.map((input) => (input.kind === 'model_rows' ? input.model.name : input.source)),
  );
  const missing = [...compiled.dependsOn, ...compiled.sources].filter((name) => !given.has(name));
  if (missing.length === 0) return;
  throw new ReelhouseError({
    code: 'invalid_input',
    message: `model ${compiled.name} reads ${missing.join(', ')}: pass rows for each (modelRows / sourceRows, an empty array is fine)`,
    context: { model: compiled.name, missing },
  });
}

async function buildWhole(db: AnyKysely, options: BuildRelationOptions): Promise<string> {
  await buildRelation(db, options);
  return options.selectSql;
}

async function mergeIntoExisting(
  db: AnyKysely,
  options: {
    model: AnyModel;
    resolver: RelationResolver;
    existing: readonly object[];
    interval: TimeRange | undefined;
  },
): Promise<string> {
  const { model, resolver } = options;
  const materialization = model.materialization;
  if (materialization.type !== 'incremental') {
    throw new ReelhouseError({
      code: 'invalid_input',
      message: `model ${model.name} is not incremental: \`existing\` rows apply to incremental models only`,
      context: { model: model.name },
    });
  }
  if (byTimeRange(materialization) && options.interval === undefined) {
    throw new ReelhouseError({
      code: 'invalid_input',
      message: `model ${model.name} is built by time range: pass the \`interval\` to rebuild along with \`existing\``,
      context: { model: model.name },
    });
  }
  const contract = compileModel(model, {
    db: createOfflineKysely(),
    resolver,
    relation: resolver.self,
  }).contract;
  await createFixture(db, { relation: resolver.self, contract, rows: options.existing });
  for (const statement of keyStatements({
    relation: resolver.self,
    contract: { ...contract, foreignKeys: [] },
    ref: resolver.ref,
  }))
    await sql.raw(statement).execute(db);
  const delta = await buildDelta(db, {
    model,
    resolver,
    delta: `${resolver.self}__delta`,
    ranges: options.interval === undefined ? [] : [options.interval],
  });
  for (const statement of applyDeltaStatements(delta.plan)) await sql.raw(statement).execute(db);
  return delta.sql;
}

async function createFixture(
  db: AnyKysely,
  fixture: { relation: string; contract: CompiledContract; rows: readonly object[] },
): Promise<void> {
  await sql.raw(createTableSql(fixture.relation, fixture.contract)).execute(db);
  if (fixture.rows.length === 0) return;
  const types: Record<string, SqlType> = Object.fromEntries(
    Object.entries(fixture.contract.columns).map(([name, column]) => [name, column.type]),
  );
  // pg sends JS arrays as PostgreSQL arrays: jsonb values go as JSON text.
  const rows = fixture.rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([name, value]) => [
        name,
        types[name] === 'jsonb' && value !== null ? JSON.stringify(value) : value,
      ]),
    ),
  );
  const [schema = '', table = ''] = fixture.relation.split('.');
  await db.withSchema(schema).insertInto(table).values(rows).execute();
}

import type { AliasedRawBuilder, Kysely, Selectable, SelectQueryBuilder } from 'kysely';

import type { RawSchema } from '@reelhouse/warehouse';

import { testBuilders, type DataTest, type TestBuilders } from './data-test.ts';
import type { Materialization } from './materialization.ts';
import type { SqlType } from './sql-type.ts';

/** Declared type and constraints of one column: emitted as DDL and checked against the catalog after build. */
export interface ColumnContract {
  readonly type: SqlType;
  /** Default false: the column is NOT NULL. */
  readonly nullable?: boolean;
  /** A SQL boolean expression over this column, emitted as a CHECK constraint, e.g. `"quarter" between 1 and 4`. */
  readonly check?: string;
  readonly description?: string;
}

/** Every output column declared (a missing or misspelled one is a compile error), plus keys. */
export interface ModelContract<Row> {
  readonly columns: { readonly [K in keyof Row]-?: ColumnContract };
  readonly primaryKey?: readonly (keyof Row & string)[];
  readonly foreignKeys?: readonly {
    readonly columns: readonly (keyof Row & string)[];
    readonly references: AnyModel;
    readonly referencedColumns: readonly string[];
  }[];
  /** Extra indexes built after the data (faster than during the load). */
  readonly indexes?: readonly (readonly (keyof Row & string)[])[];
}

/** A `raw` table a model reads from. */
export type SourceName = Extract<keyof RawSchema, string>;

/**
 * What a model's `select` receives. References go through `ref` and `source`, never table names,
 * so the compiler knows the graph and can point references at the staging schema of a build.
 */
export interface ModelContext {
  /** A Kysely instance with no tables of its own: start queries with `db.selectFrom(ctx.ref(...))`. */
  readonly db: Kysely<object>;
  /** An upstream model as a typed, aliased table: its columns are the model's output row. */
  ref<M extends AnyModel, A extends string>(model: M, alias: A): AliasedRawBuilder<RowOf<M>, A>;
  /** A `raw` table as a typed, aliased table. */
  source<S extends SourceName, A extends string>(
    name: S,
    alias: A,
  ): AliasedRawBuilder<Selectable<RawSchema[S]>, A>;
  /** True when an incremental model is updating an existing table (not on first build or full refresh). */
  readonly isIncremental: boolean;
  /** For incremental models by time range: the half-open interval being built. */
  readonly interval: { readonly start: Date; readonly end: Date } | undefined;
  /** For incremental models: the existing table, e.g. to select rows newer than what it holds. */
  self<A extends string>(alias: A): AliasedRawBuilder<object, A>;
  /**
   * Incremental runs: what an upstream model changed in this build, so a model can rebuild only the
   * keys those rows touch. `undefined` when that is unknown (not an incremental run, the upstream
   * rebuilt whole or by time range, or published by a build this model missed): fall back to
   * reading the upstream whole.
   */
  changes<M extends AnyModel>(model: M): ModelChanges<RowOf<M>> | undefined;
}

/** An upstream model's changes in this build, relative to the state this model last saw. */
export type ModelChanges<Row> =
  | { readonly kind: 'unchanged' }
  | {
      readonly kind: 'delta';
      /** Rows the upstream's run writes: new rows and rows replacing stored ones with the same key. */
      upserted<A extends string>(alias: A): AliasedRawBuilder<Row, A>;
      /** The upstream's table as published before this build (the stored rows the delta replaces included). */
      previous<A extends string>(alias: A): AliasedRawBuilder<Row, A>;
      /** Unique keys of the rows the run removes (its `deletes`): only the key columns are present. */
      removed<A extends string>(alias: A): AliasedRawBuilder<Partial<Row>, A>;
    };

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any DB and tables; only the output row matters
export type ModelQuery<Row = any> = SelectQueryBuilder<any, any, Row>;

/** The output row of a model's query. */
export type QueryRow<Q> =
  Q extends SelectQueryBuilder<infer _DB, infer _TB, infer Row> ? Row : never;

export interface ModelConfig<Name extends string, Q extends ModelQuery> {
  /** Table or view name in `trusted`; equals the file name (`dim_user.ts`). */
  readonly name: Name;
  readonly description: string;
  readonly materialization: Materialization;
  readonly tags?: readonly string[];
  /** The model's query. Its output row type is the model's row type. */
  readonly select: (ctx: ModelContext) => Q;
  /** Declared in terms of the query's row, which is inferred from `select` alone. */
  readonly contract: ModelContract<QueryRow<Q>>;
  readonly tests?: (t: TestBuilders<QueryRow<Q>>) => readonly DataTest<QueryRow<Q>>[];
  /**
   * SQL run right after the model is built in the staging schema, before its tests (e.g. `analyze`);
   * `{{ this }}` is the relation built there: the new rows' table in an incremental run.
   */
  readonly postHooks?: readonly string[];
  /**
   * Incremental runs by key (`merge`, `delete+insert`): the `uniqueKey` of rows to remove from the
   * table (e.g. rows whose source was deleted), next to the new rows of `select`. Removed before the
   * new rows go in; within the build, downstream models already read the table without them.
   */
  readonly deletes?: ((ctx: ModelContext) => ModelQuery) | undefined;
}

/** What a node of the graph is, as dbt's `resource_type`: every kind builds a relation. */
export type ResourceType = 'model' | 'seed' | 'snapshot';

/** A compiled-in model definition: plain, frozen data plus its query function. */
export interface Model<Name extends string = string, Row = object> {
  readonly kind: 'model';
  /** `model` from `defineModel`; `seed` and `snapshot` from `defineSeed` and `defineSnapshot`. */
  readonly resourceType: ResourceType;
  readonly name: Name;
  readonly description: string;
  readonly materialization: Materialization;
  readonly tags: readonly string[];
  readonly select: (ctx: ModelContext) => ModelQuery<Row>;
  readonly contract: ModelContract<Row>;
  readonly tests: readonly DataTest<Row>[];
  readonly postHooks: readonly string[];
  readonly deletes: ((ctx: ModelContext) => ModelQuery) | undefined;
  /** Phantom field carrying the row type; never set at runtime. */
  readonly __row?: Row;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a model of any row, for registries and references
export type AnyModel = Model<string, any>;

/** The output row of a model. */
export type RowOf<M> = M extends Model<string, infer Row> ? Row : never;

/**
 * Declares a model: a typed module whose query references upstream models through `ctx.ref`.
 *
 * @example
 * export const dim_plan = defineModel({
 *   name: 'dim_plan', description: 'Plans', materialization: table(),
 *   select: (ctx) => ctx.db.selectFrom(ctx.source('raw.users', 'u')).select('u.plan').distinct(),
 *   contract: { columns: { plan: { type: 'text' } }, primaryKey: ['plan'] },
 * });
 * // create table ... as select distinct "u"."plan" from "raw"."users" as "u"
 */
export function defineModel<const Name extends string, Q extends ModelQuery>(
  config: ModelConfig<Name, Q>,
): Model<Name, QueryRow<Q>> {
  return Object.freeze({
    kind: 'model',
    resourceType: 'model',
    name: config.name,
    description: config.description,
    materialization: config.materialization,
    tags: config.tags ?? [],
    select: config.select,
    contract: config.contract,
    tests: config.tests?.(testBuilders<QueryRow<Q>>()) ?? [],
    postHooks: config.postHooks ?? [],
    deletes: config.deletes,
  });
}

import { sql, type AliasedRawBuilder, type RawBuilder, type SelectQueryBuilder } from 'kysely';

import type { DataTest, TestBuilders } from './data-test.ts';
import {
  defineModel,
  type Model,
  type ModelContext,
  type ModelContract,
  type ModelQuery,
  type QueryRow,
} from './define-model.ts';
import { incremental } from './materialization.ts';
import {
  snapshotColumns,
  snapshotVersionsSql,
  type SnapshotHardDeletes,
  type SnapshotStrategy,
} from './snapshot-versions-sql.ts';

/** One SCD2 version: the history's columns plus validity, its surrogate key and its load time. */
export type SnapshotVersion<H> = H & {
  /** When the version starts (strictly increasing within a key). */
  valid_from: Date;
  /** The next version's `valid_from` (or the deletion's, under `invalidate`); null while current. */
  valid_to: Date | null;
  is_current: boolean;
  /** Deterministic key from the unique key and `valid_from`: stable across rebuilds. */
  scd_id: number;
  /** True for the version a `new_record` hard delete adds. */
  is_deleted: boolean;
  /** The latest `loadedAt` of the version's rows (and of the tombstone that closed it). */
  scd_loaded_at: Date;
};

/** What a snapshot's `select` reads, both restricted to the keys being (re)built. */
export interface SnapshotRelations<H> {
  /** The SCD2 versions. */
  versions<A extends string>(alias: A): AliasedRawBuilder<SnapshotVersion<H>, A>;
  /**
   * The history rows the versions come from: a hook for per-key facts SCD2 rows do not carry
   * (e.g. an erasure that blanks every version of a key rather than closing the last one).
   */
  history<A extends string>(alias: A): AliasedRawBuilder<H, A>;
}

type Column<H> = Extract<keyof H, string>;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any DB and tables; only the history row matters
type HistoryQuery<H> = SelectQueryBuilder<any, any, H>;

export interface SnapshotConfig<Name extends string, H, Q extends ModelQuery> {
  readonly name: Name;
  readonly description: string;
  readonly tags?: readonly string[];
  /**
   * Every observed row of every key, append-only (e.g. a `raw.*__history` table): the snapshot
   * is a function of it, so a full rebuild and any sequence of incremental builds agree.
   */
  readonly history: (ctx: ModelContext) => HistoryQuery<H>;
  readonly uniqueKey: readonly [Column<H>, ...Column<H>[]];
  /** Observation order within a key (e.g. the source's change sequence). */
  readonly sequence: Column<H>;
  /** When a history row arrived (a timestamp): incremental builds rebuild the keys with newer rows. */
  readonly loadedAt: Column<H>;
  readonly strategy: SnapshotStrategy<Column<H>>;
  /** A version keeps the values of its `first` row (dbt's behaviour, the default) or its `last`. */
  readonly attributes?: 'first' | 'last';
  /** Hook: the first version's start when it is not its first row's time (e.g. a sign-up time). */
  readonly firstValidFrom?: Column<H>;
  /** The history's tombstones and what they do (dbt's `hard_deletes`); none when omitted. */
  readonly hardDeletes?: SnapshotHardDeletes<Column<H>>;
  /** Shapes the versions into the model's rows (rename, derive, add members such as `-1`). */
  readonly select: (ctx: ModelContext, snapshot: SnapshotRelations<H>) => Q;
  /**
   * Output columns holding the version's `scd_id` (the merge key), the unique key and
   * `scd_loaded_at`; by default those names.
   */
  readonly output?: {
    readonly scdId?: Column<QueryRow<Q>>;
    readonly uniqueKey?: readonly Column<QueryRow<Q>>[];
    readonly loadedAt?: Column<QueryRow<Q>>;
  };
  readonly contract: ModelContract<QueryRow<Q>>;
  readonly tests?: (t: TestBuilders<QueryRow<Q>>) => readonly DataTest<QueryRow<Q>>[];
  readonly postHooks?: readonly string[];
  /** `false` protects the history the table holds from `--full-refresh` (see `incremental`). */
  readonly allowFullRefresh?: boolean;
}

/**
 * Declares a snapshot: a slowly changing dimension of type 2 over an append-only history, as
 * dbt's snapshots (`timestamp` and `check` strategies, `hard_deletes`), materialized as an
 * incremental merge on the version key. Incremental builds recompute the keys with newly
 * loaded history whole, merge the versions that differ and remove those no longer produced.
 *
 * @example
 * export const plan_history = defineSnapshot({
 *   name: 'plan_history', description: 'Plans over time',
 *   history: (ctx) => ctx.db.selectFrom(ctx.source('raw.users__history', 'h')).selectAll('h'),
 *   uniqueKey: ['user_id'], sequence: '_change_seq', loadedAt: '_extracted_at',
 *   strategy: { type: 'check', checkCols: ['plan'], validFrom: 'updated_at' },
 *   select: (ctx, s) => ctx.db.selectFrom(s.versions('v')).select(['v.scd_id', 'v.user_id', 'v.plan', ...]),
 *   contract: { columns: { ... }, primaryKey: ['scd_id'] },
 * });
 */
export function defineSnapshot<const Name extends string, H, Q extends ModelQuery>(
  config: SnapshotConfig<Name, H, Q>,
): Model<Name, QueryRow<Q>> {
  const scdId: string = config.output?.scdId ?? snapshotColumns.scdId;
  const outputKey: readonly string[] = config.output?.uniqueKey ?? config.uniqueKey;
  const outputLoadedAt: string = config.output?.loadedAt ?? snapshotColumns.loadedAt;
  const columns = Object.keys(config.contract.columns);
  const versionsOptions = {
    uniqueKey: config.uniqueKey,
    sequence: config.sequence,
    loadedAt: config.loadedAt,
    strategy: config.strategy,
    attributes: config.attributes ?? 'first',
    firstValidFrom: config.firstValidFrom,
    hardDeletes: config.hardDeletes,
  };
  const list = (alias: string, names: readonly string[]) =>
    sql.join(names.map((name) => sql.ref(`${alias}.${name}`)));

  /** The keys with history loaded after the newest row the table holds. */
  const changedKeys = (ctx: ModelContext) =>
    sql`select ${list('c', config.uniqueKey)} from (${config.history(ctx)}) as c
      where (c.${sql.id(config.loadedAt)} > (select max(${sql.ref(`d.${outputLoadedAt}`)}) from ${ctx.self('d')})) is not false`;
  /** The model's rows: every key's on a full build, the changed keys' on an incremental one. */
  const shaped = (ctx: ModelContext) => {
    const history: RawBuilder<unknown> = ctx.isIncremental
      ? sql`select * from (${config.history(ctx)}) as h where (${list('h', config.uniqueKey)}) in (${changedKeys(ctx)})`
      : sql`${config.history(ctx)}`;
    const versions = snapshotVersionsSql(history, versionsOptions);
    return config.select(ctx, {
      versions: <A extends string>(alias: A) => sql<SnapshotVersion<H>>`(${versions})`.as<A>(alias),
      history: <A extends string>(alias: A) => sql<H>`(${history})`.as<A>(alias),
    });
  };

  const model = defineModel({
    name: config.name,
    description: config.description,
    materialization: incremental({
      strategy: 'merge',
      uniqueKey: [scdId],
      ...(config.allowFullRefresh === undefined
        ? {}
        : { allowFullRefresh: config.allowFullRefresh }),
    }),
    ...(config.tags === undefined ? {} : { tags: config.tags }),
    // Incremental: only the rows that differ from the table's, so unchanged versions are not rewritten.
    select: (ctx): Q =>
      ctx.isIncremental
        ? (ctx.db
            .selectFrom(shaped(ctx).as('n'))
            .selectAll('n')
            .where(
              sql<boolean>`not exists (select 1 from ${ctx.self('d')} where ${sql.ref(`d.${scdId}`)} = ${sql.ref(`n.${scdId}`)}
                and (${list('d', columns)}) is not distinct from (${list('n', columns)}))`,
            ) as unknown as Q)
        : shaped(ctx),
    // Versions of rebuilt keys that the rebuild no longer produces (history arrived out of order).
    // `not exists`, an anti-join: `not in (subquery)` is a hashed subplan only while the planner
    // thinks the rebuild fits work_mem; past that it rescanned the rebuild for every row of the
    // table (1M users: 313 s for 9,000 versions).
    deletes: (ctx) =>
      ctx.db
        .selectFrom(ctx.self('d'))
        .select(sql.ref(`d.${scdId}`).as(scdId))
        .where(sql<boolean>`(${list('d', outputKey)}) in (${changedKeys(ctx)})`)
        .where(
          sql<boolean>`not exists (select 1 from (${shaped(ctx)}) as s where ${sql.ref(`s.${scdId}`)} = ${sql.ref(`d.${scdId}`)})`,
        ),
    contract: config.contract,
    ...(config.tests === undefined ? {} : { tests: config.tests }),
    ...(config.postHooks === undefined ? {} : { postHooks: config.postHooks }),
  });
  return Object.freeze({ ...model, resourceType: 'snapshot' });
}

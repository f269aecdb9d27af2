import { sql, type RawBuilder } from 'kysely';

/** How a snapshot tells a new version of a key from another observation of the same one. */
export type SnapshotStrategy<Column extends string = string> =
  /** A version per newer `updatedAt` (dbt's `timestamp`): valid from that `updatedAt`. */
  | { readonly type: 'timestamp'; readonly updatedAt: Column }
  /** A version per change of any of `checkCols` (dbt's `check`): valid from its first row's `validFrom`. */
  | {
      readonly type: 'check';
      readonly checkCols: readonly [Column, ...Column[]];
      readonly validFrom: Column;
    };

/**
 * What a tombstone of the history (a row where `when` is true) does, as dbt's `hard_deletes`:
 * `ignore` skips it (the last version stays current); `invalidate` closes the last version at the
 * tombstone's `at`; `new_record` also adds a version with `is_deleted` true (the last values) from
 * then on. After a tombstone the next row of the key opens a version whatever the strategy says.
 */
export type SnapshotHardDeletes<Column extends string = string> =
  | { readonly mode: 'ignore'; readonly when: Column }
  | { readonly mode: 'invalidate' | 'new_record'; readonly when: Column; readonly at: Column };

/** The snapshot's options over the history's column names, as the SQL needs them. */
export interface SnapshotVersionsOptions {
  readonly uniqueKey: readonly [string, ...string[]];
  /** Observation order within a key (e.g. the source's change sequence). */
  readonly sequence: string;
  /** When a history row arrived: each version carries the latest of its rows (`scd_loaded_at`). */
  readonly loadedAt: string;
  readonly strategy: SnapshotStrategy;
  /** A version holds the values of its `first` row (dbt) or its `last` (type-1 within a version). */
  readonly attributes: 'first' | 'last';
  /** The first version's start, when it is not its first row's time (e.g. a sign-up time). */
  readonly firstValidFrom: string | undefined;
  readonly hardDeletes: SnapshotHardDeletes | undefined;
}

/** The versions relation's own columns, next to the history's. */
export const snapshotColumns = {
  validFrom: 'valid_from',
  validTo: 'valid_to',
  isCurrent: 'is_current',
  scdId: 'scd_id',
  isDeleted: 'is_deleted',
  loadedAt: 'scd_loaded_at',
} as const;

const id = (name: string) => sql.id(name);
const col = (alias: string, name: string) => sql.ref(`${alias}.${name}`);
const list = (alias: string, names: readonly string[]) =>
  sql.join(names.map((name) => col(alias, name)));

/**
 * The SCD2 versions of every key of `history` (a relation of H rows), as a query: the history's
 * columns from the version's `attributes` row, plus `snapshotColumns`. Versions are numbered in
 * `sequence` order and computed from the whole history of a key alone, so a key's versions are
 * the same however its history arrived (an incremental build recomputes changed keys whole).
 * Validity is kept strictly increasing: `valid_from(n) = max(start(n), valid_from(n-1) + 1 µs)`,
 * in closed form as a running maximum of `start(j) - j µs`, plus `n µs`. `scd_id` is a
 * non-negative bigint from the MD5 of the key and `valid_from`'s epoch microseconds (52 bits, exact
 * in JavaScript), so keys survive rebuilds.
 */
export function snapshotVersionsSql(
  history: RawBuilder<unknown>,
  options: SnapshotVersionsOptions,
) {
  const { uniqueKey, sequence, strategy, hardDeletes } = options;
  const key = (alias: string) => list(alias, uniqueKey);
  const byKey = (alias: string) => sql`partition by ${key(alias)}`;
  const tombstone =
    hardDeletes === undefined ? sql`false` : sql`coalesce(${col('h', hardDeletes.when)}, false)`;
  const deletedAt = hardDeletes?.mode === 'ignore' ? undefined : hardDeletes?.at;
  const tracksDeletes = deletedAt !== undefined;
  const startTime =
    strategy.type === 'timestamp' ? col('r', strategy.updatedAt) : col('r', strategy.validFrom);
  const rowTime =
    deletedAt === undefined
      ? startTime
      : sql`case when r.__deleted then ${col('r', deletedAt)} else ${startTime} end`;
  const changed =
    strategy.type === 'timestamp'
      ? sql`m.__updated_at > m.__prior_max`
      : sql`m.__check is distinct from m.__prior_check`;
  const strategyWindows =
    strategy.type === 'timestamp'
      ? sql`${col('r', strategy.updatedAt)} as __updated_at,
          max(${col('r', strategy.updatedAt)}) over (${byKey('r')}, r.__epoch order by ${col('r', sequence)}
            rows between unbounded preceding and 1 preceding) as __prior_max`
      : sql`row(${list('r', strategy.checkCols)}) as __check,
          lag(row(${list('r', strategy.checkCols)})) over (${byKey('r')} order by ${col('r', sequence)}) as __prior_check`;
  const firstStart =
    options.firstValidFrom === undefined
      ? sql`s.__opened_at`
      : sql`case when s.__version_no = 1 then ${col('a', options.firstValidFrom)} else s.__opened_at end`;
  const scdText = sql.join(
    [
      ...uniqueKey.map((name) => col('t', name)),
      sql`(extract(epoch from t.__valid_from) * 1000000)::bigint`,
    ].map((part) => sql`coalesce(${part}::text, '')`),
    sql` || '|' || `,
  );
  const { validFrom, validTo, isCurrent, scdId, isDeleted, loadedAt } = snapshotColumns;
  return sql`
    with __input as (select * from (${history}) as h),
    __flagged as (
      select h.*, ${tombstone} as __deleted,
        count(*) filter (where not ${tombstone}) over (${byKey('h')} order by ${col('h', sequence)}) as __upserts_so_far
      from __input h ${tracksDeletes ? sql`` : sql`where not ${tombstone}`}
    ),
    __rows as (
      select f.*, count(*) filter (where f.__deleted) over (${byKey('f')} order by ${col('f', sequence)}) as __epoch
      from __flagged f where not (f.__deleted and f.__upserts_so_far = 0)
    ),
    __marked as (
      select r.*, ${rowTime} as __time, lag(r.__deleted) over (${byKey('r')} order by ${col('r', sequence)}) as __prior_deleted,
        ${strategyWindows}
      from __rows r
    ),
    __numbered as (
      select m.*, sum(case when m.__prior_deleted is null or m.__deleted <> m.__prior_deleted then 1
          when m.__deleted then 0 when ${changed} then 1 else 0 end)
        over (${byKey('m')} order by ${col('m', sequence)}) as __version_no
      from __marked m
    ),
    __spans as (
      select ${key('n')}, n.__version_no, bool_or(n.__deleted) as __deleted,
        ${options.attributes === 'first' ? sql`min` : sql`max`}(${col('n', sequence)}) as __own_seq,
        max(${col('n', options.loadedAt)}) as __loaded_at,
        (array_agg(n.__time order by ${col('n', sequence)}))[1] as __opened_at
      from __numbered n group by ${key('n')}, n.__version_no
    ),
    __attributed as (
      select s.*, case when s.__deleted then lag(s.__own_seq) over (${byKey('s')} order by s.__version_no)
        else s.__own_seq end as __attr_seq
      from __spans s
    ),
    __started as (
      select s.*, ${firstStart} as __starts_at
      from __attributed s join __input a on (${key('a')}) = (${key('s')}) and ${col('a', sequence)} = s.__attr_seq
    ),
    __timed as (
      select s.*, max(s.__starts_at - s.__version_no * interval '1 microsecond')
        over (${byKey('s')} order by s.__version_no) + s.__version_no * interval '1 microsecond' as __valid_from
      from __started s
    ),
    __closed as (
      select t.*, lead(t.__valid_from) over (${byKey('t')} order by t.__version_no) as __valid_to,
        lead(t.__deleted) over (${byKey('t')} order by t.__version_no) as __closed_by_delete,
        lead(t.__loaded_at) over (${byKey('t')} order by t.__version_no) as __closing_loaded_at,
        ('x' || substr(md5(${scdText}), 1, 13))::bit(52)::bigint as __scd_id
      from __timed t
    )
    select a.*, c.__valid_from as ${id(validFrom)}, c.__valid_to as ${id(validTo)},
      c.__valid_to is null as ${id(isCurrent)}, c.__scd_id as ${id(scdId)}, c.__deleted as ${id(isDeleted)},
      case when coalesce(c.__closed_by_delete, false) then greatest(c.__loaded_at, c.__closing_loaded_at)
        else c.__loaded_at end as ${id(loadedAt)}
    from __closed c join __input a on (${key('a')}) = (${key('c')}) and ${col('a', sequence)} = c.__attr_seq
    ${hardDeletes?.mode === 'invalidate' ? sql`where not c.__deleted` : sql``}`;
}

import {
  sql,
  type Expression,
  type Kysely,
  type RawBuilder,
  type SelectQueryBuilder,
} from 'kysely';
import type { TrustedSchema } from '@reelhouse/warehouse';

import type { DimensionName } from './dimension-definitions.ts';

/** Where a metric query reads from: an additive aggregate, the fact table or the user dimension. */
export type SourceName =
  'usage' | 'content' | 'sessions' | 'signups' | 'cancellations' | 'subscribers';

/** The bounds of the current and previous periods as `yyyymmdd` keys and ISO dates. */
export interface PeriodBounds {
  readonly fromKey: number;
  readonly toKey: number;
  readonly previousFromKey: number;
  readonly previousToKey: number;
  readonly from: string;
  readonly to: string;
  readonly previousFrom: string;
  readonly previousTo: string;
  /** Length of each period in days. */
  readonly days: number;
}

// The tables each source joins are aliased; the builder's row type does not matter past FROM.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type SourceQuery = SelectQueryBuilder<any, any, object>;

export interface MetricSource {
  readonly name: SourceName;
  /** FROM and JOIN clauses of the source. */
  from(db: Kysely<TrustedSchema>): SourceQuery;
  /**
   * The event day as a `yyyymmdd` integer: range filters, previous-period split and date
   * dimensions read it. Absent for snapshot sources, whose metrics carry their own as-of test.
   */
  readonly dayKey?: RawBuilder<number>;
  /** Rows that belong to the source at all (for example only current user versions). */
  readonly where?: Expression<boolean>;
  /** True for the rows of one period: the event day within it, or the version valid at its end. */
  inPeriod(range: PeriodRange): RawBuilder<boolean>;
  /**
   * Category dimensions this source answers by an expression of its own instead of the
   * definition's, with the same values (a copy that stores a derived value as a column).
   */
  readonly dimensions?: Partial<Record<DimensionName, RawBuilder<string | number | null>>>;
  /**
   * This source's own exact form of "distinct users where ..." for one query, when its engine has
   * a faster one (as dbt dispatches a macro per adapter); undefined keeps
   * `count(distinct u.user_id) filter (where ...)`.
   */
  readonly distinctUsers?: (
    where: RawBuilder<boolean>,
    query: DistinctUsersQuery,
  ) => RawBuilder<number> | undefined;
  /**
   * This source's own exact form of a text dimension's filter, "the value, lower-cased, is one of
   * `lowered`", when its engine has a faster one (a copy that knows every value it stores);
   * undefined keeps `lower(<dimension>) in (...)`.
   */
  readonly matchesIgnoringCase?: (
    dimension: DimensionName,
    lowered: readonly string[],
  ) => RawBuilder<boolean> | undefined;
}

/**
 * What a source's `distinctUsers` may look at: the query's groups, filters and periods, and the
 * one period (`range`) whose users are counted. The condition it is given is that period's
 * `inPeriod` plus conditions on the user version alone (`u.user_key <> -1`), never on the session.
 */
export interface DistinctUsersQuery {
  readonly dimensions: readonly DimensionName[];
  readonly filters: Readonly<Partial<Record<DimensionName, readonly (string | number)[]>>>;
  readonly period: PeriodBounds;
  readonly range: PeriodRange;
}

/** One period: first and last day, inclusive. */
export interface PeriodRange {
  readonly fromKey: number;
  readonly toKey: number;
  readonly from: string;
  readonly to: string;
}

const eventDayWithin = (dayKey: RawBuilder<number>) => (range: PeriodRange) =>
  sql<boolean>`${dayKey} between ${range.fromKey} and ${range.toKey}`;

/** `to_date(<yyyymmdd>::text)`: the event day as a SQL date. */
export function dayOf(dayKey: RawBuilder<number>): RawBuilder<string> {
  return sql<string>`to_date(${dayKey}::text, 'YYYYMMDD')`;
}

/** The sources in preference order: the cheapest one that answers a query wins. */
export const metricSources: readonly MetricSource[] = [
  {
    name: 'usage',
    from: (db) => db.selectFrom('trusted.agg_daily_usage as a'),
    dayKey: sql<number>`a.date_key`,
    inPeriod: eventDayWithin(sql<number>`a.date_key`),
  },
  {
    name: 'content',
    from: (db) =>
      db
        .selectFrom('trusted.agg_daily_content as ac')
        .innerJoin('trusted.dim_content as c', 'c.content_key', 'ac.content_key'),
    dayKey: sql<number>`ac.date_key`,
    inPeriod: eventDayWithin(sql<number>`ac.date_key`),
  },
  {
    name: 'sessions',
    from: (db) =>
      db
        .selectFrom('trusted.fact_viewing_session as f')
        .innerJoin('trusted.dim_user as u', 'u.user_key', 'f.user_key')
        .innerJoin('trusted.dim_content as c', 'c.content_key', 'f.content_key'),
    dayKey: sql<number>`f.date_key`,
    inPeriod: eventDayWithin(sql<number>`f.date_key`),
  },
  {
    name: 'signups',
    from: (db) => db.selectFrom('trusted.dim_user as u'),
    dayKey: sql<number>`u.signup_date_key`,
    inPeriod: eventDayWithin(sql<number>`u.signup_date_key`),
    where: sql<boolean>`u.is_current and u.user_key <> -1`,
  },
  {
    name: 'cancellations',
    from: (db) => db.selectFrom('trusted.dim_user as u'),
    // Dated by the cancellation itself: the version it opened starts when the warehouse saw it.
    dayKey: sql<number>`u.cancelled_date_key`,
    inPeriod: eventDayWithin(sql<number>`u.cancelled_date_key`),
    where: sql<boolean>`u.is_current and u.subscription_status = 'cancelled' and u.user_key <> -1`,
  },
  {
    name: 'subscribers',
    from: (db) => db.selectFrom('trusted.dim_user as u'),
    where: sql<boolean>`u.user_key <> -1`,
    // Valid at the end of the period's last day: valid_from < next midnight <= valid_to.
    inPeriod: (range) =>
      sql<boolean>`(u.valid_from < (${range.to}::date + 1)::timestamp at time zone 'UTC' and (u.valid_to is null or u.valid_to >= (${range.to}::date + 1)::timestamp at time zone 'UTC'))`,
  },
];

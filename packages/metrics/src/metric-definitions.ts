import { sql, type RawBuilder } from 'kysely';

import type { PeriodRange, SourceName } from './metric-source.ts';

/** How a value reads: the dashboard formats numbers by unit. */
export type MetricUnit =
  'count' | 'hours' | 'minutes' | 'ratio' | 'kbps' | 'milliseconds' | 'currency';

/**
 * Aggregates whose exact SQL form the answering source may choose (see
 * `MetricSource.distinctUsers`): metrics name what they count, the source says how.
 */
export interface MetricAggregates {
  /** Distinct `u.user_id` over the rows where `where` holds; 0 over none. */
  distinctUsers(where: RawBuilder<boolean>): RawBuilder<number>;
}

/** The aggregates as the warehouse (PostgreSQL) computes them. */
export const warehouseAggregates: MetricAggregates = {
  distinctUsers: (where) => sql<number>`count(distinct u.user_id) filter (where ${where})`,
};

/**
 * An aggregate over the rows of one period; `inPeriod` is the source's test for that period and
 * `range` its bounds (for metrics that also look at the period's start).
 */
export type MetricExpression = (
  inPeriod: RawBuilder<boolean>,
  range: PeriodRange,
  aggregates: MetricAggregates,
) => RawBuilder<number | null>;

export interface MetricDefinition {
  readonly label: string;
  readonly description: string;
  readonly unit: MetricUnit;
  /** True when a higher value is good news (the dashboard colours changes by it). */
  readonly higherIsBetter: boolean;
  /** A count or sum: 0 over no rows. Ratios and averages are null there (nothing to divide). */
  readonly total?: true;
  /** One expression per source that can answer it, in the sources' preference order. */
  readonly expressions: Partial<Record<SourceName, MetricExpression>>;
}

const sumIf = (column: string, inPeriod: RawBuilder<boolean>) =>
  sql<number>`sum(${sql.ref(column)}) filter (where ${inPeriod})`;
const countIf = (inPeriod: RawBuilder<boolean>) => sql<number>`count(*) filter (where ${inPeriod})`;
/**
 * Users of the `subscribers` source (dim_user versions valid at one instant): dim_user's
 * `versions_do_not_overlap` test holds one valid version per user at an instant, so counting the
 * versions counts the users exactly, without hashing a million ids as count(distinct) does.
 */
const usersValidIf = countIf;
/**
 * Users of the `signups` and `cancellations` sources, which read current versions only
 * (`u.is_current`): dim_user's `one_current_version_per_user` test holds one per user, so counting
 * the rows counts the users exactly, with no distinct over user ids.
 */
const currentUsersIf = countIf;
const payingAt = (inPeriod: RawBuilder<boolean>) =>
  sql<boolean>`${inPeriod} and u.subscription_status = 'active'`;
/** Active or paused: a subscriber (paused users keep their subscription, cancelled ones do not). */
const subscribedAt = (inPeriod: RawBuilder<boolean>) =>
  sql<boolean>`${inPeriod} and u.subscription_status in ('active', 'paused')`;
/** The user version valid at the start of the period's first day (the end of the day before). */
const validAtStart = (range: PeriodRange) =>
  sql<boolean>`(u.valid_from < ${range.from}::date::timestamp at time zone 'UTC' and (u.valid_to is null or u.valid_to >= ${range.from}::date::timestamp at time zone 'UTC'))`;
const ratio = (numerator: RawBuilder<number>, denominator: RawBuilder<number>) =>
  sql<number | null>`${numerator}::float8 / nullif(${denominator}, 0)`;
const scaled = (value: RawBuilder<number>, divisor: number) =>
  sql<number | null>`${value}::float8 / ${sql.lit(divisor)}`;

/** Every named metric, defined once; the compiler picks the cheapest source that has them all. */
export const metricDefinitions = {
  sessions: {
    label: 'Sessions',
    description: 'Viewing sessions started in the period.',
    unit: 'count',
    higherIsBetter: true,
    total: true,
    expressions: {
      usage: (p) => sumIf('a.sessions', p),
      content: (p) => sumIf('ac.sessions', p),
      sessions: (p) => countIf(p),
    },
  },
  active_users: {
    label: 'Active users',
    description: 'Distinct users with at least one session in the period.',
    unit: 'count',
    higherIsBetter: true,
    total: true,
    expressions: {
      sessions: (p, _range, aggregates) =>
        aggregates.distinctUsers(sql<boolean>`${p} and u.user_key <> -1`),
    },
  },
  watch_hours: {
    label: 'Watch hours',
    description: 'Hours watched in sessions started in the period.',
    unit: 'hours',
    higherIsBetter: true,
    total: true,
    expressions: {
      usage: (p) => scaled(sumIf('a.watch_seconds', p), 3600),
      content: (p) => scaled(sumIf('ac.watch_seconds', p), 3600),
      sessions: (p) => scaled(sumIf('f.watch_duration_s', p), 3600),
    },
  },
  avg_session_minutes: {
    label: 'Avg session',
    description: 'Average minutes watched per session.',
    unit: 'minutes',
    higherIsBetter: true,
    expressions: {
      usage: (p) => ratio(sumIf('a.watch_seconds', p), sql<number>`60 * ${sumIf('a.sessions', p)}`),
      content: (p) =>
        ratio(sumIf('ac.watch_seconds', p), sql<number>`60 * ${sumIf('ac.sessions', p)}`),
      sessions: (p) => ratio(sumIf('f.watch_duration_s', p), sql<number>`60 * ${countIf(p)}`),
    },
  },
  completion_rate: {
    label: 'Completion rate',
    description: 'Share of sessions that reached the end of the title.',
    unit: 'ratio',
    higherIsBetter: true,
    expressions: {
      usage: (p) => ratio(sumIf('a.completed_sessions', p), sumIf('a.sessions', p)),
      content: (p) => ratio(sumIf('ac.completed_sessions', p), sumIf('ac.sessions', p)),
      sessions: (p) =>
        ratio(sql<number>`count(*) filter (where ${p} and f.is_completed)`, countIf(p)),
    },
  },
  rebuffer_ratio: {
    label: 'Rebuffer ratio',
    description: 'Time spent rebuffering as a share of time watched.',
    unit: 'ratio',
    higherIsBetter: false,
    expressions: {
      usage: (p) =>
        ratio(sumIf('a.rebuffer_ms', p), sql<number>`1000 * ${sumIf('a.watch_seconds', p)}`),
      sessions: (p) =>
        ratio(sumIf('f.rebuffer_ms', p), sql<number>`1000 * ${sumIf('f.watch_duration_s', p)}`),
    },
  },
  rebuffers_per_hour: {
    label: 'Rebuffers per hour',
    description: 'Rebuffering events per hour watched.',
    unit: 'count',
    higherIsBetter: false,
    expressions: {
      usage: (p) =>
        ratio(sql<number>`3600 * ${sumIf('a.rebuffer_count', p)}`, sumIf('a.watch_seconds', p)),
      sessions: (p) =>
        ratio(sql<number>`3600 * ${sumIf('f.rebuffer_count', p)}`, sumIf('f.watch_duration_s', p)),
    },
  },
  avg_bitrate_kbps: {
    label: 'Avg bitrate',
    description: 'Average bitrate weighted by time watched (kbps).',
    unit: 'kbps',
    higherIsBetter: true,
    expressions: {
      usage: (p) => ratio(sumIf('a.bitrate_kbps_seconds', p), sumIf('a.watch_seconds', p)),
      sessions: (p) =>
        ratio(
          sql<number>`sum(f.avg_bitrate_kbps::bigint * f.watch_duration_s) filter (where ${p})`,
          sumIf('f.watch_duration_s', p),
        ),
    },
  },
  avg_startup_ms: {
    label: 'Avg startup',
    description: 'Average time to first frame (ms).',
    unit: 'milliseconds',
    higherIsBetter: false,
    expressions: {
      usage: (p) => ratio(sumIf('a.startup_ms_total', p), sumIf('a.sessions', p)),
      sessions: (p) => ratio(sumIf('f.startup_ms', p), countIf(p)),
    },
  },
  revenue_per_user: {
    label: 'Revenue per user',
    description:
      'Monthly recurring revenue per paying subscriber as of the last day of the period (ARPU; price currency units, not converted).',
    unit: 'currency',
    higherIsBetter: true,
    expressions: {
      // One version per user is valid at an instant, so the sum counts each subscriber once.
      subscribers: (p) =>
        ratio(
          sumIf('u.monthly_price_cents', payingAt(p)),
          sql<number>`100 * ${usersValidIf(payingAt(p))}`,
        ),
    },
  },
  mrr: {
    label: 'MRR',
    description:
      'Monthly recurring revenue of paying subscribers as of the last day of the period (price currency units).',
    unit: 'currency',
    higherIsBetter: true,
    total: true,
    expressions: { subscribers: (p) => scaled(sumIf('u.monthly_price_cents', payingAt(p)), 100) },
  },
  signups: {
    label: 'Sign-ups',
    description: 'Users who signed up in the period.',
    unit: 'count',
    higherIsBetter: true,
    total: true,
    expressions: { signups: (p) => currentUsersIf(p) },
  },
  cancellations: {
    label: 'Cancellations',
    description: 'Users whose subscription was cancelled in the period (churned).',
    unit: 'count',
    higherIsBetter: false,
    total: true,
    expressions: { cancellations: (p) => currentUsersIf(p) },
  },
  subscribers: {
    label: 'Subscribers',
    description:
      'Users whose dim_user version valid at the end of the period (its last day, 24:00 UTC) is active or paused, by their attributes in that version.',
    unit: 'count',
    higherIsBetter: true,
    total: true,
    expressions: { subscribers: (p) => usersValidIf(subscribedAt(p)) },
  },
  users: {
    label: 'Users',
    description:
      'Users with a dim_user version valid at the end of the period, whatever their status (active, paused or cancelled).',
    unit: 'count',
    higherIsBetter: true,
    total: true,
    expressions: { subscribers: (p) => usersValidIf(p) },
  },
  churn_rate: {
    label: 'Churn rate',
    description:
      'Subscribers at the start of the period (active or paused the day before it) whose version valid at its end is cancelled, over those subscribers.',
    unit: 'ratio',
    higherIsBetter: false,
    expressions: {
      // Filters by user attributes apply to each version: the starting subscriber's and the cancelled one's.
      subscribers: (p, range) =>
        ratio(
          sql<number>`count(*) filter (where ${p} and u.subscription_status = 'cancelled' and u.user_id in (select s.user_id from trusted.dim_user s where s.user_key <> -1 and s.subscription_status in ('active', 'paused') and s.valid_from < ${range.from}::date::timestamp at time zone 'UTC' and (s.valid_to is null or s.valid_to >= ${range.from}::date::timestamp at time zone 'UTC')))`,
          usersValidIf(subscribedAt(validAtStart(range))),
        ),
    },
  },
} as const satisfies Record<string, MetricDefinition>;

export type MetricName = keyof typeof metricDefinitions;
export const metricNames = Object.keys(metricDefinitions) as [MetricName, ...MetricName[]];

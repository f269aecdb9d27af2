import { sql, type Expression } from 'kysely';

import { acquisitionChannels, genders, plans, subscriptionStatuses } from '@reelhouse/contracts';
import {
  defineSnapshot,
  type ModelContext,
  type SnapshotRelations,
  type SnapshotVersion,
} from '@reelhouse/model-compiler';
import type { DimUser } from '@reelhouse/warehouse';

import { aliasedColumns } from './aliased-columns.ts';
import { dim_date } from './dim_date.ts';
import { ref_country } from './ref_country.ts';

/** One row of `raw.users__history`, cleaned as staging cleans `raw.users` (tombstones flagged). */
interface UserHistoryRow {
  user_id: string;
  _deleted: boolean;
  _change_seq: number;
  _extracted_at: Date;
  email: string | null;
  birth_year: number | null;
  gender: string | null;
  country_code: string;
  preferred_language: string;
  signup_ts: Date;
  plan: string;
  monthly_price_cents: number;
  currency: string;
  subscription_status: string;
  cancelled_at: Date | null;
  acquisition_channel: string;
  updated_at: Date;
}

/** One SCD2 version (see `dim_user`'s snapshot options) with its user's erasure. */
type UserVersion = SnapshotVersion<UserHistoryRow> & {
  /** A tombstone of the user is in the history: every version keeps its key, none its PII. */
  erased: boolean;
  /** The version's last load, or the erasure's when later. */
  last_extracted_at: Date;
};

/** Every extracted version of every user, trimmed and cased as the staging view does. */
function userHistory(ctx: ModelContext) {
  const column = <N extends keyof UserHistoryRow>(expression: string, name: N) =>
    sql<UserHistoryRow[N]>`${sql.raw(expression)}`.as(name);
  return ctx.db
    .selectFrom(ctx.source('raw.users__history', 'h'))
    .select([
      column('lower(trim(h.user_id::text))', 'user_id'),
      column("h._op = 'delete'", '_deleted'),
      column('h._change_seq', '_change_seq'),
      column('h._extracted_at', '_extracted_at'),
      column('lower(trim(h.email))', 'email'),
      column('h.birth_year', 'birth_year'),
      column("nullif(lower(trim(h.gender)), '')", 'gender'),
      column('upper(trim(h.country_code))', 'country_code'),
      column('trim(h.preferred_language)', 'preferred_language'),
      column('h.signup_ts', 'signup_ts'),
      column('lower(trim(h.plan))', 'plan'),
      column('h.monthly_price_cents', 'monthly_price_cents'),
      column('upper(trim(h.currency))', 'currency'),
      column('lower(trim(h.subscription_status))', 'subscription_status'),
      column('h.cancelled_at', 'cancelled_at'),
      column('lower(trim(h.acquisition_channel))', 'acquisition_channel'),
      column('h.updated_at', 'updated_at'),
    ]);
}

const v = <K extends keyof UserVersion>(column: K) =>
  sql<UserVersion[K]>`${sql.ref(`v.${column}`)}`;
/** An erased user's version keeps no personal attribute: `kept` unless erased, else `erased`. */
const unlessErased = <T>(kept: Expression<T>, erased: Expression<T>) =>
  sql<T>`case when ${v('erased')} then ${erased} else ${kept} end`;
const age = sql<number>`(extract(year from ${v('updated_at')} at time zone 'UTC')::integer - ${v('birth_year')})`;

/** The dim_user rows of the snapshot's versions: erased users' blanked, plus the `-1` member. */
function dimUserRows(ctx: ModelContext, snapshot: SnapshotRelations<UserHistoryRow>) {
  // Erasure blanks every version (GDPR), unlike a hard delete that would close the last one.
  const erasures = sql`select h.user_id, max(h._extracted_at) as erased_extracted_at
    from ${snapshot.history('h')} where h._deleted group by h.user_id`;
  return ctx.db
    .selectFrom(
      sql<UserVersion>`(select v.*, e.user_id is not null as erased,
        greatest(v.scd_loaded_at, e.erased_extracted_at) as last_extracted_at
        from ${snapshot.versions('v')} left join (${erasures}) e on e.user_id = v.user_id)`.as('v'),
    )
    .leftJoin(ctx.ref(ref_country, 'c'), 'c.country_code', 'v.country_code')
    .select((eb) =>
      aliasedColumns<DimUser>({
        user_key: v('scd_id'),
        user_id: v('user_id'),
        email_sha256: unlessErased(
          sql<string | null>`encode(sha256(convert_to(${v('email')}, 'UTF8')), 'hex')`,
          sql`null::text`,
        ),
        // Ages as of the version's own data (its last update), never the build's clock.
        age_band: sql<string>`case when ${v('erased')} or ${age} is null then 'unknown' when ${age} < 18 then 'under_18' when ${age} < 25 then '18-24' when ${age} < 35 then '25-34' when ${age} < 45 then '35-44' when ${age} < 55 then '45-54' when ${age} < 65 then '55-64' else '65+' end`,
        gender: unlessErased(sql<string>`coalesce(${v('gender')}, 'unknown')`, sql`'unknown'`),
        country_code: unlessErased(v('country_code'), sql`'ZZ'`),
        region: unlessErased(
          sql<string>`coalesce(${eb.ref('c.region')}, 'unknown')`,
          sql`'unknown'`,
        ),
        preferred_language: unlessErased<string | null>(v('preferred_language'), sql`null::text`),
        plan: unlessErased(v('plan'), sql`'unknown'`),
        monthly_price_cents: unlessErased<number | null>(
          v('monthly_price_cents'),
          sql`null::integer`,
        ),
        currency: unlessErased<string | null>(v('currency'), sql`null::text`),
        subscription_status: unlessErased(v('subscription_status'), sql`'erased'`),
        signup_date_key: unlessErased(
          sql<number>`to_char(${v('signup_ts')} at time zone 'UTC', 'YYYYMMDD')::integer`,
          sql`-1`,
        ),
        // The day of the cancellation this version's status refers to (churn is dated by it).
        cancelled_date_key: unlessErased<number | null>(
          sql`to_char(${v('cancelled_at')} at time zone 'UTC', 'YYYYMMDD')::integer`,
          sql`null::integer`,
        ),
        acquisition_channel: unlessErased(v('acquisition_channel'), sql`'unknown'`),
        valid_from: v('valid_from'),
        valid_to: v('valid_to'),
        is_current: sql<boolean>`not ${v('erased')} and ${v('valid_to')} is null`,
        _extracted_at: sql<Date | null>`${v('last_extracted_at')}`,
      }),
    )
    .unionAll(unknownUser(ctx));
}

/** The `-1` member that facts point at when their user is unknown (or erased). */
function unknownUser(ctx: ModelContext) {
  return ctx.db.selectNoFrom(
    aliasedColumns<DimUser>({
      user_key: sql<number>`-1::bigint`,
      user_id: sql<string>`'unknown'`,
      email_sha256: sql<string | null>`null::text`,
      age_band: sql<string>`'unknown'`,
      gender: sql<string>`'unknown'`,
      country_code: sql<string>`'ZZ'`,
      region: sql<string>`'unknown'`,
      preferred_language: sql<string | null>`null::text`,
      plan: sql<string>`'unknown'`,
      monthly_price_cents: sql<number | null>`null::integer`,
      currency: sql<string | null>`null::text`,
      subscription_status: sql<string>`'unknown'`,
      signup_date_key: sql<number>`-1`,
      cancelled_date_key: sql<number | null>`null::integer`,
      acquisition_channel: sql<string>`'unknown'`,
      valid_from: sql<Date>`'1900-01-01T00:00:00Z'::timestamptz`,
      valid_to: sql<Date | null>`null::timestamptz`,
      is_current: sql<boolean>`true`,
      _extracted_at: sql<Date | null>`null::timestamptz`,
    }),
  );
}

/** Users as SCD type 2 on plan, subscription status and country, built from the raw history. */
export const dim_user = defineSnapshot({
  name: 'dim_user',
  description:
    "One row per user version, from raw.users__history: SCD type 2 on plan, subscription_status and country_code, valid from the source business time of the change (the first version from sign-up); other attributes as of the version's last source row. user_key derives from (user_id, valid_from), so keys are stable across rebuilds; -1 is the unknown member. Only a SHA-256 of the email is kept; an erased user's versions keep their keys with no personal attribute (status erased, not current). Incremental: the users with newly extracted history are recomputed whole.",
  tags: ['dimension'],
  // Merged in place, never replaced: the fact holds a foreign key on it (see dim_date).
  history: userHistory,
  uniqueKey: ['user_id'],
  sequence: '_change_seq',
  loadedAt: '_extracted_at',
  strategy: {
    type: 'check',
    checkCols: ['plan', 'subscription_status', 'country_code'],
    // The source's business time: the clock of the sessions' `started_at`, unlike `_changed_at`.
    validFrom: 'updated_at',
  },
  // Other attributes as of the version's last row (type 1 within a version).
  attributes: 'last',
  firstValidFrom: 'signup_ts',
  hardDeletes: { mode: 'ignore', when: '_deleted' },
  select: dimUserRows,
  output: { scdId: 'user_key', loadedAt: '_extracted_at' },
  contract: {
    columns: {
      user_key: { type: 'bigint' },
      user_id: { type: 'text' },
      email_sha256: { type: 'text', nullable: true, check: `email_sha256 ~ '^[0-9a-f]{64}$'` },
      age_band: { type: 'text' },
      gender: { type: 'text' },
      country_code: { type: 'text', check: `country_code ~ '^[A-Z]{2}$'` },
      region: { type: 'text' },
      preferred_language: { type: 'text', nullable: true },
      plan: { type: 'text' },
      monthly_price_cents: { type: 'integer', nullable: true, check: 'monthly_price_cents >= 0' },
      currency: { type: 'text', nullable: true },
      subscription_status: { type: 'text' },
      signup_date_key: { type: 'integer' },
      cancelled_date_key: { type: 'integer', nullable: true },
      acquisition_channel: { type: 'text' },
      valid_from: { type: 'timestamptz' },
      valid_to: { type: 'timestamptz', nullable: true },
      is_current: { type: 'boolean' },
      _extracted_at: { type: 'timestamptz', nullable: true },
    },
    primaryKey: ['user_key'],
    indexes: [['user_id', 'valid_from'], ['_extracted_at']],
  },
  tests: (t) => [
    t.unique(['user_id', 'valid_from']),
    t.acceptedValues('plan', [...plans, 'unknown']),
    t.acceptedValues('subscription_status', [...subscriptionStatuses, 'unknown', 'erased']),
    t.acceptedValues('gender', [...genders, 'unknown']),
    t.acceptedValues('acquisition_channel', [...acquisitionChannels, 'unknown']),
    // No foreign key: dim_user outlives rebuilds of dim_date, so the test guards the link instead.
    t.relationships('signup_date_key', { model: dim_date, field: 'date_key' }),
    t.relationships('cancelled_date_key', { model: dim_date, field: 'date_key' }),
    t.acceptedValues('age_band', [
      'under_18',
      '18-24',
      '25-34',
      '35-44',
      '45-54',
      '55-64',
      '65+',
      'unknown',
    ]),
    // Both rules span one user's versions: a build can break one only by writing a version of
    // that user (removing versions cannot), so the users of its new rows are checked, against
    // the table as merged. A defect already stored in another user's rows is not checked again.
    t.custom('one_current_version_per_user', (ctx, self, newRows) =>
      ctx.db
        .selectFrom(sql`${sql.raw(self)}`.as('u'))
        .select([
          sql<string>`u.user_id`.as('user_id'),
          sql<number>`count(*)`.as('current_versions'),
        ])
        .where(sql<boolean>`u.is_current`)
        .where(sql<boolean>`u.user_id in (select n.user_id from ${sql.raw(newRows)} n)`)
        .groupBy(sql`u.user_id`)
        .having(sql<boolean>`count(*) > 1`),
    ),
    t.custom('versions_do_not_overlap', (ctx, self, newRows) =>
      ctx.db
        .selectFrom(sql`${sql.raw(self)}`.as('a'))
        .innerJoin(sql`${sql.raw(self)}`.as('b'), (join) =>
          join.on(sql<boolean>`a.user_id = b.user_id and a.user_key <> b.user_key`),
        )
        .select([
          sql<string>`a.user_id`.as('user_id'),
          sql<number>`a.user_key`.as('user_key'),
          sql<number>`b.user_key`.as('overlapping_user_key'),
        ])
        .where(sql<boolean>`a.user_id in (select n.user_id from ${sql.raw(newRows)} n)`)
        .where(
          sql<boolean>`a.valid_from <= b.valid_from and b.valid_from < coalesce(a.valid_to, 'infinity')`,
        ),
    ),
  ],
});

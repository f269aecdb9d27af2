import { sql, type AliasedRawBuilder, type Expression, type QueryCreator } from 'kysely';

import { acquisitionChannels, genders, plans, subscriptionStatuses } from '@reelhouse/contracts';
import { defineModel, incremental, type ModelContext } from '@reelhouse/model-compiler';
import type { DimUser } from '@reelhouse/warehouse';

import { aliasedColumns } from './aliased-columns.ts';
import { sourceUsers, type SourceUser, type WithSource } from './source-users.ts';
import { dim_date } from './dim_date.ts';
import { epochMicros, surrogateKey } from './surrogate-key.ts';

/** Type 1 attributes: a change overwrites the current version instead of opening a new one. */
const overwritten = [
  'email_sha256',
  'age_band',
  'gender',
  'region',
  'preferred_language',
  'monthly_price_cents',
  'currency',
  'signup_date_key',
  // Type 1: the day of the cancellation the current status refers to (churn is dated by it).
  'cancelled_date_key',
  'acquisition_channel',
] as const satisfies readonly (keyof SourceUser & keyof DimUser)[];

// Aliases are fixed by the queries below: `s` the source row, `d` the existing version.
const s = <K extends keyof SourceUser>(column: K) => sql<SourceUser[K]>`${sql.ref(`s.${column}`)}`;
const d = <K extends keyof DimUser>(column: K) => sql<DimUser[K]>`${sql.ref(`d.${column}`)}`;

/** SCD type 2 attributes (plan, subscription status, country): a change opens a new version. */
const historyChanged = sql<boolean>`(${s('plan')}, ${s('subscription_status')}, ${s('country_code')}) is distinct from (${d('plan')}, ${d('subscription_status')}, ${d('country_code')})`;
const overwrittenChanged = sql<boolean>`(${sql.join(overwritten.map((c) => s(c)))}) is distinct from (${sql.join(overwritten.map((c) => d(c)))})`;
/** When a change happened: the source's update time, kept after the version it closes. */
const changedAt = sql<Date>`greatest(${s('updated_at')}, ${d('valid_from')} + interval '1 microsecond')`;

const sourceAttributes = {
  user_id: s('user_id'),
  email_sha256: s('email_sha256'),
  age_band: s('age_band'),
  gender: s('gender'),
  country_code: s('country_code'),
  region: s('region'),
  preferred_language: s('preferred_language'),
  plan: s('plan'),
  monthly_price_cents: s('monthly_price_cents'),
  currency: s('currency'),
  subscription_status: s('subscription_status'),
  signup_date_key: s('signup_date_key'),
  cancelled_date_key: s('cancelled_date_key'),
  acquisition_channel: s('acquisition_channel'),
};

/** A current version of the source user from `validFrom`; its key derives from (user_id, valid_from). */
function openVersion(validFrom: Expression<Date>) {
  return aliasedColumns<DimUser>({
    user_key: surrogateKey([s('user_id'), epochMicros(validFrom)]),
    ...sourceAttributes,
    valid_from: validFrom,
    valid_to: sql<Date | null>`null::timestamptz`,
    is_current: sql<boolean>`true`,
  });
}

/** The `-1` member that facts point at when their user is unknown. */
function unknownUser(db: QueryCreator<WithSource>) {
  return db.selectNoFrom(
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
    }),
  );
}

/** First build (or full refresh): one version per user, valid from sign-up. */
function firstVersions(db: QueryCreator<WithSource>) {
  return db
    .selectFrom('src as s')
    .select(openVersion(s('signup_ts')))
    .unionAll(unknownUser(db));
}

/**
 * Later builds compare raw's current state with the current versions and emit only the rows to
 * merge: unseen users get a first version; a change of plan, status or country closes the current
 * version at the source's `updated_at` and opens a new one; other attributes are overwritten on
 * the current version.
 */
function laterVersions(db: QueryCreator<WithSource>, ctx: ModelContext) {
  const current = () => ctx.self('d') as unknown as AliasedRawBuilder<DimUser, 'd'>;
  const opened = db
    .selectFrom('src as s')
    .leftJoin(current(), (join) => join.onRef('d.user_id', '=', 's.user_id').on(d('is_current')))
    .where((eb) => eb.or([eb('d.user_key', 'is', null), historyChanged]))
    .select(
      openVersion(
        sql<Date>`case when ${d('user_key')} is null then ${s('signup_ts')} else ${changedAt} end`,
      ),
    );
  const closed = db
    .selectFrom('src as s')
    .innerJoin(current(), (join) => join.onRef('d.user_id', '=', 's.user_id').on(d('is_current')))
    .where(historyChanged)
    .select(
      aliasedColumns<DimUser>({
        user_key: d('user_key'),
        user_id: d('user_id'),
        email_sha256: d('email_sha256'),
        age_band: d('age_band'),
        gender: d('gender'),
        country_code: d('country_code'),
        region: d('region'),
        preferred_language: d('preferred_language'),
        plan: d('plan'),
        monthly_price_cents: d('monthly_price_cents'),
        currency: d('currency'),
        subscription_status: d('subscription_status'),
        signup_date_key: d('signup_date_key'),
        cancelled_date_key: d('cancelled_date_key'),
        acquisition_channel: d('acquisition_channel'),
        valid_from: d('valid_from'),
        valid_to: changedAt,
        is_current: sql<boolean>`false`,
      }),
    );
  const overwrittenInPlace = db
    .selectFrom('src as s')
    .innerJoin(current(), (join) => join.onRef('d.user_id', '=', 's.user_id').on(d('is_current')))
    .where((eb) => eb.and([eb.not(historyChanged), overwrittenChanged]))
    .select(
      aliasedColumns<DimUser>({
        user_key: d('user_key'),
        ...sourceAttributes,
        valid_from: d('valid_from'),
        valid_to: d('valid_to'),
        is_current: d('is_current'),
      }),
    );
  return opened.unionAll(closed).unionAll(overwrittenInPlace).unionAll(unknownUser(db));
}

/** Users as SCD type 2 on plan, subscription status and country, with stable surrogate keys. */
export const dim_user = defineModel({
  name: 'dim_user',
  description:
    'One row per user version: SCD type 2 on plan, subscription_status and country_code (history accumulates across builds, since raw holds only the current state), other attributes overwritten on the current version. user_key derives from (user_id, valid_from), so keys are stable across rebuilds; -1 is the unknown member. Only a SHA-256 of the email is kept.',
  // History exists only in this table: a full refresh would erase it, so it is refused by default.
  materialization: incremental({
    strategy: 'merge',
    uniqueKey: ['user_key'],
    allowFullRefresh: false,
  }),
  tags: ['dimension'],
  select: (ctx) =>
    sourceUsers(ctx)
      .with('versions', (db) => (ctx.isIncremental ? laterVersions(db, ctx) : firstVersions(db)))
      .selectFrom('versions')
      .selectAll(),
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
    },
    primaryKey: ['user_key'],
    indexes: [['user_id', 'valid_from']],
  },
  tests: (t) => [
    t.unique(['user_id', 'valid_from']),
    t.acceptedValues('plan', [...plans, 'unknown']),
    t.acceptedValues('subscription_status', [...subscriptionStatuses, 'unknown']),
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
    t.custom('one_current_version_per_user', (ctx, self) =>
      ctx.db
        .selectFrom(sql`${sql.raw(self)}`.as('u'))
        .select([
          sql<string>`u.user_id`.as('user_id'),
          sql<number>`count(*)`.as('current_versions'),
        ])
        .where(sql<boolean>`u.is_current`)
        .groupBy(sql`u.user_id`)
        .having(sql<boolean>`count(*) > 1`),
    ),
    t.custom('versions_do_not_overlap', (ctx, self) =>
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
        .where(
          sql<boolean>`a.valid_from <= b.valid_from and b.valid_from < coalesce(a.valid_to, 'infinity')`,
        ),
    ),
  ],
});

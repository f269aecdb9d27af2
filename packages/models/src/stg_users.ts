import { sql } from 'kysely';

import { defineModel, view } from '@reelhouse/model-compiler';

/** Users as extracted, typed and cleaned; the latest `updated_at` wins when a user_id repeats. */
export const stg_users = defineModel({
  name: 'stg_users',
  description:
    'Users from raw.users: trimmed, casing normalised (codes upper, vocabularies lower), one row per user_id (latest updated_at).',
  materialization: view(),
  tags: ['staging'],
  select: (ctx) =>
    ctx.db
      .selectFrom(ctx.source('raw.users', 'u'))
      // An anti-join rather than DISTINCT ON, so that filters on `u` push down through the view;
      // ctid breaks exact ties between duplicated rows.
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom(ctx.source('raw.users', 'newer'))
              .select(sql.lit(1).as('one'))
              .whereRef('newer.user_id', '=', 'u.user_id')
              .where(
                (inner) =>
                  sql<boolean>`(${inner.ref('newer.updated_at')}, ${inner.ref('newer._extracted_at')}, newer.ctid) > (${inner.ref('u.updated_at')}, ${inner.ref('u._extracted_at')}, u.ctid)`,
              ),
          ),
        ),
      )
      .select((eb) => [
        sql<string>`lower(trim(${eb.ref('u.user_id')}::text))`.as('user_id'),
        sql<string>`lower(trim(${eb.ref('u.email')}))`.as('email'),
        'u.birth_year',
        sql<string | null>`nullif(lower(trim(${eb.ref('u.gender')})), '')`.as('gender'),
        sql<string>`upper(trim(${eb.ref('u.country_code')}))`.as('country_code'),
        sql<string | null>`nullif(trim(${eb.ref('u.city')}), '')`.as('city'),
        sql<string>`trim(${eb.ref('u.preferred_language')})`.as('preferred_language'),
        'u.signup_ts',
        sql<string>`lower(trim(${eb.ref('u.plan')}))`.as('plan'),
        'u.monthly_price_cents',
        sql<string>`upper(trim(${eb.ref('u.currency')}))`.as('currency'),
        sql<string>`lower(trim(${eb.ref('u.subscription_status')}))`.as('subscription_status'),
        'u.cancelled_at',
        sql<string>`lower(trim(${eb.ref('u.acquisition_channel')}))`.as('acquisition_channel'),
        'u.marketing_opt_in',
        'u.updated_at',
        'u._change_seq',
        'u._changed_at',
        'u._load_id',
      ]),
  contract: {
    columns: {
      user_id: { type: 'text' },
      email: { type: 'text' },
      birth_year: { type: 'smallint', nullable: true },
      gender: { type: 'text', nullable: true },
      country_code: { type: 'text' },
      city: { type: 'text', nullable: true },
      preferred_language: { type: 'text' },
      signup_ts: { type: 'timestamptz' },
      plan: { type: 'text' },
      monthly_price_cents: { type: 'integer' },
      currency: { type: 'text' },
      subscription_status: { type: 'text' },
      cancelled_at: { type: 'timestamptz', nullable: true },
      acquisition_channel: { type: 'text' },
      marketing_opt_in: { type: 'boolean' },
      updated_at: { type: 'timestamptz' },
      _change_seq: { type: 'bigint' },
      _changed_at: { type: 'timestamptz' },
      _load_id: { type: 'text' },
    },
  },
  // user_id is a uuid in raw (unique by its primary key): the check worth running is the email shape.
  tests: (t) => [
    t.custom(
      'malformed_emails',
      (ctx, self) =>
        ctx.db
          .selectFrom(sql`${sql.raw(self)}`.as('u'))
          .select([sql<string>`u.user_id`.as('user_id'), sql<string>`u.email`.as('email')])
          .where(sql<boolean>`u.email !~ '^[^@[:space:]]+@[^@[:space:]]+[.][^@[:space:]]+$'`),
      { severity: 'warn' },
    ),
  ],
});

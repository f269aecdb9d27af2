import { sql } from 'kysely';

import type { ModelContext } from '@reelhouse/model-compiler';
import type { DimUser } from '@reelhouse/warehouse';

import { aliasedColumns } from './aliased-columns.ts';
import { ref_country } from './ref_country.ts';
import { stg_users } from './stg_users.ts';

/** The current state of a user in raw: dim_user's attributes plus the times a version derives from. */
export type SourceUser = Omit<DimUser, 'user_key' | 'valid_from' | 'valid_to' | 'is_current'> & {
  signup_ts: Date;
  updated_at: Date;
};

/** The CTEs `sourceUsers` defines, for the queries built on them. */
export interface WithSource {
  reference: { year: number | null };
  src: SourceUser;
}

/** The CTEs `reference` (the year ages are computed at) and `src` (every user of raw as dim_user attributes). */
export function sourceUsers(ctx: ModelContext) {
  return ctx.db
    .with('reference', (db) =>
      // Ages are as of the data's latest update, not the build's clock, so rebuilds reproduce.
      db
        .selectFrom(ctx.ref(stg_users, 'u'))
        .select((eb) =>
          sql<
            number | null
          >`extract(year from max(${eb.ref('u.updated_at')}) at time zone 'UTC')::integer`.as(
            'year',
          ),
        ),
    )
    .with('src', (db) =>
      db
        .selectFrom(ctx.ref(stg_users, 'u'))
        .crossJoin('reference as r')
        .leftJoin(ctx.ref(ref_country, 'c'), 'c.country_code', 'u.country_code')
        .select((eb) => {
          const age = sql<number>`(${eb.ref('r.year')} - ${eb.ref('u.birth_year')})`;
          return aliasedColumns<SourceUser>({
            user_id: eb.ref('u.user_id'),
            email_sha256: sql<
              string | null
            >`encode(sha256(convert_to(${eb.ref('u.email')}, 'UTF8')), 'hex')`,
            age_band: sql<string>`case when ${age} is null then 'unknown' when ${age} < 18 then 'under_18' when ${age} < 25 then '18-24' when ${age} < 35 then '25-34' when ${age} < 45 then '35-44' when ${age} < 55 then '45-54' when ${age} < 65 then '55-64' else '65+' end`,
            gender: sql<string>`coalesce(${eb.ref('u.gender')}, 'unknown')`,
            country_code: eb.ref('u.country_code'),
            region: sql<string>`coalesce(${eb.ref('c.region')}, 'unknown')`,
            preferred_language: eb.ref('u.preferred_language'),
            plan: eb.ref('u.plan'),
            monthly_price_cents: eb.ref('u.monthly_price_cents'),
            currency: eb.ref('u.currency'),
            subscription_status: eb.ref('u.subscription_status'),
            signup_date_key: sql<number>`to_char(${eb.ref('u.signup_ts')} at time zone 'UTC', 'YYYYMMDD')::integer`,
            cancelled_date_key: sql<
              number | null
            >`to_char(${eb.ref('u.cancelled_at')} at time zone 'UTC', 'YYYYMMDD')::integer`,
            acquisition_channel: eb.ref('u.acquisition_channel'),
            signup_ts: eb.ref('u.signup_ts'),
            updated_at: eb.ref('u.updated_at'),
          });
        }),
    );
}

import { sql } from 'kysely';

import type { ModelContext } from '@reelhouse/model-compiler';

/**
 * The SQL of every SCD2 version of the users read from `raw.users__history` (all users, or the
 * raw `user_id`s `only` selects), as rows: user_id, the attributes of the version's last row, its `version_no`,
 * `valid_from`, `valid_to`, the latest `_extracted_at` of its rows and `erased` (a delete follows).
 *
 * A version starts where plan, status or country differs from the previous upsert (in the
 * source's `_change_seq` order); it holds the attributes of its last row, so a full rebuild and
 * any sequence of incremental builds agree. It is valid from the source's business time of its
 * first row (the first version from sign-up): the clock the sessions' `started_at` is on, unlike
 * the commit time `_changed_at`, which lags the change by the load's delay. Validity is kept
 * strictly increasing: `valid_from(n) = max(start(n), valid_from(n-1) + 1 µs)`, written in closed
 * form as a running maximum of `start(j) - j µs`, plus `n µs`.
 */
export function userVersionsSql(ctx: ModelContext, only?: ReturnType<typeof sql>) {
  const history = ctx.source('raw.users__history', 'h');
  const filter = only === undefined ? sql`` : sql`where h.user_id in (${only})`;
  return sql`
    with history as (
      select lower(trim(h.user_id::text)) as user_id, h._op, h._change_seq, h._extracted_at,
        lower(trim(h.email)) as email, h.birth_year, nullif(lower(trim(h.gender)), '') as gender,
        upper(trim(h.country_code)) as country_code, trim(h.preferred_language) as preferred_language,
        h.signup_ts, lower(trim(h.plan)) as plan, h.monthly_price_cents, upper(trim(h.currency)) as currency,
        lower(trim(h.subscription_status)) as subscription_status, h.cancelled_at,
        lower(trim(h.acquisition_channel)) as acquisition_channel, h.updated_at
      from ${history} ${filter}
    ),
    erasures as (
      select user_id, max(_extracted_at) as erased_extracted_at from history where _op = 'delete' group by user_id
    ),
    upserts as (
      select u.*, case when lag(row(u.plan, u.subscription_status, u.country_code)) over w
        is not distinct from row(u.plan, u.subscription_status, u.country_code) then 0 else 1 end as opens
      from history u where u._op = 'upsert' window w as (partition by u.user_id order by u._change_seq)
    ),
    numbered as (
      select u.*, sum(u.opens) over (partition by u.user_id order by u._change_seq) as version_no from upserts u
    ),
    spans as (
      select user_id, version_no, max(_change_seq) as last_seq, max(_extracted_at) as extracted_at,
        (array_agg(updated_at order by _change_seq))[1] as opened_at
      from numbered group by user_id, version_no
    ),
    starts as (
      select l.*, s.extracted_at, case when s.version_no = 1 then l.signup_ts else s.opened_at end as starts_at
      from spans s join numbered l on l.user_id = s.user_id and l._change_seq = s.last_seq
    ),
    timed as (
      select t.*, max(t.starts_at - t.version_no * interval '1 microsecond')
        over (partition by t.user_id order by t.version_no) + t.version_no * interval '1 microsecond' as valid_from
      from starts t
    )
    select v.*, lead(v.valid_from) over (partition by v.user_id order by v.version_no) as valid_to,
      e.user_id is not null as erased,
      greatest(v.extracted_at, e.erased_extracted_at) as last_extracted_at
    from timed v left join erasures e on e.user_id = v.user_id`;
}

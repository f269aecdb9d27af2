import { describe, expect, it } from 'vitest';

import { compileProject, type AnyModel } from '@reelhouse/model-compiler';

import * as star from '../src/index.ts';
import { formatSql } from './format-sql.ts';
import { offlineContext } from './offline-context.ts';

const project = compileProject(star.models);

/** The SQL the engine runs for a model's full build (or, incremental, for a later build). */
const compile = (model: AnyModel, options: { isIncremental?: boolean } = {}) => {
  if (options.isIncremental === true) {
    const query = model.select(offlineContext({ isIncremental: true, self: model.name })).compile();
    // Views and CREATE TABLE AS cannot take bound parameters: every constant is a literal.
    expect(query.parameters).toEqual([]);
    return formatSql(query.sql);
  }
  const compiled = project.models.find((m) => m.name === model.name);
  if (compiled === undefined) throw new Error(`model ${model.name} is not in the project`);
  return formatSql(compiled.sql);
};

describe('compiled SQL', () => {
  it('orders the graph upstream first, with every dependency named', () => {
    expect(project.models.map((m) => `${m.name} <- ${[...m.dependsOn, ...m.sources].join(', ')}`))
      .toMatchInlineSnapshot(`
        [
          "dim_date <- raw.users__history, raw.viewing_sessions__history",
          "ref_country <- ",
          "stg_content <- raw.content",
          "stg_content_cast <- raw.content__cast",
          "stg_content_genres <- raw.content__genres",
          "stg_episodes <- raw.content__seasons, raw.content__seasons__episodes",
          "stg_users <- raw.users",
          "stg_viewing_sessions <- raw.viewing_sessions",
          "dim_content <- stg_content, stg_content_genres, stg_episodes",
          "dim_user <- dim_date, ref_country, raw.users__history",
          "bridge_content_cast <- dim_content, stg_content, stg_content_cast, stg_episodes, raw.content, raw.content__history",
          "bridge_content_genre <- dim_content, stg_content, stg_content_genres, stg_episodes, raw.content, raw.content__history",
          "fact_viewing_session <- dim_content, dim_date, dim_user, ref_country, stg_viewing_sessions, raw.viewing_sessions, raw.viewing_sessions__history",
          "agg_daily_content <- dim_content, dim_date, dim_user, fact_viewing_session, stg_viewing_sessions, raw.content__history, raw.viewing_sessions__history",
          "agg_daily_usage <- dim_content, dim_date, dim_user, fact_viewing_session, stg_viewing_sessions, raw.content__history, raw.viewing_sessions__history",
        ]
      `);
  });

  it('registers every model once', () => {
    expect(star.models.map((m) => m.name).sort()).toMatchInlineSnapshot(`
      [
        "agg_daily_content",
        "agg_daily_usage",
        "bridge_content_cast",
        "bridge_content_genre",
        "dim_content",
        "dim_date",
        "dim_user",
        "fact_viewing_session",
        "ref_country",
        "stg_content",
        "stg_content_cast",
        "stg_content_genres",
        "stg_episodes",
        "stg_users",
        "stg_viewing_sessions",
      ]
    `);
  });

  it('ref_country', () => {
    expect(compile(star.ref_country)).toMatchInlineSnapshot(`
      "select "c"."country_code" as "country_code", "c"."country_name" as "country_name", "c"."region" as "region", "c"."time_zone" as "time_zone", "c"."currency" as "currency"
      from (values ('US'::text, 'United States'::text, 'UCAN'::text, 'America/New_York'::text, 'USD'::text), ('CA'::text, 'Canada'::text, 'UCAN'::text, 'America/Toronto'::text, 'CAD'::text), ('GB'::text, 'United Kingdom'::text, 'EMEA'::text, 'Europe/London'::text, 'GBP'::text), ('DE'::text, 'Germany'::text, 'EMEA'::text, 'Europe/Berlin'::text, 'EUR'::text), ('FR'::text, 'France'::text, 'EMEA'::text, 'Europe/Paris'::text, 'EUR'::text), ('ES'::text, 'Spain'::text, 'EMEA'::text, 'Europe/Madrid'::text, 'EUR'::text), ('IT'::text, 'Italy'::text, 'EMEA'::text, 'Europe/Rome'::text, 'EUR'::text), ('NL'::text, 'Netherlands'::text, 'EMEA'::text, 'Europe/Amsterdam'::text, 'EUR'::text), ('PL'::text, 'Poland'::text, 'EMEA'::text, 'Europe/Warsaw'::text, 'PLN'::text), ('SE'::text, 'Sweden'::text, 'EMEA'::text, 'Europe/Stockholm'::text, 'SEK'::text), ('TR'::text, 'Turkey'::text, 'EMEA'::text, 'Europe/Istanbul'::text, 'TRY'::text), ('ZA'::text, 'South Africa'::text, 'EMEA'::text, 'Africa/Johannesburg'::text, 'ZAR'::text), ('AE'::text, 'United Arab Emirates'::text, 'EMEA'::text, 'Asia/Dubai'::text, 'AED'::text), ('BR'::text, 'Brazil'::text, 'LATAM'::text, 'America/Sao_Paulo'::text, 'BRL'::text), ('MX'::text, 'Mexico'::text, 'LATAM'::text, 'America/Mexico_City'::text, 'MXN'::text), ('AR'::text, 'Argentina'::text, 'LATAM'::text, 'America/Argentina/Buenos_Aires'::text, 'ARS'::text), ('CO'::text, 'Colombia'::text, 'LATAM'::text, 'America/Bogota'::text, 'COP'::text), ('CL'::text, 'Chile'::text, 'LATAM'::text, 'America/Santiago'::text, 'CLP'::text), ('JP'::text, 'Japan'::text, 'APAC'::text, 'Asia/Tokyo'::text, 'JPY'::text), ('KR'::text, 'South Korea'::text, 'APAC'::text, 'Asia/Seoul'::text, 'KRW'::text), ('AU'::text, 'Australia'::text, 'APAC'::text, 'Australia/Sydney'::text, 'AUD'::text), ('IN'::text, 'India'::text, 'APAC'::text, 'Asia/Kolkata'::text, 'INR'::text), ('PH'::text, 'Philippines'::text, 'APAC'::text, 'Asia/Manila'::text, 'PHP'::text), ('NZ'::text, 'New Zealand'::text, 'APAC'::text, 'Pacific/Auckland'::text, 'NZD'::text)) as c("country_code", "country_name", "region", "time_zone", "currency")"
    `);
  });

  it('stg_users', () => {
    expect(compile(star.stg_users)).toMatchInlineSnapshot(`
      "select lower(trim("u"."user_id"::text)) as "user_id", lower(trim("u"."email")) as "email", "u"."birth_year", nullif(lower(trim("u"."gender")), '') as "gender", upper(trim("u"."country_code")) as "country_code", nullif(trim("u"."city"), '') as "city", trim("u"."preferred_language") as "preferred_language", "u"."signup_ts", lower(trim("u"."plan")) as "plan", "u"."monthly_price_cents", upper(trim("u"."currency")) as "currency", lower(trim("u"."subscription_status")) as "subscription_status", "u"."cancelled_at", lower(trim("u"."acquisition_channel")) as "acquisition_channel", "u"."marketing_opt_in", "u"."updated_at", "u"."_change_seq", "u"."_changed_at", "u"."_load_id"
      from "raw"."users" as "u"
      where not exists (select 1 as "one"
      from "raw"."users" as "newer"
      where "newer"."user_id" = "u"."user_id" and ("newer"."updated_at", "newer"."_extracted_at", newer.ctid) > ("u"."updated_at", "u"."_extracted_at", u.ctid))"
    `);
  });

  it('stg_viewing_sessions', () => {
    expect(compile(star.stg_viewing_sessions)).toMatchInlineSnapshot(`
      "select lower(trim("s"."session_id"::text)) as "session_id", lower(trim("s"."user_id"::text)) as "user_id", trim("s"."content_id") as "content_id", "s"."started_at", "s"."ended_at", "s"."watch_duration_s", "s"."position_start_s", "s"."position_end_s", lower(trim("s"."device_type")) as "device_type", trim("s"."device_os") as "device_os", trim("s"."app_version") as "app_version", upper(trim("s"."country_code")) as "country_code", upper(trim("s"."quality")) as "quality", "s"."avg_bitrate_kbps", "s"."bytes_transferred", "s"."startup_ms", "s"."rebuffer_count", "s"."rebuffer_ms", lower(trim("s"."exit_reason")) as "exit_reason", "s"."is_offline", "s"."updated_at", "s"."_change_seq", "s"."_changed_at", "s"."_load_id", "s"."_extracted_at"
      from "raw"."viewing_sessions" as "s"
      where not exists (select 1 as "one"
      from "raw"."viewing_sessions" as "newer"
      where "newer"."session_id" = "s"."session_id" and ("newer"."updated_at", "newer"."_extracted_at", newer.ctid) > ("s"."updated_at", "s"."_extracted_at", s.ctid))"
    `);
  });

  it('stg_content', () => {
    expect(compile(star.stg_content)).toMatchInlineSnapshot(`
      "select trim("c"."content_id") as "content_id", lower(trim("c"."type")) as "content_type", trim("c"."title") as "title", lower(trim("c"."original_language")) as "original_language", "c"."release_date", upper(trim("c"."maturity_rating")) as "maturity_rating", "c"."is_original", "c"."runtime_min", "c"."ratings__internal__avg" as "rating_internal_avg", "c"."ratings__imdb__score" as "rating_imdb_score", "c"."updated_at", "c"."_load_id"
      from "raw"."content" as "c"
      where not exists (select 1 as "one"
      from "raw"."content" as "newer"
      where "newer"."content_id" = "c"."content_id" and ("newer"."updated_at", "newer"."_extracted_at", newer.ctid) > ("c"."updated_at", "c"."_extracted_at", c.ctid))"
    `);
  });

  it('stg_episodes', () => {
    expect(compile(star.stg_episodes)).toMatchInlineSnapshot(`
      "select distinct on ("e"."episode_id") trim("e"."episode_id") as "episode_id", "e"."_root_id" as "series_id", "s"."season_number", "e"."episode_number", trim("e"."title") as "title", "e"."runtime_min", "e"."release_date"
      from "raw"."content__seasons__episodes" as "e"
      inner join "raw"."content__seasons" as "s" on "s"."_row_id" = "e"."_parent_id"
      order by "e"."episode_id", "e"."_root_id", "s"."season_number", "e"."_list_idx""
    `);
  });

  it('stg_content_genres', () => {
    expect(compile(star.stg_content_genres)).toMatchInlineSnapshot(`
      "select distinct on ("g"."_root_id", lower(trim("g"."value"))) "g"."_root_id" as "content_id", lower(trim("g"."value")) as "genre", "g"."_list_idx" as "genre_rank"
      from "raw"."content__genres" as "g"
      order by "g"."_root_id", lower(trim("g"."value")), "g"."_list_idx""
    `);
  });

  it('stg_content_cast', () => {
    expect(compile(star.stg_content_cast)).toMatchInlineSnapshot(`
      "select distinct on ("c"."_root_id", "c"."person_id") "c"."_root_id" as "content_id", trim("c"."person_id") as "person_id", trim("c"."name") as "name", trim("c"."character") as "character", "c"."billing_order"
      from "raw"."content__cast" as "c"
      order by "c"."_root_id", "c"."person_id", "c"."billing_order", "c"."_list_idx""
    `);
  });

  it('dim_date', () => {
    expect(compile(star.dim_date)).toMatchInlineSnapshot(`
      "with "bounds" as (select date_trunc('year', min(b.first_at) at time zone 'UTC')::date as "first_day", (date_trunc('year', max(b.last_at) at time zone 'UTC') + interval '1 year - 1 day')::date as "last_day"
      from (select min("u"."signup_ts") as "first_at", greatest(max("u"."signup_ts"), max("u"."cancelled_at")) as "last_at"
      from "raw"."users__history" as "u"
      union all
      select min("s"."started_at") as "first_at", max("s"."started_at") as "last_at"
      from "raw"."viewing_sessions__history" as "s") as "b"), "days" as (select g.day::date as "full_date"
      from "bounds", generate_series(bounds.first_day, bounds.last_day, interval '1 day') as g(day))
      select to_char("d"."full_date", 'YYYYMMDD')::integer as "date_key", "d"."full_date" as "full_date", extract(year from "d"."full_date")::smallint as "year", extract(quarter from "d"."full_date")::smallint as "quarter", extract(month from "d"."full_date")::smallint as "month", trim(to_char("d"."full_date", 'Month')) as "month_name", extract(week from "d"."full_date")::smallint as "iso_week", extract(day from "d"."full_date")::smallint as "day_of_month", extract(isodow from "d"."full_date")::smallint as "day_of_week", trim(to_char("d"."full_date", 'Day')) as "day_name", extract(isodow from "d"."full_date") >= 6 as "is_weekend"
      from "days" as "d"
      union all
      select -1 as "date_key", null::date as "full_date", null::smallint as "year", null::smallint as "quarter", null::smallint as "month", null::text as "month_name", null::smallint as "iso_week", null::smallint as "day_of_month", null::smallint as "day_of_week", null::text as "day_name", null::boolean as "is_weekend""
    `);
  });

  it('dim_user', () => {
    expect(compile(star.dim_user)).toMatchInlineSnapshot(`
      "select "v"."scd_id" as "user_key", "v"."user_id" as "user_id", case when "v"."erased" then null::text else encode(sha256(convert_to("v"."email", 'UTF8')), 'hex') end as "email_sha256", case when "v"."erased" or (extract(year from "v"."updated_at" at time zone 'UTC')::integer - "v"."birth_year") is null then 'unknown' when (extract(year from "v"."updated_at" at time zone 'UTC')::integer - "v"."birth_year") < 18 then 'under_18' when (extract(year from "v"."updated_at" at time zone 'UTC')::integer - "v"."birth_year") < 25 then '18-24' when (extract(year from "v"."updated_at" at time zone 'UTC')::integer - "v"."birth_year") < 35 then '25-34' when (extract(year from "v"."updated_at" at time zone 'UTC')::integer - "v"."birth_year") < 45 then '35-44' when (extract(year from "v"."updated_at" at time zone 'UTC')::integer - "v"."birth_year") < 55 then '45-54' when (extract(year from "v"."updated_at" at time zone 'UTC')::integer - "v"."birth_year") < 65 then '55-64' else '65+' end as "age_band", case when "v"."erased" then 'unknown' else coalesce("v"."gender", 'unknown') end as "gender", case when "v"."erased" then 'ZZ' else "v"."country_code" end as "country_code", case when "v"."erased" then 'unknown' else coalesce("c"."region", 'unknown') end as "region", case when "v"."erased" then null::text else "v"."preferred_language" end as "preferred_language", case when "v"."erased" then 'unknown' else "v"."plan" end as "plan", case when "v"."erased" then null::integer else "v"."monthly_price_cents" end as "monthly_price_cents", case when "v"."erased" then null::text else "v"."currency" end as "currency", case when "v"."erased" then 'erased' else "v"."subscription_status" end as "subscription_status", case when "v"."erased" then -1 else to_char("v"."signup_ts" at time zone 'UTC', 'YYYYMMDD')::integer end as "signup_date_key", case when "v"."erased" then null::integer else to_char("v"."cancelled_at" at time zone 'UTC', 'YYYYMMDD')::integer end as "cancelled_date_key", case when "v"."erased" then 'unknown' else "v"."acquisition_channel" end as "acquisition_channel", "v"."valid_from" as "valid_from", "v"."valid_to" as "valid_to", not "v"."erased" and "v"."valid_to" is null as "is_current", "v"."last_extracted_at" as "_extracted_at"
      from (select v.*, e.user_id is not null as erased,
              greatest(v.scd_loaded_at, e.erased_extracted_at) as last_extracted_at
             
      from (
         
      with __input as (select *
      from ((select lower(trim(h.user_id::text)) as "user_id", h._op = 'delete' as "_deleted", h._change_seq as "_change_seq", h._extracted_at as "_extracted_at", lower(trim(h.email)) as "email", h.birth_year as "birth_year", nullif(lower(trim(h.gender)), '') as "gender", upper(trim(h.country_code)) as "country_code", trim(h.preferred_language) as "preferred_language", h.signup_ts as "signup_ts", lower(trim(h.plan)) as "plan", h.monthly_price_cents as "monthly_price_cents", upper(trim(h.currency)) as "currency", lower(trim(h.subscription_status)) as "subscription_status", h.cancelled_at as "cancelled_at", lower(trim(h.acquisition_channel)) as "acquisition_channel", h.updated_at as "updated_at"
      from "raw"."users__history" as "h")) as h),
          __flagged as (
           
      select h.*, coalesce("h"."_deleted", false) as __deleted,
              count(*) filter (where not coalesce("h"."_deleted", false)) over (partition by "h"."user_id"
      order by "h"."_change_seq") as __upserts_so_far
           
      from __input h
      where not coalesce("h"."_deleted", false)
          ),
          __rows as (
           
      select f.*, count(*) filter (where f.__deleted) over (partition by "f"."user_id"
      order by "f"."_change_seq") as __epoch
           
      from __flagged f
      where not (f.__deleted and f.__upserts_so_far = 0)
          ),
          __marked as (
           
      select r.*, "r"."updated_at" as __time, lag(r.__deleted) over (partition by "r"."user_id"
      order by "r"."_change_seq") as __prior_deleted,
              row("r"."plan", "r"."subscription_status", "r"."country_code") as __check,
                lag(row("r"."plan", "r"."subscription_status", "r"."country_code")) over (partition by "r"."user_id"
      order by "r"."_change_seq") as __prior_check
           
      from __rows r
          ),
          __numbered as (
           
      select m.*, sum(case when m.__prior_deleted is null or m.__deleted <> m.__prior_deleted then 1
                when m.__deleted then 0 when m.__check is distinct
      from m.__prior_check then 1 else 0 end)
              over (partition by "m"."user_id"
      order by "m"."_change_seq") as __version_no
           
      from __marked m
          ),
          __spans as (
           
      select "n"."user_id", n.__version_no, bool_or(n.__deleted) as __deleted,
              max("n"."_change_seq") as __own_seq,
              max("n"."_extracted_at") as __loaded_at,
              (array_agg(n.__time
      order by "n"."_change_seq"))[1] as __opened_at
           
      from __numbered n
      group by "n"."user_id", n.__version_no
          ),
          __attributed as (
           
      select s.*, case when s.__deleted then lag(s.__own_seq) over (partition by "s"."user_id"
      order by s.__version_no)
              else s.__own_seq end as __attr_seq
           
      from __spans s
          ),
          __started as (
           
      select s.*, case when s.__version_no = 1 then "a"."signup_ts" else s.__opened_at end as __starts_at
           
      from __attributed s join __input a on ("a"."user_id") = ("s"."user_id") and "a"."_change_seq" = s.__attr_seq
          ),
          __timed as (
           
      select s.*, max(s.__starts_at - s.__version_no * interval '1 microsecond')
              over (partition by "s"."user_id"
      order by s.__version_no) + s.__version_no * interval '1 microsecond' as __valid_from
           
      from __started s
          ),
          __closed as (
           
      select t.*, lead(t.__valid_from) over (partition by "t"."user_id"
      order by t.__version_no) as __valid_to,
              lead(t.__deleted) over (partition by "t"."user_id"
      order by t.__version_no) as __closed_by_delete,
              lead(t.__loaded_at) over (partition by "t"."user_id"
      order by t.__version_no) as __closing_loaded_at,
              ('x' || substr(md5(coalesce("t"."user_id"::text, '') || '|' || coalesce((extract(epoch from t.__valid_from) * 1000000)::bigint::text, '')), 1, 13))::bit(52)::bigint as __scd_id
           
      from __timed t
          )
         
      select a.*, c.__valid_from as "valid_from", c.__valid_to as "valid_to",
            c.__valid_to is null as "is_current", c.__scd_id as "scd_id", c.__deleted as "is_deleted",
            case when coalesce(c.__closed_by_delete, false) then greatest(c.__loaded_at, c.__closing_loaded_at)
              else c.__loaded_at end as "scd_loaded_at"
         
      from __closed c join __input a on ("a"."user_id") = ("c"."user_id") and "a"."_change_seq" = c.__attr_seq
          ) as "v"
      left join (select h.user_id, max(h._extracted_at) as erased_extracted_at
         
      from ((select lower(trim(h.user_id::text)) as "user_id", h._op = 'delete' as "_deleted", h._change_seq as "_change_seq", h._extracted_at as "_extracted_at", lower(trim(h.email)) as "email", h.birth_year as "birth_year", nullif(lower(trim(h.gender)), '') as "gender", upper(trim(h.country_code)) as "country_code", trim(h.preferred_language) as "preferred_language", h.signup_ts as "signup_ts", lower(trim(h.plan)) as "plan", h.monthly_price_cents as "monthly_price_cents", upper(trim(h.currency)) as "currency", lower(trim(h.subscription_status)) as "subscription_status", h.cancelled_at as "cancelled_at", lower(trim(h.acquisition_channel)) as "acquisition_channel", h.updated_at as "updated_at"
      from "raw"."users__history" as "h")) as "h"
      where h._deleted
      group by h.user_id) e on e.user_id = v.user_id) as "v"
      left join "trusted"."ref_country" as "c" on "c"."country_code" = "v"."country_code"
      union all
      select -1::bigint as "user_key", 'unknown' as "user_id", null::text as "email_sha256", 'unknown' as "age_band", 'unknown' as "gender", 'ZZ' as "country_code", 'unknown' as "region", null::text as "preferred_language", 'unknown' as "plan", null::integer as "monthly_price_cents", null::text as "currency", 'unknown' as "subscription_status", -1 as "signup_date_key", null::integer as "cancelled_date_key", 'unknown' as "acquisition_channel", '1900-01-01T00:00:00Z'::timestamptz as "valid_from", null::timestamptz as "valid_to", true as "is_current", null::timestamptz as "_extracted_at""
    `);
  });

  it('dim_user (incremental)', () => {
    expect(compile(star.dim_user, { isIncremental: true })).toMatchInlineSnapshot(`
      "select "n".*
      from (select "v"."scd_id" as "user_key", "v"."user_id" as "user_id", case when "v"."erased" then null::text else encode(sha256(convert_to("v"."email", 'UTF8')), 'hex') end as "email_sha256", case when "v"."erased" or (extract(year from "v"."updated_at" at time zone 'UTC')::integer - "v"."birth_year") is null then 'unknown' when (extract(year from "v"."updated_at" at time zone 'UTC')::integer - "v"."birth_year") < 18 then 'under_18' when (extract(year from "v"."updated_at" at time zone 'UTC')::integer - "v"."birth_year") < 25 then '18-24' when (extract(year from "v"."updated_at" at time zone 'UTC')::integer - "v"."birth_year") < 35 then '25-34' when (extract(year from "v"."updated_at" at time zone 'UTC')::integer - "v"."birth_year") < 45 then '35-44' when (extract(year from "v"."updated_at" at time zone 'UTC')::integer - "v"."birth_year") < 55 then '45-54' when (extract(year from "v"."updated_at" at time zone 'UTC')::integer - "v"."birth_year") < 65 then '55-64' else '65+' end as "age_band", case when "v"."erased" then 'unknown' else coalesce("v"."gender", 'unknown') end as "gender", case when "v"."erased" then 'ZZ' else "v"."country_code" end as "country_code", case when "v"."erased" then 'unknown' else coalesce("c"."region", 'unknown') end as "region", case when "v"."erased" then null::text else "v"."preferred_language" end as "preferred_language", case when "v"."erased" then 'unknown' else "v"."plan" end as "plan", case when "v"."erased" then null::integer else "v"."monthly_price_cents" end as "monthly_price_cents", case when "v"."erased" then null::text else "v"."currency" end as "currency", case when "v"."erased" then 'erased' else "v"."subscription_status" end as "subscription_status", case when "v"."erased" then -1 else to_char("v"."signup_ts" at time zone 'UTC', 'YYYYMMDD')::integer end as "signup_date_key", case when "v"."erased" then null::integer else to_char("v"."cancelled_at" at time zone 'UTC', 'YYYYMMDD')::integer end as "cancelled_date_key", case when "v"."erased" then 'unknown' else "v"."acquisition_channel" end as "acquisition_channel", "v"."valid_from" as "valid_from", "v"."valid_to" as "valid_to", not "v"."erased" and "v"."valid_to" is null as "is_current", "v"."last_extracted_at" as "_extracted_at"
      from (select v.*, e.user_id is not null as erased,
              greatest(v.scd_loaded_at, e.erased_extracted_at) as last_extracted_at
             
      from (
         
      with __input as (select *
      from (select *
      from ((select lower(trim(h.user_id::text)) as "user_id", h._op = 'delete' as "_deleted", h._change_seq as "_change_seq", h._extracted_at as "_extracted_at", lower(trim(h.email)) as "email", h.birth_year as "birth_year", nullif(lower(trim(h.gender)), '') as "gender", upper(trim(h.country_code)) as "country_code", trim(h.preferred_language) as "preferred_language", h.signup_ts as "signup_ts", lower(trim(h.plan)) as "plan", h.monthly_price_cents as "monthly_price_cents", upper(trim(h.currency)) as "currency", lower(trim(h.subscription_status)) as "subscription_status", h.cancelled_at as "cancelled_at", lower(trim(h.acquisition_channel)) as "acquisition_channel", h.updated_at as "updated_at"
      from "raw"."users__history" as "h")) as h
      where ("h"."user_id") in (select "c"."user_id"
      from ((select lower(trim(h.user_id::text)) as "user_id", h._op = 'delete' as "_deleted", h._change_seq as "_change_seq", h._extracted_at as "_extracted_at", lower(trim(h.email)) as "email", h.birth_year as "birth_year", nullif(lower(trim(h.gender)), '') as "gender", upper(trim(h.country_code)) as "country_code", trim(h.preferred_language) as "preferred_language", h.signup_ts as "signup_ts", lower(trim(h.plan)) as "plan", h.monthly_price_cents as "monthly_price_cents", upper(trim(h.currency)) as "currency", lower(trim(h.subscription_status)) as "subscription_status", h.cancelled_at as "cancelled_at", lower(trim(h.acquisition_channel)) as "acquisition_channel", h.updated_at as "updated_at"
      from "raw"."users__history" as "h")) as c
           
      where (c."_extracted_at" > (select max("d"."_extracted_at")
      from "trusted"."dim_user" as "d")) is not false)) as h),
          __flagged as (
           
      select h.*, coalesce("h"."_deleted", false) as __deleted,
              count(*) filter (where not coalesce("h"."_deleted", false)) over (partition by "h"."user_id"
      order by "h"."_change_seq") as __upserts_so_far
           
      from __input h
      where not coalesce("h"."_deleted", false)
          ),
          __rows as (
           
      select f.*, count(*) filter (where f.__deleted) over (partition by "f"."user_id"
      order by "f"."_change_seq") as __epoch
           
      from __flagged f
      where not (f.__deleted and f.__upserts_so_far = 0)
          ),
          __marked as (
           
      select r.*, "r"."updated_at" as __time, lag(r.__deleted) over (partition by "r"."user_id"
      order by "r"."_change_seq") as __prior_deleted,
              row("r"."plan", "r"."subscription_status", "r"."country_code") as __check,
                lag(row("r"."plan", "r"."subscription_status", "r"."country_code")) over (partition by "r"."user_id"
      order by "r"."_change_seq") as __prior_check
           
      from __rows r
          ),
          __numbered as (
           
      select m.*, sum(case when m.__prior_deleted is null or m.__deleted <> m.__prior_deleted then 1
                when m.__deleted then 0 when m.__check is distinct
      from m.__prior_check then 1 else 0 end)
              over (partition by "m"."user_id"
      order by "m"."_change_seq") as __version_no
           
      from __marked m
          ),
          __spans as (
           
      select "n"."user_id", n.__version_no, bool_or(n.__deleted) as __deleted,
              max("n"."_change_seq") as __own_seq,
              max("n"."_extracted_at") as __loaded_at,
              (array_agg(n.__time
      order by "n"."_change_seq"))[1] as __opened_at
           
      from __numbered n
      group by "n"."user_id", n.__version_no
          ),
          __attributed as (
           
      select s.*, case when s.__deleted then lag(s.__own_seq) over (partition by "s"."user_id"
      order by s.__version_no)
              else s.__own_seq end as __attr_seq
           
      from __spans s
          ),
          __started as (
           
      select s.*, case when s.__version_no = 1 then "a"."signup_ts" else s.__opened_at end as __starts_at
           
      from __attributed s join __input a on ("a"."user_id") = ("s"."user_id") and "a"."_change_seq" = s.__attr_seq
          ),
          __timed as (
           
      select s.*, max(s.__starts_at - s.__version_no * interval '1 microsecond')
              over (partition by "s"."user_id"
      order by s.__version_no) + s.__version_no * interval '1 microsecond' as __valid_from
           
      from __started s
          ),
          __closed as (
           
      select t.*, lead(t.__valid_from) over (partition by "t"."user_id"
      order by t.__version_no) as __valid_to,
              lead(t.__deleted) over (partition by "t"."user_id"
      order by t.__version_no) as __closed_by_delete,
              lead(t.__loaded_at) over (partition by "t"."user_id"
      order by t.__version_no) as __closing_loaded_at,
              ('x' || substr(md5(coalesce("t"."user_id"::text, '') || '|' || coalesce((extract(epoch from t.__valid_from) * 1000000)::bigint::text, '')), 1, 13))::bit(52)::bigint as __scd_id
           
      from __timed t
          )
         
      select a.*, c.__valid_from as "valid_from", c.__valid_to as "valid_to",
            c.__valid_to is null as "is_current", c.__scd_id as "scd_id", c.__deleted as "is_deleted",
            case when coalesce(c.__closed_by_delete, false) then greatest(c.__loaded_at, c.__closing_loaded_at)
              else c.__loaded_at end as "scd_loaded_at"
         
      from __closed c join __input a on ("a"."user_id") = ("c"."user_id") and "a"."_change_seq" = c.__attr_seq
          ) as "v"
      left join (select h.user_id, max(h._extracted_at) as erased_extracted_at
         
      from (select *
      from ((select lower(trim(h.user_id::text)) as "user_id", h._op = 'delete' as "_deleted", h._change_seq as "_change_seq", h._extracted_at as "_extracted_at", lower(trim(h.email)) as "email", h.birth_year as "birth_year", nullif(lower(trim(h.gender)), '') as "gender", upper(trim(h.country_code)) as "country_code", trim(h.preferred_language) as "preferred_language", h.signup_ts as "signup_ts", lower(trim(h.plan)) as "plan", h.monthly_price_cents as "monthly_price_cents", upper(trim(h.currency)) as "currency", lower(trim(h.subscription_status)) as "subscription_status", h.cancelled_at as "cancelled_at", lower(trim(h.acquisition_channel)) as "acquisition_channel", h.updated_at as "updated_at"
      from "raw"."users__history" as "h")) as h
      where ("h"."user_id") in (select "c"."user_id"
      from ((select lower(trim(h.user_id::text)) as "user_id", h._op = 'delete' as "_deleted", h._change_seq as "_change_seq", h._extracted_at as "_extracted_at", lower(trim(h.email)) as "email", h.birth_year as "birth_year", nullif(lower(trim(h.gender)), '') as "gender", upper(trim(h.country_code)) as "country_code", trim(h.preferred_language) as "preferred_language", h.signup_ts as "signup_ts", lower(trim(h.plan)) as "plan", h.monthly_price_cents as "monthly_price_cents", upper(trim(h.currency)) as "currency", lower(trim(h.subscription_status)) as "subscription_status", h.cancelled_at as "cancelled_at", lower(trim(h.acquisition_channel)) as "acquisition_channel", h.updated_at as "updated_at"
      from "raw"."users__history" as "h")) as c
           
      where (c."_extracted_at" > (select max("d"."_extracted_at")
      from "trusted"."dim_user" as "d")) is not false)) as "h"
      where h._deleted
      group by h.user_id) e on e.user_id = v.user_id) as "v"
      left join "trusted"."ref_country" as "c" on "c"."country_code" = "v"."country_code"
      union all
      select -1::bigint as "user_key", 'unknown' as "user_id", null::text as "email_sha256", 'unknown' as "age_band", 'unknown' as "gender", 'ZZ' as "country_code", 'unknown' as "region", null::text as "preferred_language", 'unknown' as "plan", null::integer as "monthly_price_cents", null::text as "currency", 'unknown' as "subscription_status", -1 as "signup_date_key", null::integer as "cancelled_date_key", 'unknown' as "acquisition_channel", '1900-01-01T00:00:00Z'::timestamptz as "valid_from", null::timestamptz as "valid_to", true as "is_current", null::timestamptz as "_extracted_at") as "n"
      where not exists (select 1
      from "trusted"."dim_user" as "d"
      where "d"."user_key" = "n"."user_key"
                      and ("d"."user_key", "d"."user_id", "d"."email_sha256", "d"."age_band", "d"."gender", "d"."country_code", "d"."region", "d"."preferred_language", "d"."plan", "d"."monthly_price_cents", "d"."currency", "d"."subscription_status", "d"."signup_date_key", "d"."cancelled_date_key", "d"."acquisition_channel", "d"."valid_from", "d"."valid_to", "d"."is_current", "d"."_extracted_at") is not distinct
      from ("n"."user_key", "n"."user_id", "n"."email_sha256", "n"."age_band", "n"."gender", "n"."country_code", "n"."region", "n"."preferred_language", "n"."plan", "n"."monthly_price_cents", "n"."currency", "n"."subscription_status", "n"."signup_date_key", "n"."cancelled_date_key", "n"."acquisition_channel", "n"."valid_from", "n"."valid_to", "n"."is_current", "n"."_extracted_at"))"
    `);
  });

  it('dim_content', () => {
    expect(compile(star.dim_content)).toMatchInlineSnapshot(`
      "with "primary_genre" as (select distinct on ("g"."content_id") "g"."content_id", "g"."genre"
      from "trusted"."stg_content_genres" as "g"
      order by "g"."content_id", "g"."genre_rank"), "items" as (select ('x' || substr(md5(coalesce("c"."content_id"::text, '')), 1, 13))::bit(52)::bigint as "content_key", "c"."content_id" as "content_id", 'movie' as "content_type", "c"."title" as "title", null::text as "series_id", null::text as "series_title", null::integer as "season_number", null::integer as "episode_number", "c"."runtime_min" * 60 as "runtime_s", "c"."release_date" as "release_date", coalesce("g"."genre", 'unknown') as "primary_genre", "c"."maturity_rating" as "maturity_rating", "c"."original_language" as "original_language", "c"."is_original" as "is_original", "c"."rating_internal_avg" as "rating_internal_avg", "c"."rating_imdb_score" as "rating_imdb_score"
      from "trusted"."stg_content" as "c"
      left join "primary_genre" as "g" on "g"."content_id" = "c"."content_id"
      where "c"."content_type" = 'movie'
      union all
      select ('x' || substr(md5(coalesce("e"."episode_id"::text, '')), 1, 13))::bit(52)::bigint as "content_key", "e"."episode_id" as "content_id", 'episode' as "content_type", "e"."title" as "title", "e"."series_id" as "series_id", "c"."title" as "series_title", "e"."season_number" as "season_number", "e"."episode_number" as "episode_number", "e"."runtime_min" * 60 as "runtime_s", "e"."release_date" as "release_date", coalesce("g"."genre", 'unknown') as "primary_genre", "c"."maturity_rating" as "maturity_rating", "c"."original_language" as "original_language", "c"."is_original" as "is_original", "c"."rating_internal_avg" as "rating_internal_avg", "c"."rating_imdb_score" as "rating_imdb_score"
      from "trusted"."stg_episodes" as "e"
      inner join "trusted"."stg_content" as "c" on "c"."content_id" = "e"."series_id"
      left join "primary_genre" as "g" on "g"."content_id" = "e"."series_id"
      union all
      select -1::bigint as "content_key", 'unknown' as "content_id", 'unknown' as "content_type", 'Unknown' as "title", null::text as "series_id", null::text as "series_title", null::integer as "season_number", null::integer as "episode_number", null::integer as "runtime_s", null::date as "release_date", 'unknown' as "primary_genre", null::text as "maturity_rating", null::text as "original_language", null::boolean as "is_original", null::double precision as "rating_internal_avg", null::double precision as "rating_imdb_score")
      select "n".*
      from "items" as "n""
    `);
  });

  it('bridge_content_genre', () => {
    expect(compile(star.bridge_content_genre)).toMatchInlineSnapshot(`
      "with "item_title" as (select "t".*, "x"."_extracted_at"
      from (select "c"."content_key", "c"."primary_genre", coalesce("e"."series_id", "m"."content_id") as "title_id"
      from "trusted"."dim_content" as "c"
      left join "trusted"."stg_episodes" as "e" on "e"."episode_id" = "c"."content_id" and "c"."content_type" = 'episode'
      left join "trusted"."stg_content" as "m" on "m"."content_id" = "c"."content_id" and "m"."content_type" = 'movie' and "c"."content_type" = 'movie') as "t"
      left join (select x.title_id as "title_id", max(x._extracted_at) as "_extracted_at"
      from (
         
      select trim(h.content_id) as title_id, h._extracted_at
      from "raw"."content__history" as "h"
         
      union all
      select trim(c.content_id), c._extracted_at
      from "raw"."content" as "c") as "x"
      group by x.title_id) as "x" on "x"."title_id" = "t"."title_id")
      select "i"."content_key", "g"."genre", "g"."genre" = "i"."primary_genre" as "is_primary", "i"."_extracted_at"
      from "item_title" as "i"
      inner join "trusted"."stg_content_genres" as "g" on "g"."content_id" = "i"."title_id"
      union all
      select "i"."content_key", "i"."primary_genre" as "genre", true as "is_primary", "i"."_extracted_at"
      from "item_title" as "i"
      where "i"."title_id" is null and "i"."primary_genre" <> 'unknown'"
    `);
  });

  it('bridge_content_cast', () => {
    expect(compile(star.bridge_content_cast)).toMatchInlineSnapshot(`
      "with "item_title" as (select "t".*, "x"."_extracted_at"
      from (select "c"."content_key", "c"."primary_genre", coalesce("e"."series_id", "m"."content_id") as "title_id"
      from "trusted"."dim_content" as "c"
      left join "trusted"."stg_episodes" as "e" on "e"."episode_id" = "c"."content_id" and "c"."content_type" = 'episode'
      left join "trusted"."stg_content" as "m" on "m"."content_id" = "c"."content_id" and "m"."content_type" = 'movie' and "c"."content_type" = 'movie') as "t"
      left join (select x.title_id as "title_id", max(x._extracted_at) as "_extracted_at"
      from (
         
      select trim(h.content_id) as title_id, h._extracted_at
      from "raw"."content__history" as "h"
         
      union all
      select trim(c.content_id), c._extracted_at
      from "raw"."content" as "c") as "x"
      group by x.title_id) as "x" on "x"."title_id" = "t"."title_id")
      select "i"."content_key", "p"."person_id", "p"."name", "p"."character", "p"."billing_order", "i"."_extracted_at"
      from "item_title" as "i"
      inner join "trusted"."stg_content_cast" as "p" on "p"."content_id" = "i"."title_id""
    `);
  });

  it('fact_viewing_session', () => {
    expect(compile(star.fact_viewing_session)).toMatchInlineSnapshot(`
      "select "s"."session_id", coalesce("u"."user_key", -1) as "user_key", coalesce("c"."content_key", -1) as "content_key", coalesce("d"."date_key", -1) as "date_key", "s"."started_at", "s"."ended_at", date_part('hour', ("s"."started_at" at time zone coalesce("k"."time_zone", 'UTC')))::smallint as "start_hour_local", date_part('isodow', ("s"."started_at" at time zone coalesce("k"."time_zone", 'UTC')))::smallint as "day_of_week_local", "s"."device_type", "s"."device_os", "s"."country_code", coalesce("k"."region", 'unknown') as "region", "s"."quality", "s"."avg_bitrate_kbps", "s"."bytes_transferred", "s"."watch_duration_s", "c"."runtime_s", case when "c"."runtime_s" > 0 then least(1.0, greatest(0.0, "s"."watch_duration_s"::double precision / "c"."runtime_s")) end as "completion_ratio", ("s"."exit_reason" = 'completed' or coalesce("s"."watch_duration_s" >= 0.9 * "c"."runtime_s", false)) as "is_completed", "s"."startup_ms", "s"."rebuffer_count", "s"."rebuffer_ms", "s"."exit_reason", "s"."is_offline", "s"."_load_id", "s"."_extracted_at"
      from "trusted"."stg_viewing_sessions" as "s"
      left join "trusted"."dim_user" as "u" on "u"."user_id" = "s"."user_id" and "u"."subscription_status" <> 'erased' and "u"."valid_from" <= "s"."started_at" and ("u"."valid_to" is null or "u"."valid_to" > "s"."started_at")
      left join "trusted"."dim_content" as "c" on "c"."content_id" = "s"."content_id"
      left join "trusted"."ref_country" as "k" on "k"."country_code" = "s"."country_code"
      left join "trusted"."dim_date" as "d" on "d"."full_date" = ("s"."started_at" at time zone 'UTC')::date"
    `);
  });

  it('fact_viewing_session (incremental)', () => {
    expect(compile(star.fact_viewing_session, { isIncremental: true })).toMatchInlineSnapshot(`
      "select "s"."session_id", coalesce("u"."user_key", -1) as "user_key", coalesce("c"."content_key", -1) as "content_key", coalesce("d"."date_key", -1) as "date_key", "s"."started_at", "s"."ended_at", date_part('hour', ("s"."started_at" at time zone coalesce("k"."time_zone", 'UTC')))::smallint as "start_hour_local", date_part('isodow', ("s"."started_at" at time zone coalesce("k"."time_zone", 'UTC')))::smallint as "day_of_week_local", "s"."device_type", "s"."device_os", "s"."country_code", coalesce("k"."region", 'unknown') as "region", "s"."quality", "s"."avg_bitrate_kbps", "s"."bytes_transferred", "s"."watch_duration_s", "c"."runtime_s", case when "c"."runtime_s" > 0 then least(1.0, greatest(0.0, "s"."watch_duration_s"::double precision / "c"."runtime_s")) end as "completion_ratio", ("s"."exit_reason" = 'completed' or coalesce("s"."watch_duration_s" >= 0.9 * "c"."runtime_s", false)) as "is_completed", "s"."startup_ms", "s"."rebuffer_count", "s"."rebuffer_ms", "s"."exit_reason", "s"."is_offline", "s"."_load_id", "s"."_extracted_at"
      from "trusted"."stg_viewing_sessions" as "s"
      left join "trusted"."dim_user" as "u" on "u"."user_id" = "s"."user_id" and "u"."subscription_status" <> 'erased' and "u"."valid_from" <= "s"."started_at" and ("u"."valid_to" is null or "u"."valid_to" > "s"."started_at")
      left join "trusted"."dim_content" as "c" on "c"."content_id" = "s"."content_id"
      left join "trusted"."ref_country" as "k" on "k"."country_code" = "s"."country_code"
      left join "trusted"."dim_date" as "d" on "d"."full_date" = ("s"."started_at" at time zone 'UTC')::date
      where "s"."_extracted_at" > (select coalesce(max(w._extracted_at), '-infinity'::timestamptz)
      from "trusted"."fact_viewing_session" as "w") and "s"."_extracted_at" < 'infinity'::timestamptz union
      select "s"."session_id", coalesce("u"."user_key", -1) as "user_key", coalesce("c"."content_key", -1) as "content_key", coalesce("d"."date_key", -1) as "date_key", "s"."started_at", "s"."ended_at", date_part('hour', ("s"."started_at" at time zone coalesce("k"."time_zone", 'UTC')))::smallint as "start_hour_local", date_part('isodow', ("s"."started_at" at time zone coalesce("k"."time_zone", 'UTC')))::smallint as "day_of_week_local", "s"."device_type", "s"."device_os", "s"."country_code", coalesce("k"."region", 'unknown') as "region", "s"."quality", "s"."avg_bitrate_kbps", "s"."bytes_transferred", "s"."watch_duration_s", "c"."runtime_s", case when "c"."runtime_s" > 0 then least(1.0, greatest(0.0, "s"."watch_duration_s"::double precision / "c"."runtime_s")) end as "completion_ratio", ("s"."exit_reason" = 'completed' or coalesce("s"."watch_duration_s" >= 0.9 * "c"."runtime_s", false)) as "is_completed", "s"."startup_ms", "s"."rebuffer_count", "s"."rebuffer_ms", "s"."exit_reason", "s"."is_offline", "s"."_load_id", "s"."_extracted_at"
      from "trusted"."stg_viewing_sessions" as "s"
      left join "trusted"."dim_user" as "u" on "u"."user_id" = "s"."user_id" and "u"."subscription_status" <> 'erased' and "u"."valid_from" <= "s"."started_at" and ("u"."valid_to" is null or "u"."valid_to" > "s"."started_at")
      left join "trusted"."dim_content" as "c" on "c"."content_id" = "s"."content_id"
      left join "trusted"."ref_country" as "k" on "k"."country_code" = "s"."country_code"
      left join "trusted"."dim_date" as "d" on "d"."full_date" = ("s"."started_at" at time zone 'UTC')::date
      inner join (select "cu"."user_id", min(cu.valid_from) as "valid_from"
      from "trusted"."dim_user" as "cu"
      where "cu"."_extracted_at" > (select coalesce(max(w._extracted_at), '-infinity'::timestamptz)
      from "trusted"."fact_viewing_session" as "w")
      group by "cu"."user_id") as "cu" on "cu"."user_id" = "s"."user_id" and "cu"."valid_from" <= "s"."started_at" union
      select "s"."session_id", coalesce("u"."user_key", -1) as "user_key", coalesce("c"."content_key", -1) as "content_key", coalesce("d"."date_key", -1) as "date_key", "s"."started_at", "s"."ended_at", date_part('hour', ("s"."started_at" at time zone coalesce("k"."time_zone", 'UTC')))::smallint as "start_hour_local", date_part('isodow', ("s"."started_at" at time zone coalesce("k"."time_zone", 'UTC')))::smallint as "day_of_week_local", "s"."device_type", "s"."device_os", "s"."country_code", coalesce("k"."region", 'unknown') as "region", "s"."quality", "s"."avg_bitrate_kbps", "s"."bytes_transferred", "s"."watch_duration_s", "c"."runtime_s", case when "c"."runtime_s" > 0 then least(1.0, greatest(0.0, "s"."watch_duration_s"::double precision / "c"."runtime_s")) end as "completion_ratio", ("s"."exit_reason" = 'completed' or coalesce("s"."watch_duration_s" >= 0.9 * "c"."runtime_s", false)) as "is_completed", "s"."startup_ms", "s"."rebuffer_count", "s"."rebuffer_ms", "s"."exit_reason", "s"."is_offline", "s"."_load_id", "s"."_extracted_at"
      from "trusted"."stg_viewing_sessions" as "s"
      left join "trusted"."dim_user" as "u" on "u"."user_id" = "s"."user_id" and "u"."subscription_status" <> 'erased' and "u"."valid_from" <= "s"."started_at" and ("u"."valid_to" is null or "u"."valid_to" > "s"."started_at")
      left join "trusted"."dim_content" as "c" on "c"."content_id" = "s"."content_id"
      left join "trusted"."ref_country" as "k" on "k"."country_code" = "s"."country_code"
      left join "trusted"."dim_date" as "d" on "d"."full_date" = ("s"."started_at" at time zone 'UTC')::date
      where "s"."content_id" = any(array((select "i"."content_id"
      from "trusted"."dim_content" as "i"
      where "i"."content_key" <> -1 and trim(coalesce(i.series_id, i.content_id)) = any(array((select trim(h.content_id) as "content_id"
      from "raw"."content__history" as "h"
      where "h"."_extracted_at" > (select coalesce(max(w._extracted_at), '-infinity'::timestamptz)
      from "trusted"."fact_viewing_session" as "w")))) and not (exists (select 1
      from "raw"."content__history" as "q"
      where trim(q.content_id) = trim(coalesce(i.series_id, i.content_id)) and q._extracted_at <= (select coalesce(max(w._extracted_at), '-infinity'::timestamptz)
      from "trusted"."fact_viewing_session" as "w"))
          and not exists (select 1
      from "raw"."content__history" as "v"
      where trim(v.content_id) = trim(coalesce(i.series_id, i.content_id))
            and (v._extracted_at > (select coalesce(max(w._extracted_at), '-infinity'::timestamptz)
      from "trusted"."fact_viewing_session" as "w") or v._change_seq = (select max(r._change_seq)
      from "raw"."content__history" as "r"
             
      where trim(r.content_id) = trim(coalesce(i.series_id, i.content_id)) and r._extracted_at <= (select coalesce(max(w._extracted_at), '-infinity'::timestamptz)
      from "trusted"."fact_viewing_session" as "w")))
            and not coalesce(case
          when i.series_id is null then v._doc ->> 'type' = 'movie' and (v._doc ->> 'runtime_min')::numeric * 60 is not distinct
      from i.runtime_s
          else exists (select 1
      from jsonb_array_elements(case when jsonb_typeof(v._doc -> 'seasons') = 'array' then v._doc -> 'seasons' else '[]'::jsonb end) s,
            jsonb_array_elements(case when jsonb_typeof(s -> 'episodes') = 'array' then s -> 'episodes' else '[]'::jsonb end) e
           
      where trim(e ->> 'episode_id') = i.content_id and (e ->> 'runtime_min')::numeric * 60 is not distinct
      from i.runtime_s)
          end, false))))))"
    `);
  });

  it('agg_daily_usage', () => {
    expect(compile(star.agg_daily_usage)).toMatchInlineSnapshot(`
      "select "f"."date_key", "f"."country_code", "f"."region", "f"."device_type", "u"."plan", "f"."quality", count(*) as "sessions", sum("f"."watch_duration_s")::bigint as "watch_seconds", count(*) filter (where "f"."is_completed") as "completed_sessions", sum("f"."rebuffer_count")::bigint as "rebuffer_count", sum("f"."rebuffer_ms")::bigint as "rebuffer_ms", sum("f"."startup_ms")::bigint as "startup_ms_total", sum("f"."avg_bitrate_kbps"::bigint * "f"."watch_duration_s")::bigint as "bitrate_kbps_seconds", sum("f"."bytes_transferred")::bigint as "bytes_transferred", max("f"."_extracted_at") as "_extracted_at"
      from "trusted"."fact_viewing_session" as "f"
      inner join "trusted"."dim_user" as "u" on "u"."user_key" = "f"."user_key"
      group by "f"."date_key", "f"."country_code", "f"."region", "f"."device_type", "u"."plan", "f"."quality""
    `);
  });

  it('agg_daily_usage (incremental)', () => {
    expect(compile(star.agg_daily_usage, { isIncremental: true })).toMatchInlineSnapshot(`
      "with "changed_days" as (select "n"."date_key"
      from "trusted"."fact_viewing_session" as "n"
      where ("n"."_extracted_at" > (select coalesce(max(w._extracted_at), '-infinity'::timestamptz)
      from "trusted"."agg_daily_usage" as "w") and "n"."_extracted_at" < 'infinity'::timestamptz) union
      select coalesce((select d.date_key
      from "trusted"."dim_date" as "d"
      where d.full_date = (s.started_at at time zone 'UTC')::date), -1) as "date_key"
      from "trusted"."stg_viewing_sessions" as "s"
      where "s"."content_id" in (select "i"."content_id"
      from "trusted"."dim_content" as "i"
      where "i"."content_key" <> -1 and trim(coalesce(i.series_id, i.content_id)) = any(array((select trim(h.content_id) as "content_id"
      from "raw"."content__history" as "h"
      where "h"."_extracted_at" > (select coalesce(max(w._extracted_at), '-infinity'::timestamptz)
      from "trusted"."agg_daily_usage" as "w")))) and not (exists (select 1
      from "raw"."content__history" as "q"
      where trim(q.content_id) = trim(coalesce(i.series_id, i.content_id)) and q._extracted_at <= (select coalesce(max(w._extracted_at), '-infinity'::timestamptz)
      from "trusted"."agg_daily_usage" as "w"))
          and not exists (select 1
      from "raw"."content__history" as "v"
      where trim(v.content_id) = trim(coalesce(i.series_id, i.content_id))
            and (v._extracted_at > (select coalesce(max(w._extracted_at), '-infinity'::timestamptz)
      from "trusted"."agg_daily_usage" as "w") or v._change_seq = (select max(r._change_seq)
      from "raw"."content__history" as "r"
             
      where trim(r.content_id) = trim(coalesce(i.series_id, i.content_id)) and r._extracted_at <= (select coalesce(max(w._extracted_at), '-infinity'::timestamptz)
      from "trusted"."agg_daily_usage" as "w")))
            and not coalesce(case
          when i.series_id is null then v._doc ->> 'type' = 'movie' and (v._doc ->> 'runtime_min')::numeric * 60 is not distinct
      from i.runtime_s
          else exists (select 1
      from jsonb_array_elements(case when jsonb_typeof(v._doc -> 'seasons') = 'array' then v._doc -> 'seasons' else '[]'::jsonb end) s,
            jsonb_array_elements(case when jsonb_typeof(s -> 'episodes') = 'array' then s -> 'episodes' else '[]'::jsonb end) e
           
      where trim(e ->> 'episode_id') = i.content_id and (e ->> 'runtime_min')::numeric * 60 is not distinct
      from i.runtime_s)
          end, false)))) union
      select coalesce((select d.date_key
      from "trusted"."dim_date" as "d"
      where d.full_date = (h.started_at at time zone 'UTC')::date), -1) as "date_key"
      from "raw"."viewing_sessions__history" as "h"
      where "h"."started_at" is not null and h.session_id in (select c.session_id
      from "raw"."viewing_sessions__history" as "c"
      where c._extracted_at > (select coalesce(max(w._extracted_at), '-infinity'::timestamptz)
      from "trusted"."agg_daily_usage" as "w"))), "changed_groups" as (select distinct "g"."date_key" as "date_key", "g"."country_code" as "country_code", "g"."device_type" as "device_type", "g"."quality" as "quality"
      from "trusted"."fact_viewing_session" as "g"
      inner join "trusted"."stg_viewing_sessions" as "s" on "s"."session_id" = "g"."session_id"
      inner join (select "cu"."user_id", min(cu.valid_from) as "valid_from"
      from "trusted"."dim_user" as "cu"
      where "cu"."_extracted_at" > (select coalesce(max(w._extracted_at), '-infinity'::timestamptz)
      from "trusted"."agg_daily_usage" as "w")
      group by "cu"."user_id") as "cu" on "cu"."user_id" = "s"."user_id"
      where "s"."started_at" >= "cu"."valid_from")
      select "fresh".*
      from (select "f"."date_key", "f"."country_code", "f"."region", "f"."device_type", "u"."plan", "f"."quality", count(*) as "sessions", sum("f"."watch_duration_s")::bigint as "watch_seconds", count(*) filter (where "f"."is_completed") as "completed_sessions", sum("f"."rebuffer_count")::bigint as "rebuffer_count", sum("f"."rebuffer_ms")::bigint as "rebuffer_ms", sum("f"."startup_ms")::bigint as "startup_ms_total", sum("f"."avg_bitrate_kbps"::bigint * "f"."watch_duration_s")::bigint as "bitrate_kbps_seconds", sum("f"."bytes_transferred")::bigint as "bytes_transferred", max("f"."_extracted_at") as "_extracted_at"
      from "trusted"."fact_viewing_session" as "f"
      inner join "trusted"."dim_user" as "u" on "u"."user_key" = "f"."user_key"
      where ("f"."date_key" = any(array(select "date_key"
      from "changed_days")) or ("f"."date_key", "f"."country_code", "f"."device_type", "f"."quality") in (select "date_key", "country_code", "device_type", "quality"
      from "changed_groups"))
      group by "f"."date_key", "f"."country_code", "f"."region", "f"."device_type", "u"."plan", "f"."quality") as "fresh""
    `);
  });

  it('agg_daily_content', () => {
    expect(compile(star.agg_daily_content)).toMatchInlineSnapshot(`
      "select "f"."date_key", "f"."content_key", count(*) as "sessions", count(distinct "f"."user_key") as "viewers", sum("f"."watch_duration_s")::bigint as "watch_seconds", count(*) filter (where "f"."is_completed") as "completed_sessions", max("f"."_extracted_at") as "_extracted_at"
      from "trusted"."fact_viewing_session" as "f"
      group by "f"."date_key", "f"."content_key""
    `);
  });
});

-- The star schema of @reelhouse/models written by hand as one psql script: the baseline the
-- benchmark compares a full `models:build` with. Same inputs (raw.*), same transforms, same output
-- tables, keys and constraints, built into the schema named by the psql variable `target`:
--   psql "$WAREHOUSE_DATABASE_URL" -v target=bench_star -f packages/models/bench/star-schema.sql
\set ON_ERROR_STOP on

begin;
drop schema if exists :"target" cascade;
create schema :"target";
set local search_path = :"target", public;

-- Staging: cleaned raw, latest updated_at per key (an anti-join, as the models do); temporary
-- views vanish with the session.
create temporary view stg_viewing_sessions as
select lower(trim(s.session_id::text)) as session_id, lower(trim(s.user_id::text)) as user_id, trim(s.content_id) as content_id,
       s.started_at, s.ended_at, s.watch_duration_s, lower(trim(s.device_type)) as device_type,
       trim(s.device_os) as device_os, upper(trim(s.country_code)) as country_code, upper(trim(s.quality)) as quality,
       s.avg_bitrate_kbps, s.bytes_transferred, s.startup_ms, s.rebuffer_count, s.rebuffer_ms,
       lower(trim(s.exit_reason)) as exit_reason, s.is_offline, s._load_id::text as _load_id, s._extracted_at
from raw.viewing_sessions s
where not exists (select 1 from raw.viewing_sessions n where n.session_id = s.session_id
                  and (n.updated_at, n._extracted_at, n.ctid) > (s.updated_at, s._extracted_at, s.ctid));

create temporary view stg_content as
select trim(c.content_id) as content_id, lower(trim(c.type)) as content_type, trim(c.title) as title,
       lower(trim(c.original_language)) as original_language, c.release_date,
       upper(trim(c.maturity_rating)) as maturity_rating, c.is_original, c.runtime_min,
       c.ratings__internal__avg as rating_internal_avg, c.ratings__imdb__score as rating_imdb_score
from raw.content c
where not exists (select 1 from raw.content n where n.content_id = c.content_id
                  and (n.updated_at, n._extracted_at, n.ctid) > (c.updated_at, c._extracted_at, c.ctid));

create temporary view stg_episodes as
select distinct on (e.episode_id) trim(e.episode_id) as episode_id, e._root_id as series_id, s.season_number,
       e.episode_number, trim(e.title) as title, e.runtime_min, e.release_date
from raw.content__seasons__episodes e
join raw.content__seasons s on s._row_id = e._parent_id
order by e.episode_id, e._root_id, s.season_number, e._list_idx;

create temporary view stg_content_genres as
select distinct on (g._root_id, lower(trim(g.value))) g._root_id as content_id, lower(trim(g.value)) as genre, g._list_idx as genre_rank
from raw.content__genres g
order by g._root_id, lower(trim(g.value)), g._list_idx;

create temporary view stg_content_cast as
select distinct on (c._root_id, c.person_id) c._root_id as content_id, trim(c.person_id) as person_id,
       trim(c.name) as name, trim(c.character) as character, c.billing_order
from raw.content__cast c
order by c._root_id, c.person_id, c.billing_order, c._list_idx;

-- The countries seed of @reelhouse/contracts.
create table ref_country (country_code text not null, country_name text not null, region text not null, time_zone text not null, currency text not null);
insert into ref_country values
  ('US', 'United States', 'UCAN', 'America/New_York', 'USD'),
  ('CA', 'Canada', 'UCAN', 'America/Toronto', 'CAD'),
  ('GB', 'United Kingdom', 'EMEA', 'Europe/London', 'GBP'),
  ('DE', 'Germany', 'EMEA', 'Europe/Berlin', 'EUR'),
  ('FR', 'France', 'EMEA', 'Europe/Paris', 'EUR'),
  ('ES', 'Spain', 'EMEA', 'Europe/Madrid', 'EUR'),
  ('IT', 'Italy', 'EMEA', 'Europe/Rome', 'EUR'),
  ('NL', 'Netherlands', 'EMEA', 'Europe/Amsterdam', 'EUR'),
  ('PL', 'Poland', 'EMEA', 'Europe/Warsaw', 'PLN'),
  ('SE', 'Sweden', 'EMEA', 'Europe/Stockholm', 'SEK'),
  ('TR', 'Turkey', 'EMEA', 'Europe/Istanbul', 'TRY'),
  ('ZA', 'South Africa', 'EMEA', 'Africa/Johannesburg', 'ZAR'),
  ('AE', 'United Arab Emirates', 'EMEA', 'Asia/Dubai', 'AED'),
  ('BR', 'Brazil', 'LATAM', 'America/Sao_Paulo', 'BRL'),
  ('MX', 'Mexico', 'LATAM', 'America/Mexico_City', 'MXN'),
  ('AR', 'Argentina', 'LATAM', 'America/Argentina/Buenos_Aires', 'ARS'),
  ('CO', 'Colombia', 'LATAM', 'America/Bogota', 'COP'),
  ('CL', 'Chile', 'LATAM', 'America/Santiago', 'CLP'),
  ('JP', 'Japan', 'APAC', 'Asia/Tokyo', 'JPY'),
  ('KR', 'South Korea', 'APAC', 'Asia/Seoul', 'KRW'),
  ('AU', 'Australia', 'APAC', 'Australia/Sydney', 'AUD'),
  ('IN', 'India', 'APAC', 'Asia/Kolkata', 'INR'),
  ('PH', 'Philippines', 'APAC', 'Asia/Manila', 'PHP'),
  ('NZ', 'New Zealand', 'APAC', 'Pacific/Auckland', 'NZD');
alter table ref_country add primary key (country_code);

-- dim_date: whole years from the first sign-up to the last session ever extracted, plus -1.
create table dim_date as
with bounds as (
  select date_trunc('year', min(first_at) at time zone 'UTC')::date as first_day,
         (date_trunc('year', max(last_at) at time zone 'UTC') + interval '1 year - 1 day')::date as last_day
  from (select min(signup_ts) as first_at, greatest(max(signup_ts), max(cancelled_at)) as last_at from raw.users__history
        union all select min(started_at), max(started_at) from raw.viewing_sessions__history) b
), days as (select g.day::date as d from bounds, generate_series(bounds.first_day, bounds.last_day, interval '1 day') g(day))
select to_char(d, 'YYYYMMDD')::integer as date_key, d as full_date, extract(year from d)::smallint as year,
       extract(quarter from d)::smallint as quarter, extract(month from d)::smallint as month,
       trim(to_char(d, 'Month')) as month_name, extract(week from d)::smallint as iso_week,
       extract(day from d)::smallint as day_of_month, extract(isodow from d)::smallint as day_of_week,
       trim(to_char(d, 'Day')) as day_name, extract(isodow from d) >= 6 as is_weekend
from days
union all
select -1, null, null, null, null, null, null, null, null, null, null;
alter table dim_date add primary key (date_key);

-- dim_user: SCD2 versions from raw.users__history (a version opens where plan, status or country
-- changes, in _change_seq order; valid from the business time of its first row, the first from
-- sign-up, kept strictly increasing), attributes of its last row; erased users' versions without
-- personal attributes; key = hash(user_id, valid_from), plus -1.
create table dim_user as
with history as (
  select lower(trim(h.user_id::text)) as user_id, h._op, h._change_seq, h._extracted_at, lower(trim(h.email)) as email,
         h.birth_year, nullif(lower(trim(h.gender)), '') as gender, upper(trim(h.country_code)) as country_code,
         trim(h.preferred_language) as preferred_language, h.signup_ts, lower(trim(h.plan)) as plan, h.monthly_price_cents,
         upper(trim(h.currency)) as currency, lower(trim(h.subscription_status)) as subscription_status, h.cancelled_at,
         lower(trim(h.acquisition_channel)) as acquisition_channel, h.updated_at
  from raw.users__history h),
erasures as (select user_id, max(_extracted_at) as erased_extracted_at from history where _op = 'delete' group by user_id),
upserts as (
  select u.*, case when lag(row(u.plan, u.subscription_status, u.country_code)) over w
                   is not distinct from row(u.plan, u.subscription_status, u.country_code) then 0 else 1 end as opens
  from history u where u._op = 'upsert' window w as (partition by u.user_id order by u._change_seq)),
numbered as (select u.*, sum(u.opens) over (partition by u.user_id order by u._change_seq) as version_no from upserts u),
spans as (
  select user_id, version_no, max(_change_seq) as last_seq, max(_extracted_at) as extracted_at,
         (array_agg(updated_at order by _change_seq))[1] as opened_at
  from numbered group by user_id, version_no),
starts as (
  select l.*, s.extracted_at, case when s.version_no = 1 then l.signup_ts else s.opened_at end as starts_at
  from spans s join numbered l on l.user_id = s.user_id and l._change_seq = s.last_seq),
timed as (
  select t.*, max(t.starts_at - t.version_no * interval '1 microsecond') over (partition by t.user_id order by t.version_no)
              + t.version_no * interval '1 microsecond' as valid_from
  from starts t),
versions as (
  select v.*, lead(v.valid_from) over (partition by v.user_id order by v.version_no) as valid_to,
         e.user_id is not null as erased, greatest(v.extracted_at, e.erased_extracted_at) as last_extracted_at,
         extract(year from v.updated_at at time zone 'UTC')::integer - v.birth_year as age
  from timed v left join erasures e on e.user_id = v.user_id)
select ('x' || substr(md5(v.user_id || '|' || ((extract(epoch from v.valid_from) * 1000000)::bigint)::text), 1, 13))::bit(52)::bigint as user_key,
       v.user_id,
       case when v.erased then null else encode(sha256(convert_to(v.email, 'UTF8')), 'hex') end as email_sha256,
       case when v.erased or v.age is null then 'unknown' when v.age < 18 then 'under_18' when v.age < 25 then '18-24'
            when v.age < 35 then '25-34' when v.age < 45 then '35-44' when v.age < 55 then '45-54'
            when v.age < 65 then '55-64' else '65+' end as age_band,
       case when v.erased then 'unknown' else coalesce(v.gender, 'unknown') end as gender,
       case when v.erased then 'ZZ' else v.country_code end as country_code,
       case when v.erased then 'unknown' else coalesce(c.region, 'unknown') end as region,
       case when v.erased then null else v.preferred_language end as preferred_language,
       case when v.erased then 'unknown' else v.plan end as plan,
       case when v.erased then null else v.monthly_price_cents end as monthly_price_cents,
       case when v.erased then null else v.currency end as currency,
       case when v.erased then 'erased' else v.subscription_status end as subscription_status,
       case when v.erased then -1 else to_char(v.signup_ts at time zone 'UTC', 'YYYYMMDD')::integer end as signup_date_key,
       case when v.erased then null else to_char(v.cancelled_at at time zone 'UTC', 'YYYYMMDD')::integer end as cancelled_date_key,
       case when v.erased then 'unknown' else v.acquisition_channel end as acquisition_channel,
       v.valid_from, v.valid_to, not v.erased and v.valid_to is null as is_current, v.last_extracted_at as _extracted_at
from versions v left join ref_country c on c.country_code = v.country_code
union all
select -1, 'unknown', null, 'unknown', 'unknown', 'ZZ', 'unknown', null, 'unknown', null, null, 'unknown', -1, null, 'unknown',
       '1900-01-01T00:00:00Z', null, true, null;
alter table dim_user add primary key (user_key);
create index on dim_user (user_id, valid_from);

-- dim_content: movies, episodes with their series' attributes, plus -1.
create table dim_content as
with primary_genre as (
  select distinct on (content_id) content_id, genre from stg_content_genres order by content_id, genre_rank
)
select ('x' || substr(md5(c.content_id), 1, 13))::bit(52)::bigint as content_key,
       c.content_id, 'movie'::text as content_type, c.title, null::text as series_id, null::text as series_title,
       null::integer as season_number, null::integer as episode_number, c.runtime_min * 60 as runtime_s, c.release_date,
       coalesce(g.genre, 'unknown') as primary_genre, c.maturity_rating, c.original_language, c.is_original,
       c.rating_internal_avg, c.rating_imdb_score
from stg_content c left join primary_genre g on g.content_id = c.content_id
where c.content_type = 'movie'
union all
select ('x' || substr(md5(e.episode_id), 1, 13))::bit(52)::bigint,
       e.episode_id, 'episode', e.title, e.series_id, c.title, e.season_number, e.episode_number, e.runtime_min * 60,
       e.release_date, coalesce(g.genre, 'unknown'), c.maturity_rating, c.original_language, c.is_original,
       c.rating_internal_avg, c.rating_imdb_score
from stg_episodes e join stg_content c on c.content_id = e.series_id left join primary_genre g on g.content_id = e.series_id
union all
select -1, 'unknown', 'unknown', 'Unknown', null, null, null, null, null, null, 'unknown', null, null, null, null, null;
alter table dim_content add primary key (content_key);
create index on dim_content (content_id);

-- _extracted_at: the newest extraction of the title's document, in its history or its current
-- row (the bridges' incremental watermark).
create temp table title_extracted_at on commit drop as
select title_id, max(_extracted_at) as _extracted_at from (
  select trim(content_id) as title_id, _extracted_at from raw.content__history
  union all select trim(content_id), _extracted_at from raw.content) x group by 1;

create table bridge_content_genre as
select c.content_key, g.genre, g.genre = c.primary_genre as is_primary, t._extracted_at
from dim_content c join stg_content_genres g on g.content_id = coalesce(c.series_id, c.content_id)
left join title_extracted_at t on t.title_id = g.content_id;
alter table bridge_content_genre add primary key (content_key, genre);
create index on bridge_content_genre (_extracted_at);

create table bridge_content_cast as
select c.content_key, p.person_id, p.name, p.character, p.billing_order, t._extracted_at
from dim_content c join stg_content_cast p on p.content_id = coalesce(c.series_id, c.content_id)
left join title_extracted_at t on t.title_id = p.content_id;
alter table bridge_content_cast add primary key (content_key, person_id);
create index on bridge_content_cast (_extracted_at);

-- The fact: user version valid at started_at (hash join on user_id, then the interval), orphans -1.
create table fact_viewing_session as
select s.session_id, coalesce(u.user_key, -1) as user_key, coalesce(c.content_key, -1) as content_key,
       coalesce(d.date_key, -1) as date_key, s.started_at, s.ended_at,
       date_part('hour', s.started_at at time zone coalesce(k.time_zone, 'UTC'))::smallint as start_hour_local,
       date_part('isodow', s.started_at at time zone coalesce(k.time_zone, 'UTC'))::smallint as day_of_week_local,
       s.device_type, s.device_os, s.country_code, coalesce(k.region, 'unknown') as region, s.quality,
       s.avg_bitrate_kbps, s.bytes_transferred, s.watch_duration_s, c.runtime_s,
       case when c.runtime_s > 0 then least(1.0, greatest(0.0, s.watch_duration_s::double precision / c.runtime_s)) end as completion_ratio,
       (s.exit_reason = 'completed' or coalesce(s.watch_duration_s >= 0.9 * c.runtime_s, false)) as is_completed,
       s.startup_ms, s.rebuffer_count, s.rebuffer_ms, s.exit_reason, s.is_offline, s._load_id, s._extracted_at
from stg_viewing_sessions s
left join dim_user u on u.user_id = s.user_id and u.subscription_status <> 'erased' and u.valid_from <= s.started_at and (u.valid_to is null or u.valid_to > s.started_at)
left join dim_content c on c.content_id = s.content_id
left join ref_country k on k.country_code = s.country_code
left join dim_date d on d.full_date = (s.started_at at time zone 'UTC')::date;
alter table fact_viewing_session add primary key (session_id),
  add foreign key (user_key) references dim_user (user_key),
  add foreign key (content_key) references dim_content (content_key),
  add foreign key (date_key) references dim_date (date_key);
create index on fact_viewing_session (_extracted_at);
create index on fact_viewing_session (date_key);
create index on fact_viewing_session (user_key);
create index on fact_viewing_session (content_key);

create table agg_daily_usage as
select f.date_key, f.country_code, f.region, f.device_type, u.plan, f.quality,
       count(*) as sessions, sum(f.watch_duration_s)::bigint as watch_seconds,
       count(*) filter (where f.is_completed) as completed_sessions, sum(f.rebuffer_count)::bigint as rebuffer_count,
       sum(f.rebuffer_ms)::bigint as rebuffer_ms, sum(f.startup_ms)::bigint as startup_ms_total,
       sum(f.avg_bitrate_kbps::bigint * f.watch_duration_s)::bigint as bitrate_kbps_seconds,
       sum(f.bytes_transferred)::bigint as bytes_transferred, max(f._extracted_at) as _extracted_at
from fact_viewing_session f join dim_user u on u.user_key = f.user_key
group by f.date_key, f.country_code, f.region, f.device_type, u.plan, f.quality;
alter table agg_daily_usage add primary key (date_key, country_code, device_type, plan, quality),
  add foreign key (date_key) references dim_date (date_key);

create table agg_daily_content as
select f.date_key, f.content_key, count(*) as sessions, count(distinct f.user_key) as viewers,
       sum(f.watch_duration_s)::bigint as watch_seconds, count(*) filter (where f.is_completed) as completed_sessions,
       max(f._extracted_at) as _extracted_at
from fact_viewing_session f
group by f.date_key, f.content_key;
alter table agg_daily_content add primary key (date_key, content_key),
  add foreign key (date_key) references dim_date (date_key),
  add foreign key (content_key) references dim_content (content_key);

analyze ref_country, dim_date, dim_user, dim_content, bridge_content_genre, bridge_content_cast, fact_viewing_session, agg_daily_usage, agg_daily_content;
commit;

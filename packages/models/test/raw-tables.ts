/**
 * DDL of the `raw` tables the models read, as the extractor creates them (uuid keys and load ids,
 * character codes; current tables with the source's change markers, append-only histories, per
 * the issue 13 contract). The extractor owns the real DDL; steps never import each other, so
 * the end-to-end tests of the models carry this copy.
 */
export const rawTablesDdl = `
create schema if not exists raw;
create table raw.users (
  user_id uuid primary key, email text not null, first_name text not null, last_name text not null, birth_year smallint,
  gender text, country_code character(2) not null, city text, preferred_language text not null, signup_ts timestamptz not null,
  plan text not null, monthly_price_cents integer not null, currency character(3) not null, subscription_status text not null,
  cancelled_at timestamptz, acquisition_channel text not null, marketing_opt_in boolean not null, updated_at timestamptz not null,
  _change_seq bigint not null, _changed_at timestamptz not null, _load_id uuid not null, _extracted_at timestamptz not null);
create table raw.viewing_sessions (
  session_id uuid primary key, user_id uuid not null, content_id text not null, started_at timestamptz not null, ended_at timestamptz not null,
  watch_duration_s integer not null, position_start_s integer not null, position_end_s integer not null, device_type text not null,
  device_os text not null, app_version text not null, country_code character(2) not null, quality text not null, avg_bitrate_kbps integer not null,
  bytes_transferred bigint not null, startup_ms integer not null, rebuffer_count smallint not null, rebuffer_ms integer not null,
  exit_reason text not null, is_offline boolean not null, updated_at timestamptz not null,
  _change_seq bigint not null, _changed_at timestamptz not null, _load_id uuid not null, _extracted_at timestamptz not null);
create table raw.content (
  content_id text primary key, type text not null, title text not null, original_language text not null, release_date date not null,
  maturity_rating text not null, is_original boolean not null, runtime_min integer, production_countries text[] not null default '{}',
  available_qualities text[] not null default '{}', audio_languages text[] not null default '{}', subtitle_languages text[] not null default '{}',
  ratings__internal__avg double precision, ratings__internal__count integer, ratings__imdb__score double precision, ratings__imdb__votes integer,
  licensing__window_start date, licensing__window_end date, licensing__regions text[] not null default '{}', updated_at timestamptz not null,
  _doc jsonb not null default '{}', _change_seq bigint not null, _changed_at timestamptz not null, _load_id uuid not null, _extracted_at timestamptz not null);
create table raw.content__genres (_root_id text not null, _parent_id text not null, _list_idx integer not null, _row_id text primary key, _load_id uuid not null, value text not null);
create table raw.content__cast (_root_id text not null, _parent_id text not null, _list_idx integer not null, _row_id text primary key, _load_id uuid not null,
  person_id text not null, name text not null, role text not null, character text not null, billing_order integer not null);
create table raw.content__seasons (_root_id text not null, _parent_id text not null, _list_idx integer not null, _row_id text primary key, _load_id uuid not null,
  season_number integer not null, release_date date not null);
create table raw.content__seasons__episodes (_root_id text not null, _parent_id text not null, _list_idx integer not null, _row_id text primary key, _load_id uuid not null,
  episode_id text not null, episode_number integer not null, title text not null, runtime_min integer not null, release_date date not null);
create table raw.users__history (
  user_id uuid not null, email text, first_name text, last_name text, birth_year smallint, gender text, country_code character(2), city text,
  preferred_language text, signup_ts timestamptz, plan text, monthly_price_cents integer, currency character(3), subscription_status text,
  cancelled_at timestamptz, acquisition_channel text, marketing_opt_in boolean, updated_at timestamptz,
  _op text not null, _change_seq bigint not null, _changed_at timestamptz not null, _load_id uuid not null, _extracted_at timestamptz not null,
  unique (user_id, _change_seq));
create index on raw.users__history (_extracted_at);
create table raw.viewing_sessions__history (
  session_id uuid not null, user_id uuid, content_id text, started_at timestamptz, ended_at timestamptz, watch_duration_s integer,
  position_start_s integer, position_end_s integer, device_type text, device_os text, app_version text, country_code character(2), quality text,
  avg_bitrate_kbps integer, bytes_transferred bigint, startup_ms integer, rebuffer_count smallint, rebuffer_ms integer, exit_reason text,
  is_offline boolean, updated_at timestamptz,
  _op text not null, _change_seq bigint not null, _changed_at timestamptz not null, _load_id uuid not null, _extracted_at timestamptz not null,
  unique (session_id, _change_seq));
create index on raw.viewing_sessions__history (_extracted_at);
create table raw.content__history (
  content_id text not null, updated_at timestamptz, _doc jsonb,
  _op text not null, _change_seq bigint not null, _changed_at timestamptz not null, _load_id uuid not null, _extracted_at timestamptz not null,
  unique (content_id, _change_seq));
`;

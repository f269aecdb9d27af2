import { sql, type Kysely } from 'kysely';
import type { TrustedSchema } from '@reelhouse/warehouse';

/**
 * Creates the `trusted` tables the metrics read, with the column types of the warehouse contract,
 * so tests can stand in for a models build. Idempotent.
 */
export async function createTrustedTables(db: Kysely<TrustedSchema>): Promise<void> {
  await sql`create schema if not exists trusted`.execute(db);
  await sql`create table if not exists trusted.dim_date (
    date_key int primary key, full_date date, year int, quarter int, month int, month_name text,
    iso_week int, day_of_month int, day_of_week int, day_name text, is_weekend boolean)`.execute(
    db,
  );
  await sql`create table if not exists trusted.dim_user (
    user_key bigint primary key, user_id text not null, email_sha256 text, age_band text not null, gender text not null,
    country_code text not null, region text not null, preferred_language text, plan text not null, monthly_price_cents int,
    currency text, subscription_status text not null, signup_date_key int not null, cancelled_date_key int, acquisition_channel text not null,
    valid_from timestamptz not null, valid_to timestamptz, is_current boolean not null)`.execute(
    db,
  );
  await sql`create table if not exists trusted.dim_content (
    content_key bigint primary key, content_id text not null, content_type text not null, title text not null,
    series_id text, series_title text, season_number int, episode_number int, runtime_s int, release_date date,
    primary_genre text not null, maturity_rating text, original_language text, is_original boolean,
    rating_internal_avg float8, rating_imdb_score float8)`.execute(db);
  await sql`create table if not exists trusted.bridge_content_genre (content_key bigint not null, genre text not null, is_primary boolean not null)`.execute(
    db,
  );
  await sql`create table if not exists trusted.bridge_content_cast (
    content_key bigint not null, person_id text not null, name text not null, character text not null, billing_order int not null)`.execute(
    db,
  );
  await sql`create table if not exists trusted.fact_viewing_session (
    session_id text primary key, user_key bigint not null, content_key bigint not null, date_key int not null,
    started_at timestamptz not null, ended_at timestamptz not null, start_hour_local int not null, day_of_week_local int not null,
    device_type text not null, device_os text not null, country_code text not null, region text not null, quality text not null,
    avg_bitrate_kbps int not null, bytes_transferred bigint not null, watch_duration_s int not null, runtime_s int,
    completion_ratio float8, is_completed boolean not null, startup_ms int not null, rebuffer_count int not null,
    rebuffer_ms int not null, exit_reason text not null, is_offline boolean not null, _load_id text not null,
    _extracted_at timestamptz not null)`.execute(db);
  await sql`create table if not exists trusted.agg_daily_usage (
    date_key int not null, country_code text not null, region text not null, device_type text not null, plan text not null,
    quality text not null, sessions bigint not null, watch_seconds bigint not null, completed_sessions bigint not null,
    rebuffer_count bigint not null, rebuffer_ms bigint not null, startup_ms_total bigint not null,
    bitrate_kbps_seconds bigint not null, bytes_transferred bigint not null,
    _extracted_at timestamptz not null)`.execute(db);
  await sql`create table if not exists trusted.agg_daily_content (
    date_key int not null, content_key bigint not null, sessions bigint not null, viewers bigint not null,
    watch_seconds bigint not null, completed_sessions bigint not null,
    _extracted_at timestamptz not null)`.execute(db);
}

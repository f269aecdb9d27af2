import type pg from 'pg';

/** Source DDL as the loaders create it (contract columns in contract order, `updated_at` indexed). */
const sourceDdl = [
  `create table public.users (
    user_id uuid primary key, email text not null, first_name text not null, last_name text not null,
    birth_year smallint, gender text, country_code char(2) not null, city text, preferred_language text not null,
    signup_ts timestamptz not null, plan text not null, monthly_price_cents integer not null, currency char(3) not null,
    subscription_status text not null, cancelled_at timestamptz, acquisition_channel text not null,
    marketing_opt_in boolean not null, updated_at timestamptz not null)`,
  'create index users_updated_at_idx on public.users (updated_at)',
  `create table public.viewing_sessions (
    session_id uuid primary key, user_id uuid not null, content_id text not null,
    started_at timestamptz not null, ended_at timestamptz not null, watch_duration_s integer not null,
    position_start_s integer not null, position_end_s integer not null, device_type text not null,
    device_os text not null, app_version text not null, country_code char(2) not null, quality text not null,
    avg_bitrate_kbps integer not null, bytes_transferred bigint not null, startup_ms integer not null,
    rebuffer_count smallint not null, rebuffer_ms integer not null, exit_reason text not null,
    is_offline boolean not null, updated_at timestamptz not null)`,
  'create index viewing_sessions_updated_at_idx on public.viewing_sessions (updated_at)',
  // The change markers and tombstones, as the loaders' migration 4 creates them.
  'create sequence public.source_change_seq',
  `create function public.set_change_marker() returns trigger language plpgsql as $$
   begin
     new._change_seq := nextval('public.source_change_seq');
     new._changed_at := clock_timestamp();
     new._change_xid := pg_current_xact_id();
     return new;
   end $$`,
  `create table public._deletes (stream text not null, key text not null,
    _change_seq bigint not null default nextval('public.source_change_seq'),
    _changed_at timestamptz not null default clock_timestamp(),
    _change_xid xid8 not null default pg_current_xact_id())`,
  `create function public.record_delete() returns trigger language plpgsql as $$
   begin
     insert into public._deletes (stream, key) values (tg_argv[0], to_jsonb(old) ->> tg_argv[1]);
     return old;
   end $$`,
  ...[
    ['users', 'user_id'],
    ['viewing_sessions', 'session_id'],
  ].flatMap(([table, key]) => [
    `alter table public.${table} add column _change_seq bigint, add column _changed_at timestamptz, add column _change_xid xid8`,
    `create trigger ${table}_change_marker before insert or update on public.${table} for each row execute function public.set_change_marker()`,
    `create trigger ${table}_record_delete after delete on public.${table} for each row execute function public.record_delete('${table}', '${key}')`,
  ]),
];

/** Creates the source tables in a fresh database. */
export async function createSourceTables(pool: pg.Pool): Promise<void> {
  for (const statement of sourceDdl) await pool.query(statement);
}

/** A deterministic uuid for fixture row `n` of a table (`kind` 1 = users, 2 = sessions). */
export function fixtureUuid(kind: number, n: number): string {
  return `0000000${kind}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

/**
 * Inserts users `from..to` (inclusive) with SQL; `updatedAt` is a SQL timestamptz expression that
 * may use `n`, so a test controls exactly which rows share a cursor value.
 */
export async function insertUsers(
  pool: pg.Pool,
  rows: { from: number; to: number; updatedAt: string },
): Promise<void> {
  await pool.query(
    `insert into public.users
     select ('00000001-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid, 'user' || n || '@example.com', 'First' || n, 'Last' || n,
            1950 + n % 50, case when n % 4 = 0 then null else 'female' end, 'US', case when n % 3 = 0 then null else 'Boston' end, 'en-US',
            '2024-01-01T00:00:00Z'::timestamptz + n * interval '1 minute', 'standard', 1299, 'USD', 'active', null, 'organic', n % 2 = 0,
            ${rows.updatedAt}
       from generate_series($1::int, $2::int) as n`,
    [rows.from, rows.to],
  );
}

/** Inserts viewing sessions `from..to` (inclusive) with SQL; `updatedAt` as for `insertUsers`. */
export async function insertSessions(
  pool: pg.Pool,
  rows: { from: number; to: number; updatedAt: string },
): Promise<void> {
  await pool.query(
    `insert into public.viewing_sessions
     select ('00000002-0000-4000-8000-' || lpad(to_hex(n), 12, '0'))::uuid, ('00000001-0000-4000-8000-' || lpad(to_hex(n % 50 + 1), 12, '0'))::uuid,
            'mov_' || (n % 20), '2025-01-01T00:00:00Z'::timestamptz + n * interval '1 second',
            '2025-01-01T00:30:00Z'::timestamptz + n * interval '1 second', 1800, 0, 1800, 'smart_tv', 'tizen', '8.1.0', 'US', 'HD',
            3000, 675000000::bigint + n, 800, (n % 3)::smallint, 0, 'completed', false, ${rows.updatedAt}
       from generate_series($1::int, $2::int) as n`,
    [rows.from, rows.to],
  );
}

/** `select count(*)` as a number. */
export async function countRows(pool: pg.Pool, table: string): Promise<number> {
  const result = await pool.query<{ count: string }>(`select count(*) as count from ${table}`);
  return Number(result.rows[0]?.count ?? 0);
}

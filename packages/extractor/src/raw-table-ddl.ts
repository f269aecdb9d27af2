import { usersStream, viewingSessionsStream, type PostgresStream } from './postgres-stream.ts';

const loadMetadata = '_load_id uuid not null, _extracted_at timestamptz not null';
const changeMarkers = '_change_seq bigint not null, _changed_at timestamptz not null';
const historyMetadata = `_op text not null check (_op in ('upsert', 'delete')), ${changeMarkers}, ${loadMetadata}`;
const childMetadata =
  '_root_id text not null, _parent_id text not null, _list_idx integer not null, _row_id text primary key, _load_id uuid not null';

function sourceTableDdl(spec: PostgresStream): string {
  const columns = spec.columns.map(
    (column) => `${column.name} ${column.type}${column.nullable ? '' : ' not null'}`,
  );
  return `create table if not exists ${spec.rawTable} (${columns.join(', ')}, ${changeMarkers}, ${loadMetadata}, primary key (${spec.key}))`;
}

/** Raw tables created before the change markers get them (0 / epoch: the next full refresh fills them). */
function addChangeMarkers(table: string): string[] {
  return [
    `alter table ${table} add column if not exists _change_seq bigint not null default 0, add column if not exists _changed_at timestamptz not null default 'epoch'`,
    `alter table ${table} alter column _change_seq drop default, alter column _changed_at drop default`,
  ];
}

/** The append-only history of a stream: every source column nullable (tombstones, erasures). */
function historyTableDdl(spec: PostgresStream): string[] {
  const name = `${spec.rawTable}__history`;
  const bare = name.replace(/^raw\./, '');
  const columns = spec.columns.map(
    (column) => `${column.name} ${column.type}${column.name === spec.key ? ' not null' : ''}`,
  );
  return [
    `create table if not exists ${name} (${columns.join(', ')}, ${historyMetadata}, unique (${spec.key}, _change_seq))`,
    `create index if not exists ${bare}__extracted_at_idx on ${name} (_extracted_at)`,
  ];
}

function childTableDdl(name: string, columns: string): string[] {
  return [
    `create table if not exists raw.${name} (${columns}, ${childMetadata})`,
    // Replacing a document's children deletes by root id.
    `create index if not exists ${name}__root_idx on raw.${name} (_root_id)`,
  ];
}

/**
 * The DDL of every `raw` table, each statement rerunnable; it mirrors the Kysely types in
 * `@reelhouse/warehouse` (`RawSchema`), which the integration tests compare with the catalog.
 */
export const rawTableDdl: readonly string[] = [
  'create schema if not exists raw',
  sourceTableDdl(usersStream),
  sourceTableDdl(viewingSessionsStream),
  ...addChangeMarkers(usersStream.rawTable),
  ...addChangeMarkers(viewingSessionsStream.rawTable),
  ...historyTableDdl(usersStream),
  ...historyTableDdl(viewingSessionsStream),
  'create index if not exists users__extracted_at_idx on raw.users (_extracted_at)',
  // Incremental models read only the sessions extracted since their last build.
  'create index if not exists viewing_sessions__extracted_at_idx on raw.viewing_sessions (_extracted_at)',
  // Incremental models re-resolve the sessions of users and titles that changed: by these
  // expressions, the ids as the staging view trusted.stg_viewing_sessions cleans them, so its
  // filters reach raw through an index instead of a scan of every session.
  'create index if not exists viewing_sessions__user_id_idx on raw.viewing_sessions ((lower(trim(user_id::text))))',
  'create index if not exists viewing_sessions__content_id_idx on raw.viewing_sessions ((trim(content_id)))',
  // trusted.dim_date spans the years between the first and the last time in these histories: its
  // min() and max() become index lookups, not a scan of every version on each build.
  'create index if not exists users__history__signup_ts_idx on raw.users__history (signup_ts)',
  'create index if not exists users__history__cancelled_at_idx on raw.users__history (cancelled_at)',
  'create index if not exists viewing_sessions__history__started_at_idx on raw.viewing_sessions__history (started_at)',
  `create table if not exists raw.content (
    content_id text primary key,
    type text not null,
    title text not null,
    original_language text not null,
    release_date date not null,
    maturity_rating text not null,
    is_original boolean not null,
    runtime_min integer,
    production_countries text[] not null,
    available_qualities text[] not null,
    audio_languages text[] not null,
    subtitle_languages text[] not null,
    ratings__internal__avg double precision,
    ratings__internal__count integer,
    ratings__imdb__score double precision,
    ratings__imdb__votes integer,
    licensing__window_start date,
    licensing__window_end date,
    licensing__regions text[] not null,
    updated_at timestamptz not null,
    _doc jsonb not null,
    ${changeMarkers},
    ${loadMetadata})`,
  ...addChangeMarkers('raw.content'),
  `create table if not exists raw.content__history (
    content_id text not null,
    updated_at timestamptz,
    _doc jsonb,
    ${historyMetadata},
    unique (content_id, _change_seq))`,
  'create index if not exists content__history__extracted_at_idx on raw.content__history (_extracted_at)',
  ...childTableDdl('content__genres', 'value text not null'),
  ...childTableDdl(
    'content__cast',
    'person_id text not null, name text not null, role text not null, character text not null, billing_order integer not null',
  ),
  ...childTableDdl(
    'content__crew',
    'person_id text not null, name text not null, role text not null',
  ),
  ...childTableDdl(
    'content__seasons',
    'season_number integer not null, release_date date not null',
  ),
  ...childTableDdl(
    'content__seasons__episodes',
    'episode_id text not null, episode_number integer not null, title text not null, runtime_min integer not null, release_date date not null',
  ),
  `create table if not exists raw._loads (
    load_id uuid primary key,
    stream text not null,
    source text not null,
    status text not null check (status in ('succeeded', 'failed')),
    disposition text not null check (disposition in ('merge', 'replace', 'append')),
    started_at timestamptz not null,
    finished_at timestamptz not null,
    rows_extracted bigint not null,
    rows_inserted bigint not null,
    rows_updated bigint not null,
    rows_deleted bigint not null default 0,
    rows_rejected bigint not null,
    cursor_from text,
    cursor_to text,
    error text,
    warnings jsonb not null default '[]')`,
  'alter table raw._loads add column if not exists rows_deleted bigint not null default 0',
  'create index if not exists _loads__stream_idx on raw._loads (stream, started_at)',
  `create table if not exists raw._state (
    stream text primary key,
    cursor_column text not null,
    cursor_value text not null,
    load_id uuid not null,
    updated_at timestamptz not null)`,
  `create table if not exists raw._rejected_rows (
    id bigint generated always as identity primary key,
    stream text not null,
    source_file text,
    position bigint,
    record_key text,
    raw_text text not null,
    error_code text not null,
    message text not null,
    load_id uuid not null,
    rejected_at timestamptz not null default now())`,
];

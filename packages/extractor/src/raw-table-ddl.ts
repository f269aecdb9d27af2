import { usersStream, viewingSessionsStream, type PostgresStream } from './postgres-stream.ts';

const loadMetadata = '_load_id uuid not null, _extracted_at timestamptz not null';
const childMetadata =
  '_root_id text not null, _parent_id text not null, _list_idx integer not null, _row_id text primary key, _load_id uuid not null';

function sourceTableDdl(spec: PostgresStream): string {
  const columns = spec.columns.map(
    (column) => `${column.name} ${column.type}${column.nullable ? '' : ' not null'}`,
  );
  return `create table if not exists ${spec.rawTable} (${columns.join(', ')}, ${loadMetadata}, primary key (${spec.key}))`;
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
  // Incremental models read only the sessions extracted since their last build.
  'create index if not exists viewing_sessions__extracted_at_idx on raw.viewing_sessions (_extracted_at)',
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
    ${loadMetadata})`,
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
    rows_rejected bigint not null,
    cursor_from text,
    cursor_to text,
    error text,
    warnings jsonb not null default '[]')`,
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

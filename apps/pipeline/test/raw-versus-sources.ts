import type { Db } from 'mongodb';
import type pg from 'pg';

import type { CastMember, CrewMember, Episode } from '@reelhouse/contracts';

import { rowDifferences, type RowDifferences } from './row-differences.ts';

/** A relation of raw whose current rows differ from the source's, and how. */
export interface RawDifference extends RowDifferences {
  readonly relation: string;
}

const postgresStreams = [
  { source: 'public.users', raw: 'raw.users', key: 'user_id' },
  { source: 'public.viewing_sessions', raw: 'raw.viewing_sessions', key: 'session_id' },
] as const;

async function columnsOf(pool: pg.Pool, table: string): Promise<string[]> {
  const [schema, name] = table.split('.');
  const { rows } = await pool.query<{ column: string }>(
    `select quote_ident(column_name) as column from information_schema.columns
     where table_schema = $1 and table_name = $2 order by ordinal_position`,
    [schema, name],
  );
  return rows.map((row) => row.column);
}

async function rowsAsJson(pool: pg.Pool, query: string): Promise<string[]> {
  const { rows } = await pool.query<{ row: string }>(
    `select to_jsonb(t)::text as row from (${query}) t`,
  );
  return rows.map((row) => row.row);
}

/**
 * The sources' rows against raw's current rows, for both PostgreSQL streams: every column they
 * share (the source's data and change markers), read from `raw.<stream>` and from the latest
 * version of each key in `raw.<stream>__history` (what dim_user's SCD2 reads), deleted keys
 * excluded.
 */
async function postgresDifferences(source: pg.Pool, warehouse: pg.Pool): Promise<RawDifference[]> {
  const found: RawDifference[] = [];
  for (const stream of postgresStreams) {
    const rawColumns = new Set(await columnsOf(warehouse, stream.raw));
    const shared = (await columnsOf(source, stream.source)).filter((c) => rawColumns.has(c));
    const list = shared.join(', ');
    const expected = await rowsAsJson(source, `select ${list} from ${stream.source}`);
    const current = await rowsAsJson(warehouse, `select ${list} from ${stream.raw}`);
    const latest = await rowsAsJson(
      warehouse,
      `select ${list} from (
         select distinct on (${stream.key}) * from ${stream.raw}__history
         order by ${stream.key}, _change_seq desc) h
       where h._op = 'upsert'`,
    );
    for (const [relation, rows] of [
      [stream.raw, current],
      [`${stream.raw}__history (latest version per key)`, latest],
    ] as const) {
      const difference = rowDifferences(rows, expected);
      if (difference !== undefined) found.push({ relation, ...difference });
    }
  }
  return found;
}

const day = (value: Date | null): string | null => value?.toISOString().slice(0, 10) ?? null;

/** A catalogue document as MongoDB stores it: the contract's fields, dates as BSON dates, change markers. */
interface StoredDocument {
  readonly _id: string;
  readonly type: string;
  readonly title: string;
  readonly original_language: string;
  readonly release_date: Date;
  readonly maturity_rating: string;
  readonly is_original: boolean;
  readonly runtime_min?: number;
  readonly production_countries: string[];
  readonly available_qualities: string[];
  readonly audio_languages: string[];
  readonly subtitle_languages: string[];
  readonly ratings: {
    readonly internal: { readonly avg: number; readonly count: number };
    readonly imdb?: { readonly score: number; readonly votes: number } | null;
  };
  readonly licensing: {
    readonly window_start: Date;
    readonly window_end: Date | null;
    readonly regions: string[];
  };
  readonly updated_at: Date;
  readonly _change_seq: { toString(): string };
  readonly genres: string[];
  readonly cast: CastMember[];
  readonly crew: CrewMember[];
  readonly seasons?: {
    readonly season_number: number;
    readonly release_date: Date;
    readonly episodes: (Omit<Episode, 'release_date'> & { readonly release_date: Date })[];
  }[];
}

/** A catalogue document as the comparison sees it: every contract field, nested lists in order. */
function documentShape(doc: StoredDocument): Record<string, unknown> {
  const { ratings, licensing } = doc;
  return {
    content_id: doc._id,
    type: doc.type,
    title: doc.title,
    original_language: doc.original_language,
    release_date: day(doc.release_date),
    maturity_rating: doc.maturity_rating,
    is_original: doc.is_original,
    runtime_min: doc.type === 'movie' ? (doc.runtime_min ?? null) : null,
    production_countries: doc.production_countries,
    available_qualities: doc.available_qualities,
    audio_languages: doc.audio_languages,
    subtitle_languages: doc.subtitle_languages,
    ratings: {
      internal: { avg: ratings.internal.avg, count: ratings.internal.count },
      imdb: ratings.imdb ? { score: ratings.imdb.score, votes: ratings.imdb.votes } : null,
    },
    licensing: {
      window_start: day(licensing.window_start),
      window_end: day(licensing.window_end),
      regions: licensing.regions,
    },
    updated_at: doc.updated_at.toISOString(),
    change_seq: Number(doc._change_seq.toString()),
    genres: doc.genres,
    cast: doc.cast.map((m) => ({
      person_id: m.person_id,
      name: m.name,
      role: m.role,
      character: m.character,
      billing_order: m.billing_order,
    })),
    crew: doc.crew.map((m) => ({ person_id: m.person_id, name: m.name, role: m.role })),
    seasons: (doc.seasons ?? []).map((season) => ({
      season_number: season.season_number,
      release_date: day(season.release_date),
      episodes: season.episodes.map((episode) => ({
        episode_id: episode.episode_id,
        episode_number: episode.episode_number,
        title: episode.title,
        runtime_min: episode.runtime_min,
        release_date: day(episode.release_date),
      })),
    })),
  };
}

/** raw's content tables assembled back into `documentShape`, one document per `raw.content` row. */
async function rawDocuments(warehouse: pg.Pool): Promise<Record<string, unknown>[]> {
  const children = async (table: string, columns: string) => {
    const { rows } = await warehouse.query<
      Record<string, unknown> & { _parent_id: string; _row_id: string }
    >(`select _parent_id, _row_id, ${columns} from ${table} order by _parent_id, _list_idx`);
    const byParent = new Map<string, (typeof rows)[number][]>();
    for (const row of rows)
      byParent.set(row._parent_id, [...(byParent.get(row._parent_id) ?? []), row]);
    return byParent;
  };
  const genres = await children('raw.content__genres', 'value');
  const cast = await children(
    'raw.content__cast',
    'person_id, name, role, character, billing_order',
  );
  const crew = await children('raw.content__crew', 'person_id, name, role');
  const seasons = await children(
    'raw.content__seasons',
    'season_number, release_date::text as release_date',
  );
  const episodes = await children(
    'raw.content__seasons__episodes',
    'episode_id, episode_number, title, runtime_min, release_date::text as release_date',
  );
  const { rows } = await warehouse.query<Record<string, unknown> & { content_id: string }>(
    `select content_id, type, title, original_language, release_date::text as release_date,
       maturity_rating, is_original, runtime_min, production_countries, available_qualities,
       audio_languages, subtitle_languages, ratings__internal__avg, ratings__internal__count,
       ratings__imdb__score, ratings__imdb__votes, licensing__window_start::text as window_start,
       licensing__window_end::text as window_end, licensing__regions, updated_at,
       _change_seq::float8 as change_seq
     from raw.content`,
  );
  const strip = ({ _parent_id, _row_id, ...rest }: Record<string, unknown>) => rest;
  return rows.map((c) => ({
    content_id: c.content_id,
    type: c['type'],
    title: c['title'],
    original_language: c['original_language'],
    release_date: c['release_date'],
    maturity_rating: c['maturity_rating'],
    is_original: c['is_original'],
    runtime_min: c['runtime_min'],
    production_countries: c['production_countries'],
    available_qualities: c['available_qualities'],
    audio_languages: c['audio_languages'],
    subtitle_languages: c['subtitle_languages'],
    ratings: {
      internal: { avg: c['ratings__internal__avg'], count: c['ratings__internal__count'] },
      imdb:
        c['ratings__imdb__score'] === null
          ? null
          : { score: c['ratings__imdb__score'], votes: c['ratings__imdb__votes'] },
    },
    licensing: {
      window_start: c['window_start'],
      window_end: c['window_end'],
      regions: c['licensing__regions'],
    },
    updated_at: (c['updated_at'] as Date).toISOString(),
    change_seq: c['change_seq'],
    genres: (genres.get(c.content_id) ?? []).map((g) => g['value']),
    cast: (cast.get(c.content_id) ?? []).map(strip),
    crew: (crew.get(c.content_id) ?? []).map(strip),
    seasons: (seasons.get(c.content_id) ?? []).map((s) => ({
      ...strip(s),
      episodes: (episodes.get(s._row_id) ?? []).map(strip),
    })),
  }));
}

/** The catalogue in MongoDB against raw's content tables, nested seasons and episodes included. */
async function contentDifferences(mongo: Db, warehouse: pg.Pool): Promise<RawDifference[]> {
  const expected = (await mongo.collection<StoredDocument>('content').find({}).toArray()).map(
    (doc) => JSON.stringify(documentShape(doc)),
  );
  const current = (await rawDocuments(warehouse)).map((doc) => JSON.stringify(doc));
  const difference = rowDifferences(current, expected, 3);
  return difference === undefined
    ? []
    : [{ relation: 'raw.content (+ child tables)', ...difference }];
}

/**
 * Every relation whose current rows in `raw` differ from the sources' rows: `[]` when raw holds
 * exactly what PostgreSQL and MongoDB hold now. `onlyLeft` is raw's side, `onlyRight` the source's.
 */
export async function rawVersusSources(facts: {
  readonly source: pg.Pool;
  readonly warehouse: pg.Pool;
  readonly mongo: Db;
}): Promise<RawDifference[]> {
  return [
    ...(await postgresDifferences(facts.source, facts.warehouse)),
    ...(await contentDifferences(facts.mongo, facts.warehouse)),
  ];
}

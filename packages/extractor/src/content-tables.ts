import type {
  RawContentCastTable,
  RawContentCrewTable,
  RawContentGenresTable,
  RawContentSeasonsEpisodesTable,
  RawContentSeasonsTable,
  RawContentTable,
} from '@reelhouse/warehouse';

import type { ContentRows } from './content-rows.ts';
import type { SameKeys } from './same-keys.ts';

type RowOf<Part extends keyof ContentRows> = ContentRows[Part] extends readonly (infer Row)[]
  ? Row
  : ContentRows[Part];

/** Any table of the content stream, for code that walks them all. */
export interface AnyContentTable {
  readonly part: keyof ContentRows;
  readonly rawTable: string;
  readonly stage: string;
  readonly columns: readonly string[];
}

/** One table of the content stream: the part of `ContentRows` it holds and its columns in COPY order. */
export interface ContentTable<Part extends keyof ContentRows = keyof ContentRows> {
  readonly part: Part;
  readonly rawTable: string;
  /** Name of its temp staging table. */
  readonly stage: string;
  readonly columns: readonly (keyof RowOf<Part> & string)[];
}

const child = ['_root_id', '_parent_id', '_list_idx', '_row_id', '_load_id'] as const;

function table<Part extends keyof ContentRows>(
  part: Part,
  spec: { rawTable: string; columns: readonly (keyof RowOf<Part> & string)[] },
): ContentTable<Part> {
  return {
    part,
    rawTable: spec.rawTable,
    stage: `pg_temp.stage_${spec.rawTable.replace(/^raw\./, '')}`,
    columns: spec.columns,
  };
}

const contentColumns = [
  'content_id',
  'type',
  'title',
  'original_language',
  'release_date',
  'maturity_rating',
  'is_original',
  'runtime_min',
  'production_countries',
  'available_qualities',
  'audio_languages',
  'subtitle_languages',
  'ratings__internal__avg',
  'ratings__internal__count',
  'ratings__imdb__score',
  'ratings__imdb__votes',
  'licensing__window_start',
  'licensing__window_end',
  'licensing__regions',
  'updated_at',
  '_doc',
  '_change_seq',
  '_changed_at',
  '_load_id',
  '_extracted_at',
] as const;
const genresColumns = [...child, 'value'] as const;
const castColumns = [...child, 'person_id', 'name', 'role', 'character', 'billing_order'] as const;
const crewColumns = [...child, 'person_id', 'name', 'role'] as const;
const seasonsColumns = [...child, 'season_number', 'release_date'] as const;
const episodesColumns = [
  ...child,
  'episode_id',
  'episode_number',
  'title',
  'runtime_min',
  'release_date',
] as const;

// Every column of each Kysely table type is written by COPY, and nothing else (checked by tsc).
const _columnsAgree: [
  SameKeys<(typeof contentColumns)[number], keyof RawContentTable>,
  SameKeys<(typeof genresColumns)[number], keyof RawContentGenresTable>,
  SameKeys<(typeof castColumns)[number], keyof RawContentCastTable>,
  SameKeys<(typeof crewColumns)[number], keyof RawContentCrewTable>,
  SameKeys<(typeof seasonsColumns)[number], keyof RawContentSeasonsTable>,
  SameKeys<(typeof episodesColumns)[number], keyof RawContentSeasonsEpisodesTable>,
] = [true, true, true, true, true, true];

/** The parent table `raw.content`. */
export const contentTable = table('content', { rawTable: 'raw.content', columns: contentColumns });

/** The child tables, one per nested array, parents before children. */
export const contentChildTables = [
  table('genres', { rawTable: 'raw.content__genres', columns: genresColumns }),
  table('cast', { rawTable: 'raw.content__cast', columns: castColumns }),
  table('crew', { rawTable: 'raw.content__crew', columns: crewColumns }),
  table('seasons', { rawTable: 'raw.content__seasons', columns: seasonsColumns }),
  table('episodes', { rawTable: 'raw.content__seasons__episodes', columns: episodesColumns }),
] as const;

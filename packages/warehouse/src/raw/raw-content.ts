import type { Insertable, Selectable } from 'kysely';

import type { DateText, Json, Timestamp } from '../column-types.ts';
import type { ChangeMarkers } from './change-markers.ts';
import type { ChildRowMetadata, LoadMetadata } from './load-metadata.ts';

/**
 * `raw.content`: one row per MongoDB document; top-level scalars, flattened objects
 * (`ratings__imdb__score`), scalar arrays as `text[]`, and the whole document in `_doc`.
 */
export interface RawContentTable extends LoadMetadata, ChangeMarkers {
  content_id: string;
  type: string;
  title: string;
  original_language: string;
  release_date: DateText;
  maturity_rating: string;
  is_original: boolean;
  runtime_min: number | null;
  production_countries: string[];
  available_qualities: string[];
  audio_languages: string[];
  subtitle_languages: string[];
  ratings__internal__avg: number | null;
  ratings__internal__count: number | null;
  ratings__imdb__score: number | null;
  ratings__imdb__votes: number | null;
  licensing__window_start: DateText | null;
  licensing__window_end: DateText | null;
  licensing__regions: string[];
  updated_at: Timestamp;
  _doc: Json<Record<string, unknown>>;
}

/** `raw.content__genres`: one row per genre of a title, in source order. */
export interface RawContentGenresTable extends ChildRowMetadata {
  value: string;
}

/** `raw.content__cast`. */
export interface RawContentCastTable extends ChildRowMetadata {
  person_id: string;
  name: string;
  role: string;
  character: string;
  billing_order: number;
}

/** `raw.content__crew`. */
export interface RawContentCrewTable extends ChildRowMetadata {
  person_id: string;
  name: string;
  role: string;
}

/** `raw.content__seasons`: one row per season of a series. */
export interface RawContentSeasonsTable extends ChildRowMetadata {
  season_number: number;
  release_date: DateText;
}

/** `raw.content__seasons__episodes`: `_parent_id` is the season's `_row_id`. */
export interface RawContentSeasonsEpisodesTable extends ChildRowMetadata {
  episode_id: string;
  episode_number: number;
  title: string;
  runtime_min: number;
  release_date: DateText;
}

export type RawContent = Selectable<RawContentTable>;
export type NewRawContent = Insertable<RawContentTable>;

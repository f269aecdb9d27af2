import type { Selectable } from 'kysely';

import type { BigIntNumber, DateText, Timestamp } from '../column-types.ts';

/** `trusted.dim_content`: one row per playable item (a movie or an episode); `-1` is the unknown member. */
export interface DimContentTable {
  content_key: BigIntNumber;
  content_id: string;
  content_type: string;
  title: string;
  series_id: string | null;
  series_title: string | null;
  season_number: number | null;
  episode_number: number | null;
  runtime_s: number | null;
  release_date: DateText | null;
  primary_genre: string;
  maturity_rating: string | null;
  original_language: string | null;
  is_original: boolean | null;
  rating_internal_avg: number | null;
  rating_imdb_score: number | null;
}

/** `trusted.bridge_content_genre`: every genre of a playable item (episodes inherit their series'). */
export interface BridgeContentGenreTable {
  content_key: BigIntNumber;
  genre: string;
  is_primary: boolean;
  /** The newest extraction of the title's document; null for an item the catalogue dropped. */
  _extracted_at: Timestamp | null;
}

/** `trusted.bridge_content_cast`: cast of a playable item (episodes inherit their series'). */
export interface BridgeContentCastTable {
  content_key: BigIntNumber;
  person_id: string;
  name: string;
  character: string;
  billing_order: number;
  /** The newest extraction of the title's document. */
  _extracted_at: Timestamp | null;
}

export type DimContent = Selectable<DimContentTable>;

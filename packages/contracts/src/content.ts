import { z } from 'zod';

import { contentTypes, maturityRatings } from './enums.ts';

/**
 * Dates in `content.json` are ISO strings; the loader stores them as BSON dates in MongoDB.
 * `release_date` is a calendar date (`YYYY-MM-DD`), `updated_at` a UTC timestamp.
 */
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date like 2021-03-14');
const isoTimestamp = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/, 'must be an ISO 8601 UTC timestamp');
const language = z.string().regex(/^[a-z]{2,3}$/, 'must be an ISO 639 language code');
const country = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code');

export const castMember = z.strictObject({
  person_id: z.string().regex(/^per_[0-9a-z]+$/),
  name: z.string().min(1),
  role: z.enum(['actor', 'voice']),
  character: z.string().min(1),
  billing_order: z.int().min(1),
});

export const crewMember = z.strictObject({
  person_id: z.string().regex(/^per_[0-9a-z]+$/),
  name: z.string().min(1),
  role: z.enum(['director', 'writer', 'producer', 'composer', 'cinematographer']),
});

export const episode = z.strictObject({
  episode_id: z.string().regex(/^ep_[0-9a-z_]+$/, 'must be an episode id ep_…'),
  episode_number: z.int().min(1),
  title: z.string().min(1),
  runtime_min: z.int().min(1).max(240),
  release_date: isoDate,
});

export const season = z.strictObject({
  season_number: z.int().min(1),
  release_date: isoDate,
  episodes: z.array(episode).min(1),
});

const contentBase = {
  title: z.string().min(1),
  original_language: language,
  release_date: isoDate,
  maturity_rating: z.enum(maturityRatings),
  genres: z.array(z.string().min(1)).min(1),
  production_countries: z.array(country).min(1),
  is_original: z.boolean(),
  available_qualities: z.array(z.enum(['SD', 'HD', 'FHD', 'UHD'])).min(1),
  audio_languages: z.array(language).min(1),
  subtitle_languages: z.array(language),
  cast: z.array(castMember),
  crew: z.array(crewMember),
  ratings: z.strictObject({
    internal: z.strictObject({ avg: z.number().min(0).max(5), count: z.int().nonnegative() }),
    imdb: z
      .strictObject({ score: z.number().min(0).max(10), votes: z.int().nonnegative() })
      .nullable(),
  }),
  licensing: z.strictObject({
    window_start: isoDate,
    window_end: isoDate.nullable(),
    regions: z.array(z.enum(['UCAN', 'EMEA', 'LATAM', 'APAC'])).min(1),
  }),
  updated_at: isoTimestamp,
};

export const movieDocument = z.strictObject({
  _id: z.string().regex(/^mov_[0-9a-z_]+$/, 'must be a movie id mov_…'),
  type: z.literal('movie'),
  ...contentBase,
  runtime_min: z.int().min(1).max(400),
});

export const seriesDocument = z.strictObject({
  _id: z.string().regex(/^ser_[0-9a-z_]+$/, 'must be a series id ser_…'),
  type: z.literal('series'),
  ...contentBase,
  seasons: z.array(season).min(1),
});

/** One element of `content.json` (array or NDJSON): a movie or a series with its seasons and episodes. */
export const contentDocument = z.discriminatedUnion('type', [movieDocument, seriesDocument]);

export type CastMember = z.output<typeof castMember>;
export type CrewMember = z.output<typeof crewMember>;
export type Episode = z.output<typeof episode>;
export type Season = z.output<typeof season>;
export type MovieDocument = z.output<typeof movieDocument>;
export type SeriesDocument = z.output<typeof seriesDocument>;
export type ContentDocument = z.output<typeof contentDocument>;
export { contentTypes };

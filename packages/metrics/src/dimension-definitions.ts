import { sql, type RawBuilder } from 'kysely';
import { z } from 'zod';

import type { SourceName } from './metric-source.ts';

/** Calendar grains: the compiler derives them from each source's event day. */
export type TimeGrain = 'day' | 'week' | 'month';

/** What a filter value must look like: values are bound parameters anyway, this rejects nonsense early. */
export type DimensionValueKind = 'code' | 'country' | 'text' | 'integer';

export interface CategoryDimension {
  readonly kind: 'category';
  readonly label: string;
  readonly values: DimensionValueKind;
  /** Sort rows by the value (buckets, hours) rather than by the first metric. */
  readonly sortByValue: boolean;
  readonly expressions: Partial<Record<SourceName, RawBuilder<string | number | null>>>;
}

export interface TimeDimension {
  readonly kind: 'time';
  readonly label: string;
  readonly grain: TimeGrain;
}

export type DimensionDefinition = CategoryDimension | TimeDimension;

const column = (reference: string): RawBuilder<string> => sql<string>`${sql.ref(reference)}`;
const userSources = (reference: string) => ({
  sessions: column(reference),
  signups: column(reference),
  cancellations: column(reference),
  subscribers: column(reference),
});
const category = (
  label: string,
  values: DimensionValueKind,
  expressions: CategoryDimension['expressions'],
): CategoryDimension => ({ kind: 'category', label, values, sortByValue: false, expressions });
/** A dimension whose rows read best in value order (hours, bands, episodes). */
const ordered = (dimension: CategoryDimension): CategoryDimension => ({
  ...dimension,
  sortByValue: true,
});

/** `S01E02`; 'SE' for a movie (no season or episode), as PostgreSQL's format() wrote it. */
const episodeLabel = sql<string>`'S' || coalesce(lpad(c.season_number::text, 2, '0'), '') || 'E' || coalesce(lpad(c.episode_number::text, 2, '0'), '')`;

/** Every named dimension, defined once, with the column that answers it in each source. */
export const dimensionDefinitions = {
  date: { kind: 'time', label: 'Date', grain: 'day' },
  week: { kind: 'time', label: 'Week', grain: 'week' },
  month: { kind: 'time', label: 'Month', grain: 'month' },
  country: category('Country', 'country', {
    usage: column('a.country_code'),
    sessions: column('f.country_code'),
    signups: column('u.country_code'),
    cancellations: column('u.country_code'),
    subscribers: column('u.country_code'),
  }),
  region: category('Region', 'code', {
    usage: column('a.region'),
    sessions: column('f.region'),
    signups: column('u.region'),
    cancellations: column('u.region'),
    subscribers: column('u.region'),
  }),
  device: category('Device', 'code', {
    usage: column('a.device_type'),
    sessions: column('f.device_type'),
  }),
  device_os: category('Device OS', 'code', { sessions: column('f.device_os') }),
  // Plan as of the session (the SCD version), the same meaning the usage aggregate stores.
  plan: category('Plan', 'code', { usage: column('a.plan'), ...userSources('u.plan') }),
  quality: category('Quality', 'code', {
    usage: column('a.quality'),
    sessions: column('f.quality'),
  }),
  genre: category('Genre', 'text', {
    content: column('c.primary_genre'),
    sessions: column('c.primary_genre'),
  }),
  content_type: category('Content type', 'code', {
    content: column('c.content_type'),
    sessions: column('c.content_type'),
  }),
  // Episodes roll up to their series: "top titles" ranks shows, not single episodes.
  title: category('Title', 'text', {
    content: sql<string>`coalesce(c.series_title, c.title)`,
    sessions: sql<string>`coalesce(c.series_title, c.title)`,
  }),
  series: category('Series', 'text', {
    content: column('c.series_title'),
    sessions: column('c.series_title'),
  }),
  // Drill level between a series and its episodes.
  season: ordered(
    category('Season', 'integer', {
      content: column('c.season_number'),
      sessions: column('c.season_number'),
    }),
  ),
  // Concatenation rather than format(): the dashboard's in-memory engine (DuckDB) reads it the same way.
  episode: ordered(
    category('Episode', 'text', {
      content: episodeLabel,
      sessions: episodeLabel,
    }),
  ),
  hour_local: ordered(
    category('Hour (local)', 'integer', { sessions: column('f.start_hour_local') }),
  ),
  weekday_local: ordered(
    category('Weekday (local)', 'integer', { sessions: column('f.day_of_week_local') }),
  ),
  age_band: ordered(category('Age band', 'code', userSources('u.age_band'))),
  gender: category('Gender', 'code', userSources('u.gender')),
  subscription_status: category(
    'Subscription status',
    'code',
    userSources('u.subscription_status'),
  ),
  acquisition_channel: category(
    'Acquisition channel',
    'code',
    userSources('u.acquisition_channel'),
  ),
  // Prices are in their own currency: revenue metrics are only meaningful within one.
  currency: category('Currency', 'code', userSources('u.currency')),
  exit_reason: category('Exit reason', 'code', { sessions: column('f.exit_reason') }),
  // Lower bound of 10-minute bands, 180 meaning three hours or more.
  duration_band_min: ordered(
    category('Session length (min)', 'integer', {
      sessions: sql<number>`least(floor(f.watch_duration_s / 600) * 10, 180)::int`,
    }),
  ),
  // Lower bound of 1 Mbps bands, 16000 meaning 16 Mbps or more.
  bitrate_band_kbps: ordered(
    category('Bitrate (kbps)', 'integer', {
      sessions: sql<number>`least(floor(f.avg_bitrate_kbps / 1000) * 1000, 16000)::int`,
    }),
  ),
} as const satisfies Record<string, DimensionDefinition>;

export type DimensionName = keyof typeof dimensionDefinitions;
export const dimensionNames = Object.keys(dimensionDefinitions) as [
  DimensionName,
  ...DimensionName[],
];

const sqlLookalike = /--|\/\*|\*\/|;|\\/;

/** The zod schema of one filter value of a given kind (filter values arrive as URL text). */
export const dimensionValueSchemas: Record<DimensionValueKind, z.ZodType<string | number>> = {
  code: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/, 'must be a code of letters, digits, _ or - (at most 40)'),
  country: z.string().regex(/^[A-Z]{2}$/, 'must be an upper-case ISO country code'),
  text: z
    .string()
    .min(1)
    .max(200)
    .regex(
      /^[\p{L}\p{N}\p{Zs}.,:!?&'’()-]+$/u,
      'must be plain text (letters, digits, spaces, basic punctuation)',
    )
    .refine(
      (value) => !sqlLookalike.test(value),
      'must not contain SQL comment or statement separators',
    ),
  integer: z.coerce.number().int().min(-1).max(1_000_000),
};

import type { RawSchema } from '@reelhouse/warehouse';
import type { Selectable } from 'kysely';

type RawRow<S extends keyof RawSchema> = Selectable<RawSchema[S]>;

const load = { _load_id: 'load-1', _extracted_at: new Date('2024-03-01T00:00:00Z') };

/** A `raw.users` row with plausible defaults: a US standard-plan subscriber since 2023-01-10. */
export function rawUser(
  overrides: Partial<RawRow<'raw.users'>> & Pick<RawRow<'raw.users'>, 'user_id'>,
): RawRow<'raw.users'> {
  return {
    email: `${overrides.user_id}@example.com`,
    first_name: 'Ada',
    last_name: 'Lovelace',
    birth_year: 1990,
    gender: 'female',
    country_code: 'US',
    city: 'Boston',
    preferred_language: 'en-US',
    signup_ts: new Date('2023-01-10T12:00:00Z'),
    plan: 'standard',
    monthly_price_cents: 1549,
    currency: 'USD',
    subscription_status: 'active',
    cancelled_at: null,
    acquisition_channel: 'organic',
    marketing_opt_in: false,
    updated_at: new Date('2024-02-01T00:00:00Z'),
    ...load,
    ...overrides,
  };
}

/** A `raw.viewing_sessions` row: user `u1` watches 30 minutes of `mov_1` in the US, by default on 2024-02-10 at 20:00 UTC. */
export function rawSession(
  overrides: Partial<RawRow<'raw.viewing_sessions'>> &
    Pick<RawRow<'raw.viewing_sessions'>, 'session_id'>,
): RawRow<'raw.viewing_sessions'> {
  const startedAt = overrides.started_at ?? new Date('2024-02-10T20:00:00Z');
  return {
    user_id: 'u1',
    content_id: 'mov_1',
    started_at: startedAt,
    ended_at: new Date(startedAt.getTime() + 30 * 60_000),
    watch_duration_s: 1800,
    position_start_s: 0,
    position_end_s: 1800,
    device_type: 'smart_tv',
    device_os: 'tizen',
    app_version: '5.1.0',
    country_code: 'US',
    quality: 'HD',
    avg_bitrate_kbps: 3000,
    bytes_transferred: 675_000_000,
    startup_ms: 900,
    rebuffer_count: 1,
    rebuffer_ms: 400,
    exit_reason: 'user_exit',
    is_offline: false,
    updated_at: new Date('2024-02-10T20:30:00Z'),
    ...load,
    ...overrides,
  };
}

function rawTitle(
  overrides: Partial<RawRow<'raw.content'>> &
    Pick<RawRow<'raw.content'>, 'content_id' | 'type' | 'title'>,
): RawRow<'raw.content'> {
  return {
    original_language: 'en',
    release_date: '2020-05-01',
    maturity_rating: 'PG-13',
    is_original: true,
    runtime_min: null,
    production_countries: ['US'],
    available_qualities: ['HD'],
    audio_languages: ['en'],
    subtitle_languages: [],
    ratings__internal__avg: 4.2,
    ratings__internal__count: 120,
    ratings__imdb__score: 7.1,
    ratings__imdb__votes: 5000,
    licensing__window_start: '2020-01-01',
    licensing__window_end: '2030-01-01',
    licensing__regions: ['US'],
    updated_at: new Date('2024-01-01T00:00:00Z'),
    _doc: {},
    ...load,
    ...overrides,
  };
}

const child = (root: string, path: string, index: number) => ({
  _root_id: root,
  _parent_id: root,
  _list_idx: index,
  _row_id: `${root}/${path}/${index}`,
  _load_id: 'load-1',
});

/** A movie (`mov_1`, 100 min) and a series (`ser_1`) with one season of two 50-minute episodes, as the extractor lands them. */
export const catalogue = {
  content: [
    rawTitle({
      content_id: 'mov_1',
      type: 'movie',
      title: ' The Long Night ',
      maturity_rating: 'pg-13',
      runtime_min: 100,
    }),
    rawTitle({
      content_id: 'ser_1',
      type: 'series',
      title: 'Harbour Lights',
      release_date: '2021-09-01',
      maturity_rating: 'TV-14',
      is_original: false,
      ratings__imdb__score: null,
    }),
  ],
  genres: [
    { ...child('mov_1', 'genres', 0), value: 'Thriller' },
    { ...child('mov_1', 'genres', 1), value: ' drama' },
    { ...child('ser_1', 'genres', 0), value: 'crime' },
  ] satisfies RawRow<'raw.content__genres'>[],
  cast: [
    {
      ...child('mov_1', 'cast', 0),
      person_id: 'per_1',
      name: 'Ann Lee',
      role: 'actor',
      character: 'Mara',
      billing_order: 1,
    },
    {
      ...child('ser_1', 'cast', 0),
      person_id: 'per_2',
      name: 'Bo Chen',
      role: 'actor',
      character: 'Inspector',
      billing_order: 1,
    },
  ] satisfies RawRow<'raw.content__cast'>[],
  seasons: [
    { ...child('ser_1', 'seasons', 0), season_number: 1, release_date: '2021-09-01' },
  ] satisfies RawRow<'raw.content__seasons'>[],
  episodes: [
    {
      ...child('ser_1', 'seasons/0/episodes', 0),
      _parent_id: 'ser_1/seasons/0',
      episode_id: 'ep_1_1_1',
      episode_number: 1,
      title: 'Pilot',
      runtime_min: 50,
      release_date: '2021-09-01',
    },
    {
      ...child('ser_1', 'seasons/0/episodes', 1),
      _parent_id: 'ser_1/seasons/0',
      episode_id: 'ep_1_1_2',
      episode_number: 2,
      title: 'Tides',
      runtime_min: 50,
      release_date: '2021-09-08',
    },
  ] satisfies RawRow<'raw.content__seasons__episodes'>[],
};

/** The staging row of a raw user: what `stg_users` makes of already clean data. */
export function stagedUser(
  overrides: Partial<RawRow<'raw.users'>> & Pick<RawRow<'raw.users'>, 'user_id'>,
) {
  const {
    first_name: _first,
    last_name: _last,
    _extracted_at: _at,
    ...staged
  } = rawUser(overrides);
  return staged;
}

/** The countries a fixture uses, as `ref_country` holds them. */
export const someCountries = [
  {
    country_code: 'US',
    country_name: 'United States',
    region: 'UCAN',
    time_zone: 'America/New_York',
    currency: 'USD',
  },
  {
    country_code: 'JP',
    country_name: 'Japan',
    region: 'APAC',
    time_zone: 'Asia/Tokyo',
    currency: 'JPY',
  },
  {
    country_code: 'DE',
    country_name: 'Germany',
    region: 'EMEA',
    time_zone: 'Europe/Berlin',
    currency: 'EUR',
  },
];

import type {
  AggDailyContentTable,
  AggDailyUsageTable,
  BridgeContentGenreTable,
  DimContentTable,
  DimDateTable,
  DimUserTable,
  FactViewingSessionTable,
} from '@reelhouse/warehouse';
import type { Insertable } from 'kysely';

/** Typed rows of every trusted table the dashboard reads, small and deterministic. */
export interface TrustedFixture {
  readonly dimDate: Insertable<DimDateTable>[];
  readonly dimUser: Insertable<DimUserTable>[];
  readonly dimContent: Insertable<DimContentTable>[];
  readonly bridgeContentGenre: Insertable<BridgeContentGenreTable>[];
  readonly factViewingSession: Insertable<FactViewingSessionTable>[];
  readonly aggDailyUsage: Insertable<AggDailyUsageTable>[];
  readonly aggDailyContent: Insertable<AggDailyContentTable>[];
}

/** The days the fixture's sessions cover: two 45-day halves for period comparisons. */
export const trustedFixtureRange = { from: '2026-01-01', to: '2026-03-31' } as const;

const dayMs = 86_400_000;
const countries = [
  { code: 'US', region: 'UCAN', offsetH: -5, currency: 'USD' },
  { code: 'CA', region: 'UCAN', offsetH: -5, currency: 'CAD' },
  { code: 'GB', region: 'EMEA', offsetH: 0, currency: 'GBP' },
  { code: 'DE', region: 'EMEA', offsetH: 1, currency: 'EUR' },
  { code: 'BR', region: 'LATAM', offsetH: -3, currency: 'BRL' },
  { code: 'MX', region: 'LATAM', offsetH: -6, currency: 'MXN' },
  { code: 'JP', region: 'APAC', offsetH: 9, currency: 'JPY' },
  { code: 'IN', region: 'APAC', offsetH: 5, currency: 'INR' },
] as const;
const plans = [
  { plan: 'basic_ads', price: 699, qualities: ['SD', 'HD'] },
  { plan: 'standard', price: 1549, qualities: ['HD', 'FHD'] },
  { plan: 'premium', price: 2299, qualities: ['FHD', 'UHD'] },
] as const;
const bitrates: Record<string, number> = { SD: 1400, HD: 3000, FHD: 5800, UHD: 15000 };
const devices = ['smart_tv', 'streaming_stick', 'console', 'mobile', 'tablet', 'desktop'] as const;
const ageBands = ['18-24', '25-34', '35-44', '45-54', '55+'] as const;
const genders = ['female', 'male', 'nonbinary', 'undisclosed'] as const;
const channels = [
  'organic',
  'paid_search',
  'social',
  'referral',
  'partner_bundle',
  'tv_ad',
] as const;
const genres = ['Drama', 'Comedy', 'Action', 'Documentary', 'Sci-Fi'] as const;

/** A seeded PRNG (mulberry32): the fixture is the same on every machine. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const pick = <T>(next: () => number, items: readonly T[]): T =>
  items[Math.floor(next() * items.length)]!;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const dayKeyOf = (ms: number) => Number(isoDay(ms).replaceAll('-', ''));

function buildDates(): Insertable<DimDateTable>[] {
  const rows: Insertable<DimDateTable>[] = [
    {
      date_key: -1,
      full_date: null,
      year: null,
      quarter: null,
      month: null,
      month_name: null,
      iso_week: null,
      day_of_month: null,
      day_of_week: null,
      day_name: null,
      is_weekend: null,
    },
  ];
  for (
    let ms = Date.parse('2025-09-01T00:00:00Z');
    ms <= Date.parse('2026-04-30T00:00:00Z');
    ms += dayMs
  ) {
    const date = new Date(ms);
    const isoDow = ((date.getUTCDay() + 6) % 7) + 1;
    rows.push({
      date_key: dayKeyOf(ms),
      full_date: isoDay(ms),
      year: date.getUTCFullYear(),
      quarter: Math.floor(date.getUTCMonth() / 3) + 1,
      month: date.getUTCMonth() + 1,
      month_name: date.toLocaleString('en', { month: 'long', timeZone: 'UTC' }),
      iso_week: null,
      day_of_month: date.getUTCDate(),
      day_of_week: isoDow,
      day_name: date.toLocaleString('en', { weekday: 'long', timeZone: 'UTC' }),
      is_weekend: isoDow >= 6,
    });
  }
  return rows;
}

function buildContent(): {
  dimContent: Insertable<DimContentTable>[];
  bridge: Insertable<BridgeContentGenreTable>[];
} {
  const unknown: Insertable<DimContentTable> = {
    content_key: -1,
    content_id: 'unknown',
    content_type: 'unknown',
    title: 'Unknown',
    series_id: null,
    series_title: null,
    season_number: null,
    episode_number: null,
    runtime_s: null,
    release_date: null,
    primary_genre: 'Unknown',
    maturity_rating: null,
    original_language: null,
    is_original: null,
    rating_internal_avg: null,
    rating_imdb_score: null,
  };
  const items: Insertable<DimContentTable>[] = [unknown];
  const movies = ['The Long Night', "Ocean's Edge", 'Paper Moons', 'Quiet Engines'];
  movies.forEach((title, index) => {
    items.push({
      ...unknown,
      content_key: index + 1,
      content_id: `mov_${index + 1}`,
      content_type: 'movie',
      title,
      runtime_s: 5400 + index * 600,
      release_date: '2024-06-01',
      primary_genre: genres[index % genres.length]!,
    });
  });
  const series = [
    { id: 'ser_1', title: 'Harbour Lights', seasons: 2, episodes: 3, genre: 'Drama' },
    { id: 'ser_2', title: 'Orbit Station', seasons: 1, episodes: 4, genre: 'Sci-Fi' },
  ];
  for (const show of series) {
    for (let season = 1; season <= show.seasons; season += 1) {
      for (let episode = 1; episode <= show.episodes; episode += 1) {
        const key = items.length;
        items.push({
          ...unknown,
          content_key: key,
          content_id: `ep_${show.id}_${season}_${episode}`,
          content_type: 'episode',
          title: `${show.title} ${season}.${episode}`,
          series_id: show.id,
          series_title: show.title,
          season_number: season,
          episode_number: episode,
          runtime_s: 2700,
          release_date: '2025-01-01',
          primary_genre: show.genre,
        });
      }
    }
  }
  const bridge = items
    .filter((item) => item.content_key !== -1)
    .map((item) => ({
      content_key: item.content_key,
      genre: item.primary_genre,
      is_primary: true,
    }));
  return { dimContent: items, bridge };
}

interface UserVersion {
  readonly row: Insertable<DimUserTable>;
  readonly fromMs: number;
  readonly toMs: number;
}

function buildUsers(next: () => number, count: number): UserVersion[] {
  const unknown: Insertable<DimUserTable> = {
    user_key: -1,
    user_id: 'unknown',
    email_sha256: null,
    age_band: 'unknown',
    gender: 'unknown',
    country_code: 'ZZ',
    region: 'unknown',
    preferred_language: null,
    plan: 'unknown',
    monthly_price_cents: null,
    currency: null,
    subscription_status: 'unknown',
    signup_date_key: -1,
    acquisition_channel: 'unknown',
    valid_from: new Date(0),
    valid_to: null,
    is_current: true,
  };
  const versions: UserVersion[] = [{ row: unknown, fromMs: 0, toMs: Number.POSITIVE_INFINITY }];
  const end = Date.parse('2026-03-28T00:00:00Z');
  for (let index = 1; index <= count; index += 1) {
    const country = pick(next, countries);
    const signupMs =
      Date.parse('2025-10-01T00:00:00Z') +
      Math.floor(next() * 160) * dayMs +
      Math.floor(next() * dayMs);
    const base = {
      user_id: `u${String(index).padStart(4, '0')}`,
      email_sha256: null,
      age_band: pick(next, ageBands),
      gender: pick(next, genders),
      country_code: country.code,
      region: country.region,
      preferred_language: 'en',
      currency: country.currency,
      signup_date_key: dayKeyOf(signupMs),
      acquisition_channel: pick(next, channels),
    };
    let plan = pick(next, plans);
    const changes: { ms: number; plan: (typeof plans)[number]; status: string }[] = [
      { ms: signupMs, plan, status: 'active' },
    ];
    let lastMs = signupMs;
    if (index % 5 === 0) {
      lastMs += (20 + Math.floor(next() * 40)) * dayMs;
      plan = plans[(plans.indexOf(plan) + 1) % plans.length]!;
      if (lastMs < end) changes.push({ ms: lastMs, plan, status: 'active' });
    }
    if (index % 7 === 3) {
      lastMs += (15 + Math.floor(next() * 60)) * dayMs;
      if (lastMs < end) changes.push({ ms: lastMs, plan, status: 'cancelled' });
    }
    changes.forEach((change, position) => {
      const toMs = changes[position + 1]?.ms ?? Number.POSITIVE_INFINITY;
      versions.push({
        fromMs: change.ms,
        toMs,
        row: {
          ...base,
          user_key: index * 10 + position,
          plan: change.plan.plan,
          monthly_price_cents: change.plan.price,
          subscription_status: change.status,
          valid_from: new Date(change.ms),
          valid_to: Number.isFinite(toMs) ? new Date(toMs) : null,
          is_current: position === changes.length - 1,
        },
      });
    });
  }
  return versions;
}

function buildSessions(options: {
  next: () => number;
  users: readonly UserVersion[];
  content: readonly Insertable<DimContentTable>[];
  count: number;
}): Insertable<FactViewingSessionTable>[] {
  const { next, users, content, count } = options;
  const rangeStart = Date.parse(`${trustedFixtureRange.from}T00:00:00Z`);
  const rangeEnd = Date.parse(`${trustedFixtureRange.to}T00:00:00Z`) + dayMs;
  const people = [
    ...new Set(users.filter((user) => user.row.user_key !== -1).map((user) => user.row.user_id)),
  ];
  const playable = content.filter((item) => item.content_key !== -1);
  const sessions: Insertable<FactViewingSessionTable>[] = [];
  while (sessions.length < count) {
    const orphan = sessions.length % 40 === 39;
    const userId = pick(next, people);
    const versions = users.filter((user) => user.row.user_id === userId);
    const cancelled = versions.find((user) => user.row.subscription_status === 'cancelled');
    const startLimit = Math.max(rangeStart, versions[0]!.fromMs);
    const endLimit = Math.min(rangeEnd, cancelled?.fromMs ?? rangeEnd);
    if (endLimit - startLimit < 3_600_000) continue;
    const startedMs = startLimit + Math.floor(next() * (endLimit - startLimit - 3_600_000));
    const version = orphan
      ? users[0]!
      : versions.find((user) => user.fromMs <= startedMs && startedMs < user.toMs)!;
    const country = orphan
      ? pick(next, countries)
      : countries.find((entry) => entry.code === version.row.country_code)!;
    const item = next() < 0.03 ? content[0]! : pick(next, playable);
    const runtime = item.runtime_s ?? 3600;
    const ratio = next() < 0.35 ? 1 : 0.05 + next() * 0.85;
    const watch = Math.max(30, Math.round(runtime * ratio));
    const plan = plans.find((entry) => entry.plan === version.row.plan) ?? plans[0];
    const quality = pick(next, plan.qualities);
    const bitrate = bitrates[quality]! + Math.floor(next() * 400);
    const rebuffers = Math.floor(next() * next() * 5);
    const localMs = startedMs + country.offsetH * 3_600_000;
    sessions.push({
      session_id: `s${String(sessions.length + 1).padStart(5, '0')}`,
      user_key: version.row.user_key,
      content_key: item.content_key,
      date_key: dayKeyOf(startedMs),
      started_at: new Date(startedMs),
      ended_at: new Date(startedMs + watch * 1000),
      start_hour_local: new Date(localMs).getUTCHours(),
      day_of_week_local: ((new Date(localMs).getUTCDay() + 6) % 7) + 1,
      device_type: pick(next, devices),
      device_os: pick(next, ['tizen', 'android', 'ios', 'webos', 'windows']),
      country_code: country.code,
      region: country.region,
      quality,
      avg_bitrate_kbps: bitrate,
      bytes_transferred: Math.round((bitrate * 1000 * watch) / 8),
      watch_duration_s: watch,
      runtime_s: item.runtime_s ?? null,
      completion_ratio: item.runtime_s ? Math.min(1, watch / item.runtime_s) : null,
      is_completed: ratio >= 1 && item.runtime_s !== null,
      startup_ms: 300 + Math.floor(next() * 2500),
      rebuffer_count: rebuffers,
      rebuffer_ms: rebuffers * (200 + Math.floor(next() * 3000)),
      exit_reason:
        ratio >= 1 ? 'completed' : pick(next, ['user_exit', 'next_episode', 'error', 'timeout']),
      is_offline: next() < 0.05,
      _load_id: 'fixture-load-1',
      _extracted_at: extractedAt,
    });
  }
  return sessions;
}

const numeric = (value: number | bigint | string) => Number(value);
/** When the fixture's rows were extracted: one load for all. */
const extractedAt = new Date('2026-04-01T00:00:00Z');

function aggregateUsage(
  sessions: readonly Insertable<FactViewingSessionTable>[],
  users: readonly UserVersion[],
): Insertable<AggDailyUsageTable>[] {
  const planOf = new Map(users.map((user) => [numeric(user.row.user_key), user.row.plan]));
  const groups = new Map<string, Insertable<AggDailyUsageTable>>();
  for (const s of sessions) {
    const plan = planOf.get(numeric(s.user_key)) ?? 'unknown';
    const key = [s.date_key, s.country_code, s.region, s.device_type, plan, s.quality].join('|');
    const group = groups.get(key) ?? {
      date_key: s.date_key,
      country_code: s.country_code,
      region: s.region,
      device_type: s.device_type,
      plan,
      quality: s.quality,
      sessions: 0,
      watch_seconds: 0,
      completed_sessions: 0,
      rebuffer_count: 0,
      rebuffer_ms: 0,
      startup_ms_total: 0,
      bitrate_kbps_seconds: 0,
      bytes_transferred: 0,
      _extracted_at: extractedAt,
    };
    group.sessions = numeric(group.sessions) + 1;
    group.watch_seconds = numeric(group.watch_seconds) + s.watch_duration_s;
    group.completed_sessions = numeric(group.completed_sessions) + (s.is_completed ? 1 : 0);
    group.rebuffer_count = numeric(group.rebuffer_count) + s.rebuffer_count;
    group.rebuffer_ms = numeric(group.rebuffer_ms) + s.rebuffer_ms;
    group.startup_ms_total = numeric(group.startup_ms_total) + s.startup_ms;
    group.bitrate_kbps_seconds =
      numeric(group.bitrate_kbps_seconds) + s.avg_bitrate_kbps * s.watch_duration_s;
    group.bytes_transferred = numeric(group.bytes_transferred) + numeric(s.bytes_transferred);
    groups.set(key, group);
  }
  return [...groups.values()];
}

function aggregateContent(
  sessions: readonly Insertable<FactViewingSessionTable>[],
): Insertable<AggDailyContentTable>[] {
  const groups = new Map<string, { row: Insertable<AggDailyContentTable>; viewers: Set<string> }>();
  for (const s of sessions) {
    const key = `${s.date_key}|${s.content_key}`;
    const group = groups.get(key) ?? {
      row: {
        date_key: s.date_key,
        content_key: s.content_key,
        sessions: 0,
        viewers: 0,
        watch_seconds: 0,
        completed_sessions: 0,
        _extracted_at: extractedAt,
      },
      viewers: new Set<string>(),
    };
    group.row.sessions = numeric(group.row.sessions) + 1;
    group.row.watch_seconds = numeric(group.row.watch_seconds) + s.watch_duration_s;
    group.row.completed_sessions = numeric(group.row.completed_sessions) + (s.is_completed ? 1 : 0);
    group.viewers.add(String(s.user_key));
    groups.set(key, group);
  }
  return [...groups.values()].map(({ row, viewers }) => ({ ...row, viewers: viewers.size }));
}

/** Builds the fixture: 60 users (some with plan changes and cancellations), 14 titles, `sessions` sessions. */
export function buildTrustedFixture(
  options: { seed?: number; sessions?: number } = {},
): TrustedFixture {
  const next = random(options.seed ?? 7);
  const users = buildUsers(next, 60);
  const { dimContent, bridge } = buildContent();
  const factViewingSession = buildSessions({
    next,
    users,
    content: dimContent,
    count: options.sessions ?? 800,
  });
  return {
    dimDate: buildDates(),
    dimUser: users.map((user) => user.row),
    dimContent,
    bridgeContentGenre: bridge,
    factViewingSession,
    aggDailyUsage: aggregateUsage(factViewingSession, users),
    aggDailyContent: aggregateContent(factViewingSession),
  };
}

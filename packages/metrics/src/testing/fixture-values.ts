/** Reference values and seeded helpers shared by the fixture builders. */

/** The days the fixture's sessions cover: two 45-day halves for period comparisons. */
export const trustedFixtureRange = { from: '2026-01-01', to: '2026-03-31' } as const;

export const dayMs = 86_400_000;
export const countries = [
  { code: 'US', region: 'UCAN', offsetH: -5, currency: 'USD' },
  { code: 'CA', region: 'UCAN', offsetH: -5, currency: 'CAD' },
  { code: 'GB', region: 'EMEA', offsetH: 0, currency: 'GBP' },
  { code: 'DE', region: 'EMEA', offsetH: 1, currency: 'EUR' },
  { code: 'BR', region: 'LATAM', offsetH: -3, currency: 'BRL' },
  { code: 'MX', region: 'LATAM', offsetH: -6, currency: 'MXN' },
  { code: 'JP', region: 'APAC', offsetH: 9, currency: 'JPY' },
  { code: 'IN', region: 'APAC', offsetH: 5, currency: 'INR' },
] as const;
export const plans = [
  { plan: 'basic_ads', price: 699, qualities: ['SD', 'HD'] },
  { plan: 'standard', price: 1549, qualities: ['HD', 'FHD'] },
  { plan: 'premium', price: 2299, qualities: ['FHD', 'UHD'] },
] as const;
export const bitrates: Record<string, number> = { SD: 1400, HD: 3000, FHD: 5800, UHD: 15000 };
export const devices = [
  'smart_tv',
  'streaming_stick',
  'console',
  'mobile',
  'tablet',
  'desktop',
] as const;
export const ageBands = ['18-24', '25-34', '35-44', '45-54', '55+'] as const;
export const genders = ['female', 'male', 'nonbinary', 'undisclosed'] as const;
export const channels = [
  'organic',
  'paid_search',
  'social',
  'referral',
  'partner_bundle',
  'tv_ad',
] as const;
export const genres = ['Drama', 'Comedy', 'Action', 'Documentary', 'Sci-Fi'] as const;

/** A seeded PRNG (mulberry32): the fixture is the same on every machine. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export const pick = <T>(next: () => number, items: readonly T[]): T =>
  items[Math.floor(next() * items.length)]!;
export const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const dayKeyOf = (ms: number) => Number(isoDay(ms).replaceAll('-', ''));

export const numeric = (value: number | bigint | string) => Number(value);
/** When the fixture's rows were extracted: one load for all. */
export const extractedAt = new Date('2026-04-01T00:00:00Z');

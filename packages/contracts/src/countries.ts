import type { Region } from './enums.ts';

/** A country the service operates in: its region, main time zone, currency and main language. */
export interface Country {
  readonly code: string;
  readonly name: string;
  readonly region: Region;
  /** IANA zone used to turn local viewing times into UTC and back. */
  readonly timeZone: string;
  readonly currency: string;
  readonly language: string;
  /** Relative share of subscribers within its region. */
  readonly weight: number;
}

/**
 * The reference list of countries (a seed, in dbt's words): generators draw from it, models join
 * it for regions and local time. Weights within a region follow rough subscriber counts.
 */
export const countries: readonly Country[] = [
  {
    code: 'US',
    name: 'United States',
    region: 'UCAN',
    timeZone: 'America/New_York',
    currency: 'USD',
    language: 'en-US',
    weight: 85,
  },
  {
    code: 'CA',
    name: 'Canada',
    region: 'UCAN',
    timeZone: 'America/Toronto',
    currency: 'CAD',
    language: 'en-CA',
    weight: 15,
  },
  {
    code: 'GB',
    name: 'United Kingdom',
    region: 'EMEA',
    timeZone: 'Europe/London',
    currency: 'GBP',
    language: 'en-GB',
    weight: 20,
  },
  {
    code: 'DE',
    name: 'Germany',
    region: 'EMEA',
    timeZone: 'Europe/Berlin',
    currency: 'EUR',
    language: 'de-DE',
    weight: 18,
  },
  {
    code: 'FR',
    name: 'France',
    region: 'EMEA',
    timeZone: 'Europe/Paris',
    currency: 'EUR',
    language: 'fr-FR',
    weight: 15,
  },
  {
    code: 'ES',
    name: 'Spain',
    region: 'EMEA',
    timeZone: 'Europe/Madrid',
    currency: 'EUR',
    language: 'es-ES',
    weight: 10,
  },
  {
    code: 'IT',
    name: 'Italy',
    region: 'EMEA',
    timeZone: 'Europe/Rome',
    currency: 'EUR',
    language: 'it-IT',
    weight: 9,
  },
  {
    code: 'NL',
    name: 'Netherlands',
    region: 'EMEA',
    timeZone: 'Europe/Amsterdam',
    currency: 'EUR',
    language: 'nl-NL',
    weight: 5,
  },
  {
    code: 'PL',
    name: 'Poland',
    region: 'EMEA',
    timeZone: 'Europe/Warsaw',
    currency: 'PLN',
    language: 'pl-PL',
    weight: 6,
  },
  {
    code: 'SE',
    name: 'Sweden',
    region: 'EMEA',
    timeZone: 'Europe/Stockholm',
    currency: 'SEK',
    language: 'sv-SE',
    weight: 4,
  },
  {
    code: 'TR',
    name: 'Turkey',
    region: 'EMEA',
    timeZone: 'Europe/Istanbul',
    currency: 'TRY',
    language: 'tr-TR',
    weight: 5,
  },
  {
    code: 'ZA',
    name: 'South Africa',
    region: 'EMEA',
    timeZone: 'Africa/Johannesburg',
    currency: 'ZAR',
    language: 'en-ZA',
    weight: 3,
  },
  {
    code: 'AE',
    name: 'United Arab Emirates',
    region: 'EMEA',
    timeZone: 'Asia/Dubai',
    currency: 'AED',
    language: 'ar-AE',
    weight: 5,
  },
  {
    code: 'BR',
    name: 'Brazil',
    region: 'LATAM',
    timeZone: 'America/Sao_Paulo',
    currency: 'BRL',
    language: 'pt-BR',
    weight: 45,
  },
  {
    code: 'MX',
    name: 'Mexico',
    region: 'LATAM',
    timeZone: 'America/Mexico_City',
    currency: 'MXN',
    language: 'es-MX',
    weight: 30,
  },
  {
    code: 'AR',
    name: 'Argentina',
    region: 'LATAM',
    timeZone: 'America/Argentina/Buenos_Aires',
    currency: 'ARS',
    language: 'es-AR',
    weight: 12,
  },
  {
    code: 'CO',
    name: 'Colombia',
    region: 'LATAM',
    timeZone: 'America/Bogota',
    currency: 'COP',
    language: 'es-CO',
    weight: 8,
  },
  {
    code: 'CL',
    name: 'Chile',
    region: 'LATAM',
    timeZone: 'America/Santiago',
    currency: 'CLP',
    language: 'es-CL',
    weight: 5,
  },
  {
    code: 'JP',
    name: 'Japan',
    region: 'APAC',
    timeZone: 'Asia/Tokyo',
    currency: 'JPY',
    language: 'ja-JP',
    weight: 25,
  },
  {
    code: 'KR',
    name: 'South Korea',
    region: 'APAC',
    timeZone: 'Asia/Seoul',
    currency: 'KRW',
    language: 'ko-KR',
    weight: 18,
  },
  {
    code: 'AU',
    name: 'Australia',
    region: 'APAC',
    timeZone: 'Australia/Sydney',
    currency: 'AUD',
    language: 'en-AU',
    weight: 20,
  },
  {
    code: 'IN',
    name: 'India',
    region: 'APAC',
    timeZone: 'Asia/Kolkata',
    currency: 'INR',
    language: 'hi-IN',
    weight: 22,
  },
  {
    code: 'PH',
    name: 'Philippines',
    region: 'APAC',
    timeZone: 'Asia/Manila',
    currency: 'PHP',
    language: 'en-PH',
    weight: 8,
  },
  {
    code: 'NZ',
    name: 'New Zealand',
    region: 'APAC',
    timeZone: 'Pacific/Auckland',
    currency: 'NZD',
    language: 'en-NZ',
    weight: 7,
  },
];

export const countryByCode: ReadonlyMap<string, Country> = new Map(
  countries.map((c) => [c.code, c]),
);

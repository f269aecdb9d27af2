import type { Selectable } from 'kysely';

/** `trusted.ref_country`: the countries seed (region, IANA time zone) the star schema joins. */
export interface RefCountryTable {
  country_code: string;
  country_name: string;
  region: string;
  time_zone: string;
  currency: string;
}

export type RefCountry = Selectable<RefCountryTable>;

import { describe, expect, it } from 'vitest';

import { countries } from '@reelhouse/contracts';
import { readSeedCsv } from '@reelhouse/model-compiler';

import { ref_country } from '../src/index.ts';
import { refCountrySchema } from '../src/ref_country.ts';

// Issue 15: ref_country moved from a TypeScript constant onto seeds/ref_country.csv, same rows.
describe('ref_country seed', () => {
  it("holds the contracts' countries (what the generators draw from), in the same order", async () => {
    const rows = await readSeedCsv(
      new URL('../seeds/ref_country.csv', import.meta.url),
      refCountrySchema,
    );
    expect(rows).toEqual(
      countries.map((c) => ({
        country_code: c.code,
        country_name: c.name,
        region: c.region,
        time_zone: c.timeZone,
        currency: c.currency,
      })),
    );
  });

  it('is a seed node typed by its schema', () => {
    expect(ref_country.resourceType).toBe('seed');
    expect(ref_country.contract.columns).toEqual({
      country_code: { type: 'text', check: `country_code ~ '^[A-Z]{2}$'` },
      country_name: { type: 'text' },
      region: { type: 'text' },
      time_zone: { type: 'text' },
      currency: { type: 'text' },
    });
  });
});

import { z } from 'zod';

import { regions } from '@reelhouse/contracts';
import { defineSeed } from '@reelhouse/model-compiler';

/** A row of `seeds/ref_country.csv`. */
export const refCountrySchema = z.object({
  country_code: z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code in capitals'),
  country_name: z.string().min(1),
  // Checked against the regions, typed as the warehouse's text column.
  region: z.string().refine((value) => (regions as readonly string[]).includes(value), {
    message: `one of ${regions.join(', ')}`,
  }),
  /** IANA zone that turns local viewing times into UTC and back. */
  time_zone: z
    .string()
    .regex(/^[A-Za-z_]+\/[A-Za-z_/]+$/, 'an IANA time zone such as Europe/Paris'),
  currency: z.string().regex(/^[A-Z]{3}$/, 'an ISO 4217 code in capitals'),
});

/** Countries the service operates in, with their region and IANA time zone (a CSV seed). */
export const ref_country = await defineSeed({
  name: 'ref_country',
  description:
    'The countries seed (seeds/ref_country.csv): region for dim_user and the fact, IANA time zone for local viewing hours.',
  file: new URL('../seeds/ref_country.csv', import.meta.url),
  schema: refCountrySchema,
  tags: ['seed'],
  columns: { country_code: { check: `country_code ~ '^[A-Z]{2}$'` } },
  primaryKey: ['country_code'],
  tests: (t) => [t.acceptedValues('region', regions)],
});

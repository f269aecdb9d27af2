import { sql } from 'kysely';

import { countries, regions } from '@reelhouse/contracts';
import { defineModel, table } from '@reelhouse/model-compiler';

interface CountryRow {
  country_code: string;
  country_name: string;
  region: string;
  time_zone: string;
  currency: string;
}

/** The contracts' countries seed as a literal VALUES list, so the SQL needs no bound parameters. */
function countryValues<A extends string>(alias: A) {
  const rows = countries.map(
    (c) =>
      sql`(${sql.join([sql.lit(c.code), sql.lit(c.name), sql.lit(c.region), sql.lit(c.timeZone), sql.lit(c.currency)])})`,
  );
  return sql<CountryRow>`(values ${sql.join(rows)})`.as<A>(
    sql`${sql.ref(alias)}(country_code, country_name, region, time_zone, currency)`,
  );
}

/** Countries the service operates in, with their region and IANA time zone (a seed). */
export const ref_country = defineModel({
  name: 'ref_country',
  description:
    'The countries seed from @reelhouse/contracts: region for dim_user and the fact, IANA time zone for local viewing hours.',
  materialization: table(),
  tags: ['seed'],
  select: (ctx) =>
    ctx.db
      .selectFrom(countryValues('c'))
      .select(['c.country_code', 'c.country_name', 'c.region', 'c.time_zone', 'c.currency']),
  contract: {
    columns: {
      country_code: { type: 'text', check: `country_code ~ '^[A-Z]{2}$'` },
      country_name: { type: 'text' },
      region: { type: 'text' },
      time_zone: { type: 'text' },
      currency: { type: 'text' },
    },
    primaryKey: ['country_code'],
  },
  tests: (t) => [t.acceptedValues('region', regions)],
});

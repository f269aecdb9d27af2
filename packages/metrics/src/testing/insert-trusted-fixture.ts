import type { TrustedSchema } from '@reelhouse/warehouse';
import type { Insertable, Kysely } from 'kysely';

import { createTrustedTables } from './trusted-ddl.ts';
import { buildTrustedFixture, type TrustedFixture } from './trusted-fixture.ts';

const chunkSize = 500;

async function insertRows<T extends keyof TrustedSchema>(options: {
  db: Kysely<TrustedSchema>;
  table: T;
  rows: readonly Insertable<TrustedSchema[T]>[];
}): Promise<void> {
  for (let start = 0; start < options.rows.length; start += chunkSize) {
    await options.db
      .insertInto(options.table)
      .values(options.rows.slice(start, start + chunkSize))
      .execute();
  }
}

/** Creates the trusted tables and fills them with the fixture (built with defaults when not given). */
export async function insertTrustedFixture(
  db: Kysely<TrustedSchema>,
  fixture: TrustedFixture = buildTrustedFixture(),
): Promise<TrustedFixture> {
  await createTrustedTables(db);
  await insertRows({ db, table: 'trusted.dim_date', rows: fixture.dimDate });
  await insertRows({ db, table: 'trusted.dim_user', rows: fixture.dimUser });
  await insertRows({ db, table: 'trusted.dim_content', rows: fixture.dimContent });
  await insertRows({ db, table: 'trusted.bridge_content_genre', rows: fixture.bridgeContentGenre });
  await insertRows({ db, table: 'trusted.fact_viewing_session', rows: fixture.factViewingSession });
  await insertRows({ db, table: 'trusted.agg_daily_usage', rows: fixture.aggDailyUsage });
  await insertRows({ db, table: 'trusted.agg_daily_content', rows: fixture.aggDailyContent });
  return fixture;
}

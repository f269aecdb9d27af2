import { closeKysely, insertTrustedFixture } from '@reelhouse/metrics/testing';
import { usePostgresDatabase } from '@reelhouse/services/testing';
import {
  createKysely,
  createPool,
  notifyModelsPublished,
  type TrustedSchema,
} from '@reelhouse/warehouse';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createDashboardApp, listenForTrustedChanges, type TrustedChanges } from '../src/index.ts';

const database = usePostgresDatabase('dashboard_cached_under_load');
let db: Kysely<TrustedSchema>;
let statusDb: Kysely<TrustedSchema>;
let changes: TrustedChanges;
let pool: pg.Pool;

beforeAll(async () => {
  const seed = createKysely<TrustedSchema>(createPool({ url: database.url, max: 2 }));
  await insertTrustedFixture(seed);
  await closeKysely(seed, database);
  // Two pool connections, as the server's five: few enough for two uncached queries to hold them all.
  pool = createPool({ url: database.url, max: 2 });
  db = new Kysely<TrustedSchema>({
    dialect: new PostgresDialect({ pool }),
  });
  statusDb = createKysely<TrustedSchema>(createPool({ url: database.url, max: 1 }));
  changes = await listenForTrustedChanges({ url: database.url });
});

afterAll(async () => {
  await changes.close();
  await statusDb.destroy();
  await closeKysely(db, database);
});

const panelBody = async (app: Awaited<ReturnType<typeof createDashboardApp>>, path: string) => {
  const response = await app.request(path);
  expect(response.status).toBe(200);
  return (await response.json()) as { rows: unknown[] };
};

describe('issue 14 item 6: cached panels under load', () => {
  it('answers a cached panel while uncached queries hold every pool connection', async () => {
    const app = await createDashboardApp({ db, statusDb, changes });
    const cached = await panelBody(app, '/api/panels/sessions_by_device');
    // Every connection of the panel pool taken, as by long uncached queries.
    const held = [await pool.connect(), await pool.connect()];
    try {
      expect(pool.idleCount).toBe(0);
      // Answered from the cache: the load key is read on its own connections, not the pool's
      // (before issue 14 this request waited for a pool connection).
      expect(await panelBody(app, '/api/panels/sessions_by_device')).toEqual(cached);
      // Many at once share the listener's round trips instead of queueing a query each.
      const burst = await Promise.all(
        Array.from({ length: 20 }, () => panelBody(app, '/api/panels/sessions_by_device')),
      );
      for (const body of burst) expect(body).toEqual(cached);
    } finally {
      for (const client of held) client.release();
    }
  });

  it('answers from the new rows on the first request after a build merged them in place', async () => {
    const app = await createDashboardApp({ db, statusDb, changes });
    const before = await panelBody(app, '/api/panels/kpi_engagement');
    const buildDb = new Kysely<unknown>({
      dialect: new PostgresDialect({ pool: createPool({ url: database.url, max: 1 }) }),
    });
    try {
      // As an incremental build publishes a delta: same table (same file node), rows changed, and
      // the backend's row counters not yet in the catalog.
      await buildDb.transaction().execute(async (trx) => {
        await sql`update trusted.agg_daily_usage set sessions = sessions + 1000
          where ctid = (select ctid from trusted.agg_daily_usage
                        where date_key = (select max(date_key) from trusted.agg_daily_usage) limit 1)`.execute(
          trx,
        );
        await notifyModelsPublished(trx, 'trusted');
      });
      const after = await panelBody(app, '/api/panels/kpi_engagement');
      const fresh = await panelBody(
        await createDashboardApp({ db, statusDb }),
        '/api/panels/kpi_engagement',
      );
      expect(after).not.toEqual(before);
      expect(after).toEqual(fresh);
    } finally {
      await buildDb.destroy();
    }
  });
});

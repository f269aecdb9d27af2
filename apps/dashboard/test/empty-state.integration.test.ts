import { createMemoryLogger } from '@reelhouse/core';
import { closeKysely, createTrustedTables, insertTrustedFixture } from '@reelhouse/metrics/testing';
import { usePostgresDatabase } from '@reelhouse/services/testing';
import { createKysely, createPool, type TrustedSchema } from '@reelhouse/warehouse';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createDashboardApp } from '../src/index.ts';

const pg = usePostgresDatabase('dashboard_empty');
let db: Kysely<TrustedSchema>;

beforeAll(() => {
  db = createKysely<TrustedSchema>(createPool({ url: pg.url, max: 2 }));
});

afterAll(async () => {
  await closeKysely(db, pg);
});

describe('before any pipeline run', () => {
  it('shows a clear empty state when trusted does not exist', async () => {
    const app = await createDashboardApp({ db });
    const page = await app.request('/users');
    expect(page.status).toBe(200);
    const text = await page.text();
    expect(text).toContain('No data yet');
    expect(text).toContain('trusted.agg_daily_usage');
    expect(text).toContain('pnpm pipeline');
    const api = await app.request('/api/panels/device_mix');
    expect(api.status).toBe(503);
    expect(await api.json()).toMatchObject({ error: 'no_data' });
  });

  it('says the tables are empty once they exist without rows', async () => {
    await createTrustedTables(db);
    const app = await createDashboardApp({ db });
    const text = await (await app.request('/')).text();
    expect(text).toContain('The trusted tables exist but hold no sessions yet.');
  });

  it('shows a failing panel in place and keeps the others', async () => {
    await insertTrustedFixture(db);
    // A contract change the dashboard has not caught up with yet.
    await sql`alter table trusted.agg_daily_content rename column watch_seconds to watch_s`.execute(
      db,
    );
    const logger = createMemoryLogger();
    const app = await createDashboardApp({ db, logger });
    const response = await app.request('/content?from=2026-03-01&to=2026-03-31');
    expect(response.status).toBe(200);
    const page = await response.text();
    expect(page).toContain('This panel failed: column ac.watch_seconds does not exist');
    expect(page).toContain('id="spec-episode_dropoff"');
    expect(
      logger.records
        .filter((record) => record.message === 'panel failed')
        .map((record) => String(record.fields['panel']))
        // Panels run concurrently: failures are logged in the order they come back.
        .sort(),
    ).toEqual(['genre_engagement', 'series_watch_hours', 'top_titles']);
  });
});

import { createMemoryLogger } from '@reelhouse/core';
import { closeKysely, insertTrustedFixture } from '@reelhouse/metrics/testing';
import { usePostgresDatabase } from '@reelhouse/services/testing';
import { createKysely, createPool, type TrustedSchema } from '@reelhouse/warehouse';
import { Kysely, PostgresDialect } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createDashboardApp, panelDefinitions } from '../src/index.ts';

const pg = usePostgresDatabase('dashboard_warm');
const statements: string[] = [];
let db: Kysely<TrustedSchema>;

beforeAll(async () => {
  // Seed on its own connections and wait for them to end: a backend flushes its row counters (part
  // of the load key) when it exits, so the key is stable before the app first reads it.
  const seed = createKysely<TrustedSchema>(createPool({ url: pg.url, max: 2 }));
  await insertTrustedFixture(seed);
  await closeKysely(seed, pg);
  db = new Kysely<TrustedSchema>({
    dialect: new PostgresDialect({ pool: createPool({ url: pg.url, max: 2 }) }),
    log: (event) => {
      statements.push(event.query.sql);
    },
  });
});

afterAll(async () => {
  await closeKysely(db, pg);
});

describe('cache warm-up', () => {
  it('answers every default panel from the cache once a new load has been seen', async () => {
    const logger = createMemoryLogger();
    const app = await createDashboardApp({ db, logger, warmUp: true });
    await app.request('/healthz');
    await expect
      .poll(() => logger.records.map((record) => record.message), { timeout: 15_000, interval: 50 })
      .toContain('cache warmed for the new load');
    statements.length = 0;
    for (const panel of panelDefinitions)
      expect((await app.request(`/api/panels/${panel.id}`)).status).toBe(200);
    // One catalog read of the load key per request, no panel query.
    expect(statements.filter((text) => !text.includes('pg_catalog.pg_class'))).toEqual([]);
  });
});

import { closeKysely, insertTrustedFixture } from '@reelhouse/metrics/testing';
import { usePostgresDatabase } from '@reelhouse/services/testing';
import { createKysely, createPool, type TrustedSchema } from '@reelhouse/warehouse';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  createDashboardApp,
  dashboardRoleName,
  ensureDashboardRole,
  openDashboardDatabase,
} from '../src/index.ts';

const pg = usePostgresDatabase('dashboard_role');
let owner: Kysely<TrustedSchema>;

beforeAll(async () => {
  owner = createKysely<TrustedSchema>(createPool({ url: pg.url, max: 2 }));
  await insertTrustedFixture(owner);
  await sql`create schema if not exists raw`.execute(owner);
  await sql`create table raw.secrets (email text)`.execute(owner);
});

afterAll(async () => {
  await closeKysely(owner, pg);
});

describe('the reelhouse_dashboard role', () => {
  it('is created idempotently and can only read trusted', async () => {
    expect((await ensureDashboardRole(owner, { password: 'pw-test-1' })).ready).toBe(true);
    expect((await ensureDashboardRole(owner, { password: 'pw-test-1' })).ready).toBe(true);
    const url = new URL(pg.url);
    url.username = dashboardRoleName;
    url.password = 'pw-test-1';
    const reader = createKysely<TrustedSchema>(createPool({ url: url.toString(), max: 1 }));
    try {
      const sessions = await reader
        .selectFrom('trusted.fact_viewing_session')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(sessions.n).toBe(800);
      await expect(sql`delete from trusted.dim_user`.execute(reader)).rejects.toThrow(
        /read-only transaction|permission denied/,
      );
      await expect(
        sql`set transaction read write; create table trusted.evil (x int)`.execute(reader),
      ).rejects.toThrow(/permission denied|read-only/);
      await expect(sql`select * from raw.secrets`.execute(reader)).rejects.toThrow(
        /permission denied/,
      );
    } finally {
      await reader.destroy();
    }
  });

  it('is what the dashboard connects as when it is given an owner URL', async () => {
    const { db, user } = await openDashboardDatabase({ url: pg.url });
    try {
      expect(user).toBe(dashboardRoleName);
      const who = await sql<{ user: string }>`select current_user as user`.execute(db);
      expect(who.rows[0]?.user).toBe(dashboardRoleName);
    } finally {
      await db.destroy();
    }
  });

  it('grants itself SELECT again on a table a build published without it', async () => {
    const opened = await openDashboardDatabase({ url: pg.url });
    try {
      // What a first models build does: the table arrives from a staging schema, without grants.
      await sql`create schema staging`.execute(owner);
      await sql`create table staging.agg_daily_content as select * from trusted.agg_daily_content`.execute(
        owner,
      );
      await sql`drop table trusted.agg_daily_content`.execute(owner);
      await sql`alter table staging.agg_daily_content set schema trusted`.execute(owner);
      const withoutRepair = await createDashboardApp({ db: opened.db });
      expect(
        await (await withoutRepair.request('/content?from=2026-03-01&to=2026-03-31')).text(),
      ).toContain('may not read trusted.agg_daily_content');
      const app = await createDashboardApp({
        db: opened.db,
        ...(opened.repairGrants === undefined ? {} : { repairGrants: opened.repairGrants }),
      });
      const response = await app.request('/api/panels/top_titles?from=2026-03-01&to=2026-03-31');
      expect(response.status).toBe(200);
      expect(((await response.json()) as { rows: unknown[] }).rows.length).toBeGreaterThan(0);
    } finally {
      await opened.db.destroy();
    }
  });
});

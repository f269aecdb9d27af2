import { buildTrustedFixture, closeKysely, insertTrustedFixture } from '@reelhouse/metrics/testing';
import { usePostgresDatabase } from '@reelhouse/services/testing';
import { createKysely, createPool, type TrustedSchema } from '@reelhouse/warehouse';
import type { Hono } from 'hono';
import { Kysely, PostgresDialect, sql, type LogEvent } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { createDashboardApp } from '../src/index.ts';

// Issue 14: ranges outside the data, ranges over the limit, repeated keys, filter values.
const pg = usePostgresDatabase('dashboard_issue14_ranges');
const statements: string[] = [];
let db: Kysely<TrustedSchema>;
let app: Hono;

beforeAll(async () => {
  const seed = createKysely<TrustedSchema>(createPool({ url: pg.url, max: 2 }));
  await insertTrustedFixture(seed, buildTrustedFixture());
  await seed.destroy();
  db = new Kysely<TrustedSchema>({
    dialect: new PostgresDialect({ pool: createPool({ url: pg.url, max: 2 }) }),
    log: (event: LogEvent) => {
      statements.push(event.query.sql);
    },
  });
  app = await createDashboardApp({ db });
});

afterAll(async () => {
  await closeKysely(db, pg);
});

beforeEach(() => {
  statements.length = 0;
});

const pagePaths = ['/', '/users', '/content', '/sessions'];

describe('a range before the data starts', () => {
  const ranges = ['from=2020-01-01&to=2020-01-31', 'from=2024-06-30&to=2024-06-30'];
  it.each(pagePaths.flatMap((path) => ranges.map((range) => `${path}?${range}`)))(
    '%s answers 200 with an empty-state message',
    async (url) => {
      const response = await app.request(url);
      expect(response.status).toBe(200);
      const page = await response.text();
      expect(page).toContain('No data in this range');
      expect(page).toContain('The warehouse holds sessions from 2026-01-01 to 2026-03-31');
      expect(page).not.toContain('failed');
    },
  );

  it('answers the panel API with zero counts and no ratios, the same for every count', async () => {
    const response = await app.request('/api/panels/kpi_engagement?from=2020-01-01&to=2020-01-31');
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      rows: { values: Record<string, { current: number | null }> }[];
    };
    const values = body.rows[0]!.values;
    expect(values['sessions']?.current).toBe(0);
    expect(values['watch_hours']?.current).toBe(0);
    expect(values['completion_rate']?.current).toBeNull();
  });
});

describe('a range over the limit', () => {
  const tooLong = 'from=2000-01-01&to=2026-03-31';
  it.each([
    ...pagePaths.map((path) => `${path}?${tooLong}`),
    `/api/panels/device_mix?${tooLong}`,
    `/api/panels/device_mix.csv?${tooLong}`,
    `/api/metrics?metrics=sessions&${tooLong}`,
  ])('%s answers 400 and runs no SQL', async (url) => {
    const response = await app.request(url);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/at most 3700/);
    expect(statements).toEqual([]);
  });
});

describe('the generic metric API', () => {
  it('refuses a repeated key, with no SQL', async () => {
    const response = await app.request(
      '/api/metrics?metrics=sessions&from=2026-03-01&to=2026-03-31&country=US&country=CA',
    );
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(
      /country: given more than once/,
    );
    expect(statements).toEqual([]);
  });
});

describe('filter values', () => {
  const sessionsOf = async (query: string) => {
    const response = await app.request(
      `/api/metrics?metrics=sessions&from=2026-03-01&to=2026-03-31&${query}`,
    );
    expect(response.status, query).toBe(200);
    return ((await response.json()) as { rows: { values: { sessions: { current: number } } }[] })
      .rows[0]!.values.sessions.current;
  };

  it('match whatever their case', async () => {
    expect(await sessionsOf('device=MOBILE&country=us&quality=hd')).toBe(
      await sessionsOf('device=mobile&country=US&quality=HD'),
    );
    expect(await sessionsOf('device=mobile')).toBeGreaterThan(0);
    expect(await sessionsOf('genre=DRAMA')).toBe(await sessionsOf('genre=Drama'));
    expect(await sessionsOf('genre=Drama')).toBeGreaterThan(0);
  });

  it('of a closed vocabulary are refused when unknown, naming the allowed ones, with no SQL', async () => {
    for (const url of [
      '/api/metrics?metrics=sessions&from=2026-03-01&to=2026-03-31&device=toaster',
      '/api/panels/device_mix?from=2026-03-01&to=2026-03-31&device=toaster',
    ]) {
      const response = await app.request(url);
      expect(response.status, url).toBe(400);
      expect(await response.text()).toMatch(
        /unknown device 'toaster'; one of smart_tv, streaming_stick, console, mobile, tablet, desktop/,
      );
    }
    const page = await app.request('/?from=2026-03-01&to=2026-03-31&plan=gold');
    expect(page.status).toBe(400);
    expect(await page.text()).toContain('unknown plan');
    expect(statements).toEqual([]);
  });

  it('of an open vocabulary (genre) give an empty state with zero, not null', async () => {
    expect(await sessionsOf('genre=Opera')).toBe(0);
  });
});

describe('the last, partial day', () => {
  const spec = async (app: Hono) => {
    const page = await (await app.request('/?from=2026-03-18&to=2026-03-31')).text();
    const json = /<script type="application\/json" id="spec-usage_over_time">(.*?)<\/script>/s.exec(
      page,
    )?.[1];
    return { page, spec: json ?? '' };
  };

  it('is marked on time series when the data ends before 23:00 UTC, and only then', async () => {
    await sql`update trusted.fact_viewing_session set started_at = '2026-03-31 23:30:00+00'
      where session_id = (select max(session_id) from trusted.fact_viewing_session where date_key = 20260331)`.execute(
      db,
    );
    const full = await spec(await createDashboardApp({ db }));
    expect(full.spec).not.toContain('partial day');
    expect(full.page).not.toContain('partial day');
    await sql`delete from trusted.fact_viewing_session where date_key = 20260331 and started_at >= '2026-03-31 18:00:00+00'`.execute(
      db,
    );
    const partial = await spec(await createDashboardApp({ db }));
    expect(partial.spec).toContain('"formatter":"partial day"');
    expect(partial.spec).toContain('"xAxis":"2026-03-31"');
    expect(partial.page).toMatch(/last session 1[0-7]:\d\d UTC: partial day/);
  });
});

import { buildTrustedFixture, closeKysely, insertTrustedFixture } from '@reelhouse/metrics/testing';
import { usePostgresDatabase } from '@reelhouse/services/testing';
import { createKysely, createPool, type TrustedSchema } from '@reelhouse/warehouse';
import type { Hono } from 'hono';
import { Kysely, PostgresDialect, sql, type LogEvent } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { createDashboardApp, panelDefinitions } from '../src/index.ts';

const pg = usePostgresDatabase('dashboard_api');
const statements: string[] = [];
let db: Kysely<TrustedSchema>;
let app: Hono;
const range = 'from=2026-02-15&to=2026-03-31';

beforeAll(async () => {
  const seed = createKysely<TrustedSchema>(createPool({ url: pg.url, max: 2 }));
  await insertTrustedFixture(seed, buildTrustedFixture());
  // Its backends flush their row counters (part of the load key) as they exit.
  await closeKysely(seed, pg);
  // Every statement the app sends is recorded: a refused request must leave this list empty.
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

describe('panel API', () => {
  it('answers every panel as JSON with current and previous values', async () => {
    for (const panel of panelDefinitions) {
      const response = await app.request(`/api/panels/${panel.id}?${range}`);
      expect(response.status, panel.id).toBe(200);
      const body = (await response.json()) as {
        rows: { values: Record<string, { current: number | null }> }[];
        period: { previousFrom: string };
      };
      expect(body.rows.length, panel.id).toBeGreaterThan(0);
      expect(body.period.previousFrom).toBe('2026-01-01');
    }
  });

  it('applies URL filters and reports the ones a panel cannot split by', async () => {
    const response = await app.request(
      `/api/panels/subscribers_by_plan?${range}&country=US&device=mobile`,
    );
    const body = (await response.json()) as {
      applied: string[];
      ignored: string[];
      source: string;
    };
    expect(body).toMatchObject({
      applied: ['country'],
      ignored: ['device'],
      source: 'subscribers',
    });
  });

  it('exports a panel as CSV: the header first, the filters in the file name (issue 14)', async () => {
    const response = await app.request(`/api/panels/sessions_by_device.csv?${range}&country=US,CA`);
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="reelhouse-sessions_by_device-2026-02-15_2026-03-31-country-US+CA.csv"',
    );
    expect(response.headers.get('x-reelhouse-previous-period')).toBe('2026-01-01_2026-02-14');
    const lines = (await response.text()).trim().split('\n');
    expect(lines[0]).toBe('device,sessions,sessions_previous');
    const counted = await sql<{ device_type: string; n: number }>`
      select device_type, count(*)::int as n from trusted.fact_viewing_session
      where date_key between 20260215 and 20260331 and country_code in ('US', 'CA') group by device_type`.execute(
      db,
    );
    const exported = lines.slice(1).map((line) => line.split(','));
    expect(new Map(exported.map(([device, current]) => [device, Number(current)]))).toEqual(
      new Map(counted.rows.map((row) => [row.device_type, row.n])),
    );
  });

  it('serves repeated panel queries from the cache until a build replaces the trusted tables', async () => {
    const devices = async () =>
      (
        (await (await app.request(`/api/panels/device_mix?${range}`)).json()) as {
          rows: { dimensions: { device: string } }[];
        }
      ).rows.map((row) => row.dimensions.device);
    const before = await devices();
    const first = statements.length;
    expect(await devices()).toEqual(before);
    expect(statements.slice(first)).toHaveLength(1); // only the catalog read of the load key
    // A models build publishes a new table under the old name: the load key changes at once.
    await sql`create table trusted.agg_daily_usage_next (like trusted.agg_daily_usage)`.execute(db);
    await sql`insert into trusted.agg_daily_usage_next select * from trusted.agg_daily_usage`.execute(
      db,
    );
    await sql`insert into trusted.agg_daily_usage_next select * from trusted.agg_daily_usage where date_key = 20260320 limit 1`.execute(
      db,
    );
    // The copied row (appended last) becomes a device no earlier load had.
    await sql`update trusted.agg_daily_usage_next set device_type = 'vr_headset', sessions = 9999 where ctid = (select max(ctid) from trusted.agg_daily_usage_next)`.execute(
      db,
    );
    await sql`drop table trusted.agg_daily_usage`.execute(db);
    await sql`alter table trusted.agg_daily_usage_next rename to agg_daily_usage`.execute(db);
    expect(await devices()).toEqual(['vr_headset', ...before]);
  });
});

describe('CSV numbers (issue 14)', () => {
  it('are rounded by unit: ratios to 6 significant digits, hours to 2 decimals', async () => {
    const response = await app.request(`/api/panels/rebuffering_by_device.csv?${range}`);
    const [header, ...rows] = (await response.text()).trim().split('\n');
    expect(header).toBe('device,rebuffer_ratio,rebuffer_ratio_previous');
    for (const row of rows) {
      const ratio = row.split(',')[1]!;
      expect(ratio.replace(/^0\.0*/, '').length, row).toBeLessThanOrEqual(6);
    }
    const hours = await app.request(`/api/panels/watch_hours_by_plan.csv?${range}`);
    for (const row of (await hours.text()).trim().split('\n').slice(1))
      expect(row.split(',')[1], row).toMatch(/^\d+(\.\d{1,2})?$/);
  });
});

describe('bad or hostile parameters', () => {
  const refused: [string, RegExp][] = [
    [
      `/api/panels/device_mix?from=2026-03-31&to=2026-03-01`,
      /'to' \(2026-03-01\) is before 'from' \(2026-03-31\)/,
    ],
    [
      `/api/panels/device_mix?from=2026-01-01'; drop table trusted.dim_user; --`,
      /from: must be an ISO date/,
    ],
    [
      `/api/panels/device_mix?${range}&country=US' OR '1'='1`,
      /country.0: must be an upper-case ISO country code/,
    ],
    [`/api/panels/device_mix?${range}&genre=Drama--`, /genre.0: must not contain SQL comment/],
    [
      `/api/panels/device_mix?${range}&device=${Array.from({ length: 21 }, (_, i) => `d${i}`).join(',')}`,
      /device: at most 20 values/,
    ],
    [`/api/panels/device_mix?${range}&orderBy=1`, /Unrecognized key: "orderBy"/],
    [`/api/panels/device_mix?${range}&country=US&country=CA`, /country: given more than once/],
    [`/api/metrics?metrics=sessions,profit&${range}`, /unknown metric 'profit'/],
    [
      `/api/metrics?metrics=sessions&dimensions=${'x'.repeat(5)}&${range}`,
      /unknown dimension 'xxxxx'/,
    ],
    [
      `/api/metrics?metrics=subscribers&dimensions=device&${range}`,
      /No source answers metrics \[subscribers\] by \[device\]/,
    ],
    [`/api/metrics?metrics=sessions&${range}&limit=100000`, /limit: Too big/],
  ];

  it.each(refused)('%s → 400 with a clear message, no query run', async (url, message) => {
    const response = await app.request(url);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; message: string };
    expect(body.error).toBe('invalid_input');
    expect(body.message).toMatch(message);
    expect(statements).toEqual([]);
  });

  it('refuses a hostile page URL with a 400 page and no query', async () => {
    const response = await app.request(`/sessions?${range}&plan=<script>alert(1)</script>`);
    expect(response.status).toBe(400);
    const page = await response.text();
    expect(page).toContain('Invalid filters');
    expect(page).not.toContain('<script>alert(1)');
    expect(statements).toEqual([]);
  });

  it('answers an unknown panel with 404 and no query', async () => {
    const response = await app.request(`/api/panels/nope?${range}`);
    expect(response.status).toBe(404);
    expect(statements).toEqual([]);
  });
});

describe('drill-down (issue 14)', () => {
  interface PanelBody {
    panel: { dimensions: string[]; drillPath: { dimension: string; member: string }[] };
    rows: {
      dimensions: Record<string, string | number>;
      values: Record<string, { current: number }>;
    }[];
  }
  const panel = async (path: string) => {
    const response = await app.request(path);
    expect(response.status, path).toBe(200);
    return (await response.json()) as PanelBody;
  };

  it('drills a region into its countries, each count equal to SQL on the fact table', async () => {
    const body = await panel(
      `/api/panels/sessions_by_region?${range}&drill.sessions_by_region=emea`,
    );
    expect(body.panel.dimensions).toEqual(['country']);
    expect(body.panel.drillPath).toEqual([{ dimension: 'region', member: 'EMEA' }]);
    const expected = await sql<{ country: string; sessions: number }>`
      select country_code as country, count(*)::int as sessions from trusted.fact_viewing_session
      where region = 'EMEA' and date_key between 20260215 and 20260331
      group by 1 order by 1`.execute(db);
    expect(expected.rows.length).toBeGreaterThan(1);
    expect(
      body.rows
        .map((row) => ({
          country: row.dimensions['country'],
          sessions: row.values['sessions']?.current,
        }))
        .sort((a, b) => String(a.country).localeCompare(String(b.country))),
    ).toEqual(expected.rows);
  });

  it('drills a series into its seasons, then a season into its episodes', async () => {
    const seasons = await panel(
      `/api/panels/series_watch_hours?${range}&drill.series_watch_hours=Harbour%20Lights`,
    );
    expect(seasons.rows.map((row) => row.dimensions['season'])).toEqual([1, 2]);
    const episodes = await panel(
      `/api/panels/series_watch_hours?${range}&drill.series_watch_hours=Harbour%20Lights%2F2`,
    );
    expect(episodes.panel.dimensions).toEqual(['episode']);
    expect(episodes.rows.map((row) => row.dimensions['episode'])).toEqual([
      'S02E01',
      'S02E02',
      'S02E03',
    ]);
  });

  it('names the drill path in the CSV file name and splits the rows by the drilled level', async () => {
    const response = await app.request(
      `/api/panels/users_by_region.csv?${range}&device=mobile&drill.users_by_region=LATAM`,
    );
    expect(response.headers.get('content-disposition')).toBe(
      'attachment; filename="reelhouse-users_by_region-2026-02-15_2026-03-31-region-LATAM-device-mobile.csv"',
    );
    expect((await response.text()).split('\n')[0]).toBe(
      'country,active_users,active_users_previous',
    );
  });

  it('refuses a drill path that is not a member of its level, before any SQL', async () => {
    for (const query of [
      'drill.users_by_region=ATLANTIS',
      'drill.users_by_region=EMEA%2FGB',
      'drill.top_titles=Orbit',
      "drill.series_watch_hours=x'%3B%20drop",
    ]) {
      const response = await app.request(`/api/panels/users_by_region?${range}&${query}`);
      expect(response.status, query).toBe(400);
      const page = await app.request(`/users?${range}&${query}`);
      expect(page.status, query).toBe(400);
    }
    expect(statements).toEqual([]);
  });

  it('renders a breadcrumb with a drill-up link and a page cross-filter for the drilled member', async () => {
    const page = await (await app.request(`/users?${range}&drill.users_by_region=EMEA`)).text();
    expect(page).toContain('data-drill="users_by_region"');
    const escaped = range.replace('&', '&amp;');
    expect(page).toContain(`href="?${escaped}" data-drill-up`);
    expect(page).toContain(`href="?${escaped}&amp;region=EMEA&amp;drill.users_by_region=EMEA"`);
    // Every other link keeps the drill, so a tab or slicer change does not lose the level.
    expect(page).toContain(`href="/content?${escaped}&amp;drill.users_by_region=EMEA"`);
  });
});

describe('pages', () => {
  it.each(['/', '/users', '/content', '/sessions'])(
    '%s renders its panels with chart specs',
    async (path) => {
      const response = await app.request(`${path}?${range}`);
      expect(response.status).toBe(200);
      const page = await response.text();
      const panels = panelDefinitions.filter(
        (panel) => panel.chart !== 'kpi' && page.includes(`data-panel="${panel.id}"`),
      );
      expect(panels.length).toBeGreaterThan(2);
      for (const panel of panels) expect(page).toContain(`id="spec-${panel.id}"`);
    },
  );
});

import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';

import { chartCategories, clickBar, useDashboardInBrowser } from './browser-harness.ts';

const harness = useDashboardInBrowser('dashboard_drill_browser');
const range = 'from=2026-02-15&to=2026-03-31';
const param = (url: string, key: string) => new URL(url).searchParams.get(key);
// The charts carry 6 significant digits.
const significant = (value: number) => Number(value.toPrecision(6));
const byCategory = (chart: { categories: string[]; values: (number | null)[] }) =>
  Object.fromEntries(chart.categories.map((category, index) => [category, chart.values[index]]));

describe('drill-down in a real browser (issue 14)', () => {
  it('drills a region into its countries, keeps it over a reload, and drills back up', async () => {
    const { page, base, db } = harness;
    await page.goto(`${base}/?${range}`, { waitUntil: 'networkidle' });
    const regions = await chartCategories(page, 'sessions_by_region');
    expect(regions.categories).toContain('EMEA');
    const kpiBefore = await page.locator('.kpi[data-metric="sessions"] .kpi-value').innerText();

    await Promise.all([
      page.waitForURL((url) => param(url.href, 'drill.sessions_by_region') === 'EMEA'),
      clickBar(page, { chart: 'sessions_by_region', category: 'EMEA' }),
    ]);
    await page.waitForLoadState('networkidle');
    const expected = await sql<{ country: string; sessions: number }>`
      select country_code as country, count(*)::int as sessions from trusted.fact_viewing_session
      where region = 'EMEA' and date_key between 20260215 and 20260331 group by 1`.execute(db);
    const countries = await chartCategories(page, 'sessions_by_region');
    expect(byCategory(countries)).toEqual(
      Object.fromEntries(expected.rows.map((row) => [row.country, row.sessions])),
    );
    const crumbs = page.locator('nav.drill[data-drill="sessions_by_region"]');
    await expect(crumbs.innerText()).resolves.toMatch(/Region\s*›\s*EMEA\s*›\s*Country/);
    // A drill is the panel's own: the page (KPIs, other panels) is not filtered by it.
    await expect(page.locator('.kpi[data-metric="sessions"] .kpi-value').innerText()).resolves.toBe(
      kpiBefore,
    );
    expect(page.url()).not.toMatch(/[?&]region=/);

    await page.reload({ waitUntil: 'networkidle' });
    expect((await chartCategories(page, 'sessions_by_region')).categories.sort()).toEqual(
      expected.rows.map((row) => row.country).sort(),
    );

    await Promise.all([
      page.waitForURL((url) => param(url.href, 'drill.sessions_by_region') === null),
      crumbs.locator('[data-drill-up]').click(),
    ]);
    await page.waitForLoadState('networkidle');
    expect(await chartCategories(page, 'sessions_by_region')).toEqual(regions);
  });

  it('keeps cross-filtering reachable: Shift-click, the breadcrumb link, and a click on the last level', async () => {
    const { page, base } = harness;
    await page.goto(`${base}/users?${range}`, { waitUntil: 'networkidle' });
    await Promise.all([
      page.waitForURL((url) => param(url.href, 'region') === 'LATAM'),
      clickBar(page, { chart: 'users_by_region', category: 'LATAM', modifiers: ['Shift'] }),
    ]);
    await page.waitForLoadState('networkidle');
    expect(param(page.url(), 'drill.users_by_region')).toBeNull();

    await page.goto(`${base}/users?${range}&drill.users_by_region=LATAM`, {
      waitUntil: 'networkidle',
    });
    const countries = (await chartCategories(page, 'users_by_region')).categories;
    expect(countries.sort()).toEqual(['BR', 'MX']);
    await Promise.all([
      page.waitForURL((url) => param(url.href, 'country') === 'BR'),
      clickBar(page, { chart: 'users_by_region', category: 'BR' }),
    ]);
    await page.waitForLoadState('networkidle');
    expect(param(page.url(), 'drill.users_by_region')).toBe('LATAM');
    expect((await chartCategories(page, 'users_by_region')).categories).toEqual(['BR']);
    await Promise.all([
      page.waitForURL((url) => param(url.href, 'region') === 'LATAM'),
      page.locator('nav.drill[data-drill="users_by_region"] [data-drill-filter]').click(),
    ]);
    await expect(page.locator('.chip').allInnerTexts()).resolves.toEqual(
      expect.arrayContaining([expect.stringContaining('Region: LATAM')]),
    );
  });

  it('drills a series into its seasons and a season into its episodes, with SQL numbers', async () => {
    const { page, base, db } = harness;
    const key = 'drill.series_watch_hours';
    await page.goto(`${base}/content?${range}`, { waitUntil: 'networkidle' });
    const series = await chartCategories(page, 'series_watch_hours');
    expect(series.categories.sort()).toEqual(['Harbour Lights', 'Orbit Station']);

    await Promise.all([
      page.waitForURL((url) => param(url.href, key) === 'Harbour Lights'),
      clickBar(page, { chart: 'series_watch_hours', category: 'Harbour Lights' }),
    ]);
    await page.waitForLoadState('networkidle');
    expect((await chartCategories(page, 'series_watch_hours')).categories.sort()).toEqual([
      'Season 1',
      'Season 2',
    ]);

    await Promise.all([
      page.waitForURL((url) => param(url.href, key) === 'Harbour Lights/2'),
      clickBar(page, { chart: 'series_watch_hours', category: 'Season 2' }),
    ]);
    await page.waitForLoadState('networkidle');
    const expected = await sql<{ episode: string; hours: number }>`
      select format('S%sE%s', lpad(c.season_number::text, 2, '0'), lpad(c.episode_number::text, 2, '0')) as episode,
        sum(f.watch_duration_s)::float8 / 3600 as hours
      from trusted.fact_viewing_session f join trusted.dim_content c using (content_key)
      where c.series_title = 'Harbour Lights' and c.season_number = 2
        and f.date_key between 20260215 and 20260331
      group by 1`.execute(db);
    expect(byCategory(await chartCategories(page, 'series_watch_hours'))).toEqual(
      Object.fromEntries(expected.rows.map((row) => [row.episode, significant(row.hours)])),
    );
    await expect(
      page.locator('nav.drill[data-drill="series_watch_hours"]').innerText(),
    ).resolves.toMatch(/Series\s*›\s*Harbour Lights\s*›\s*Season 2\s*›\s*Episode/);

    await Promise.all([
      page.waitForURL((url) => param(url.href, key) === 'Harbour Lights'),
      page.locator('nav.drill[data-drill="series_watch_hours"] [data-drill-up]').click(),
    ]);
    await page.waitForLoadState('networkidle');
    await Promise.all([
      page.waitForURL((url) => param(url.href, key) === null),
      page.locator('nav.drill[data-drill="series_watch_hours"] [data-drill-level="0"]').click(),
    ]);
    await page.waitForLoadState('networkidle');
    expect((await chartCategories(page, 'series_watch_hours')).categories.sort()).toEqual(
      series.categories.sort(),
    );
  });
});

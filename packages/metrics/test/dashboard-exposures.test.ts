import { describe, expect, it } from 'vitest';

import { dashboardExposures, dashboardPages, metricColumns } from '../src/index.ts';

const exposures = await dashboardExposures();
const byName = (name: string) => exposures.find((exposure) => exposure.name === name);

describe('dashboard exposures (issue 15)', () => {
  it('declares every page and every panel, each panel under its page', () => {
    const panels = dashboardPages.flatMap((page) => page.panels);
    expect(exposures).toHaveLength(dashboardPages.length + panels.length);
    for (const exposure of exposures) {
      expect(exposure.type).toBe('dashboard');
      expect(exposure.columns.length).toBeGreaterThan(0);
      if (exposure.parent !== undefined) expect(byName(exposure.parent)).toBeDefined();
    }
  });

  it('derives the columns a panel reads from its metrics, dimensions, filters and source joins', () => {
    expect(byName('dashboard_overview__kpi_revenue')).toMatchObject({
      label: 'Overview: Revenue',
      url: '/#kpi_revenue',
      metrics: ['mrr', 'revenue_per_user'],
      dependsOn: ['dim_user'],
      // Paying subscribers valid at the period's end, in US dollars (the panel's fixed filter).
      columns: [
        'dim_user.currency',
        'dim_user.monthly_price_cents',
        'dim_user.subscription_status',
        'dim_user.user_key',
        'dim_user.valid_from',
        'dim_user.valid_to',
      ],
    });
    // Answered by the usage aggregate or the fact (its joins to dim_user and dim_content included);
    // the drill from region to country reads the country too.
    expect(byName('dashboard_overview__sessions_by_region')?.columns).toEqual([
      'agg_daily_usage.country_code',
      'agg_daily_usage.date_key',
      'agg_daily_usage.region',
      'agg_daily_usage.sessions',
      'dim_content.content_key',
      'dim_user.user_key',
      'fact_viewing_session.content_key',
      'fact_viewing_session.country_code',
      'fact_viewing_session.date_key',
      'fact_viewing_session.region',
      'fact_viewing_session.user_key',
    ]);
  });

  it('gives a page the union of its panels', () => {
    const page = byName('dashboard_content');
    const panels = exposures.filter((exposure) => exposure.parent === 'dashboard_content');
    expect(panels.map((panel) => panel.name)).toEqual([
      'dashboard_content__top_titles',
      'dashboard_content__genre_engagement',
      'dashboard_content__movies_vs_series',
      'dashboard_content__series_watch_hours',
      'dashboard_content__episode_dropoff',
    ]);
    expect(page?.columns).toEqual([...new Set(panels.flatMap((p) => p.columns))].sort());
  });

  it('reads only the sources that can answer a request', async () => {
    // Signups are answered by dim_user alone, by counting its current versions (one per user).
    expect(await metricColumns({ metrics: ['signups'], dimensions: ['period'] })).toEqual([
      'dim_user.is_current',
      'dim_user.signup_date_key',
      'dim_user.user_key',
    ]);
  });
});

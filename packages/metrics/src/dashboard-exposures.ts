import { defineExposure, type Exposure } from '@reelhouse/model-compiler';

import type { DimensionName } from './dimension-definitions.ts';
import { metricColumns, type MetricRequest } from './metric-columns.ts';

/** A dashboard panel as lineage sees it: what it asks the metrics layer for. */
export interface DashboardPanelReads extends MetricRequest {
  readonly id: string;
  readonly title: string;
  /** Fixed filters of the panel (their dimensions are read too). */
  readonly filters?: readonly DimensionName[];
  /** The levels a click drills into, below the panel's dimension (read when drilled). */
  readonly drill?: readonly DimensionName[];
}

export interface DashboardPage {
  readonly id: string;
  readonly title: string;
  readonly path: string;
  readonly panels: readonly DashboardPanelReads[];
}

const panel = (
  id: string,
  title: string,
  reads: Pick<DashboardPanelReads, 'metrics'> & Partial<Omit<DashboardPanelReads, 'id' | 'title'>>,
): DashboardPanelReads => ({ id, title, dimensions: [], ...reads });

/**
 * The dashboard's pages and panels (apps/dashboard `panelDefinitions`, which a dashboard test
 * keeps equal to this list): declared here, below the dashboard, so the pipeline can put them in
 * the manifest, the docs and `models diff` without importing an app.
 */
export const dashboardPages: readonly DashboardPage[] = [
  {
    id: 'overview',
    title: 'Overview',
    path: '/',
    panels: [
      panel('kpi_engagement', 'Engagement', {
        metrics: [
          'sessions',
          'watch_hours',
          'avg_session_minutes',
          'completion_rate',
          'rebuffer_ratio',
          'avg_bitrate_kbps',
          'avg_startup_ms',
        ],
      }),
      panel('kpi_audience', 'Audience', { metrics: ['active_users'] }),
      panel('kpi_revenue', 'Revenue', {
        metrics: ['mrr', 'revenue_per_user'],
        filters: ['currency'],
      }),
      panel('kpi_subscribers', 'Subscribers', { metrics: ['subscribers', 'churn_rate'] }),
      panel('usage_over_time', 'Sessions and watch hours', {
        metrics: ['sessions', 'watch_hours'],
        dimensions: ['period'],
      }),
      panel('sessions_by_region', 'Sessions by region', {
        metrics: ['sessions'],
        dimensions: ['region'],
        drill: ['country'],
      }),
      panel('sessions_by_device', 'Sessions by device', {
        metrics: ['sessions'],
        dimensions: ['device'],
      }),
      panel('watch_hours_by_plan', 'Watch hours by plan', {
        metrics: ['watch_hours'],
        dimensions: ['plan'],
      }),
      panel('top_countries', 'Top countries by sessions', {
        metrics: ['sessions'],
        dimensions: ['country'],
      }),
    ],
  },
  {
    id: 'users',
    title: 'Users',
    path: '/users',
    panels: [
      panel('users_by_age', 'Active users by age band', {
        metrics: ['active_users'],
        dimensions: ['age_band'],
      }),
      panel('users_by_gender', 'Active users by gender', {
        metrics: ['active_users'],
        dimensions: ['gender'],
      }),
      panel('users_by_region', 'Active users by region', {
        metrics: ['active_users'],
        dimensions: ['region'],
        drill: ['country'],
      }),
      panel('users_by_country', 'Active users by country', {
        metrics: ['active_users'],
        dimensions: ['country'],
      }),
      panel('subscribers_by_plan', 'Plan mix', { metrics: ['subscribers'], dimensions: ['plan'] }),
      panel('subscribers_by_status', 'Subscription status', {
        metrics: ['users'],
        dimensions: ['subscription_status'],
      }),
      panel('churn_over_time', 'Cancellations over time', {
        metrics: ['cancellations'],
        dimensions: ['period'],
      }),
      panel('signups_by_channel', 'Sign-ups by channel', {
        metrics: ['signups'],
        dimensions: ['acquisition_channel'],
      }),
      panel('signups_over_time', 'Sign-ups over time', {
        metrics: ['signups'],
        dimensions: ['period'],
      }),
    ],
  },
  {
    id: 'content',
    title: 'Content',
    path: '/content',
    panels: [
      panel('top_titles', 'Top titles by watch hours', {
        metrics: ['watch_hours', 'completion_rate'],
        dimensions: ['title'],
      }),
      panel('genre_engagement', 'Engagement by genre', {
        metrics: ['watch_hours', 'completion_rate'],
        dimensions: ['genre'],
      }),
      panel('movies_vs_series', 'Movies vs series', {
        metrics: ['sessions'],
        dimensions: ['content_type'],
      }),
      panel('series_watch_hours', 'Watch hours by series', {
        metrics: ['watch_hours', 'completion_rate'],
        dimensions: ['series'],
        filters: ['content_type'],
        drill: ['season', 'episode'],
      }),
      panel('episode_dropoff', 'Episode drop-off', {
        metrics: ['active_users'],
        dimensions: ['series', 'episode'],
        filters: ['content_type'],
      }),
    ],
  },
  {
    id: 'sessions',
    title: 'Sessions',
    path: '/sessions',
    panels: [
      panel('hour_weekday_heatmap', 'When people watch', {
        metrics: ['sessions'],
        dimensions: ['weekday_local', 'hour_local'],
      }),
      panel('device_mix', 'Device mix', { metrics: ['sessions'], dimensions: ['device'] }),
      panel('quality_mix', 'Quality', {
        metrics: ['sessions', 'avg_bitrate_kbps'],
        dimensions: ['quality'],
      }),
      panel('bitrate_distribution', 'Bitrate distribution', {
        metrics: ['sessions'],
        dimensions: ['bitrate_band_kbps'],
      }),
      panel('rebuffering_by_device', 'Rebuffer ratio by device', {
        metrics: ['rebuffer_ratio'],
        dimensions: ['device'],
      }),
      panel('rebuffering_over_time', 'Rebuffer ratio over time', {
        metrics: ['rebuffer_ratio'],
        dimensions: ['period'],
      }),
      panel('duration_distribution', 'Session length', {
        metrics: ['sessions'],
        dimensions: ['duration_band_min'],
      }),
    ],
  },
];

const owner = { name: 'Reelhouse analytics' } as const;

/**
 * Every dashboard page and panel as an exposure (dbt's), with the model columns each reads, found
 * from the metric and dimension definitions. A page reads what its panels read.
 */
export async function dashboardExposures(): Promise<Exposure[]> {
  const exposures: Exposure[] = [];
  for (const page of dashboardPages) {
    const panels: Exposure[] = [];
    for (const reads of page.panels) {
      const columns = await metricColumns({
        metrics: reads.metrics,
        dimensions: [...reads.dimensions, ...(reads.drill ?? []), ...(reads.filters ?? [])],
      });
      panels.push(
        defineExposure({
          name: `dashboard_${page.id}__${reads.id}`,
          label: `${page.title}: ${reads.title}`,
          type: 'dashboard',
          description: `Panel "${reads.title}" of the dashboard's ${page.title} page: ${reads.metrics.join(', ')}${reads.dimensions.length > 0 ? ` by ${reads.dimensions.join(', ')}` : ''}.`,
          owner,
          url: `${page.path}#${reads.id}`,
          columns,
          metrics: reads.metrics,
          parent: `dashboard_${page.id}`,
        }),
      );
    }
    exposures.push(
      defineExposure({
        name: `dashboard_${page.id}`,
        label: `Dashboard: ${page.title}`,
        type: 'dashboard',
        description: `The dashboard's ${page.title} page (${page.panels.length} panels).`,
        owner,
        url: page.path,
        columns: panels.flatMap((p) => p.columns),
        metrics: [...new Set(panels.flatMap((p) => p.metrics))],
      }),
      ...panels,
    );
  }
  return exposures;
}

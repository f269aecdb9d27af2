import type { DimensionName, MetricName } from '@reelhouse/metrics';

import type { FilterDimension } from './dashboard-filters.ts';

export type PageId = 'overview' | 'users' | 'content' | 'sessions';
export type ChartKind = 'kpi' | 'line' | 'bar' | 'hbar' | 'pie' | 'heatmap' | 'multiline';

/** `period` stands for the calendar grain that suits the date range (day, week or month). */
export type PanelDimension = DimensionName | 'period';

/** One level of a drill-down hierarchy below the panel's own dimension. */
export interface DrillLevel {
  readonly dimension: DimensionName;
  /** The URL filter a member of this level sets when cross-filtering instead of drilling. */
  readonly crossFilter?: FilterDimension;
}

/** A member clicked on the way down: `{ dimension: 'region', member: 'EMEA' }`. */
export interface DrillStep {
  readonly dimension: DimensionName;
  readonly member: string;
}

export interface PanelDefinition {
  readonly id: string;
  readonly page: PageId;
  readonly title: string;
  readonly subtitle?: string;
  readonly chart: ChartKind;
  readonly metrics: readonly MetricName[];
  readonly dimensions: readonly PanelDimension[];
  /** Fixed filters of the panel itself (not from the URL). */
  readonly filters?: Partial<Record<DimensionName, readonly string[]>>;
  readonly limit?: number;
  /** The URL filter a click on a bar or slice sets. */
  readonly crossFilter?: FilterDimension;
  /** Levels a click drills into, below `dimensions[0]` (Power BI's drill-down hierarchy). */
  readonly drill?: readonly DrillLevel[];
  /** Set only on a drilled view of the panel (`drilledPanel`): the members clicked, top first. */
  readonly drillPath?: readonly DrillStep[];
  readonly width: 'full' | 'half' | 'third';
}

export const pages: Record<PageId, { readonly path: string; readonly title: string }> = {
  overview: { path: '/', title: 'Overview' },
  users: { path: '/users', title: 'Users' },
  content: { path: '/content', title: 'Content' },
  sessions: { path: '/sessions', title: 'Sessions' },
};

/** Every panel of every page, in display order. */
export const panelDefinitions: readonly PanelDefinition[] = [
  {
    id: 'kpi_engagement',
    page: 'overview',
    title: 'Engagement',
    chart: 'kpi',
    metrics: [
      'sessions',
      'watch_hours',
      'avg_session_minutes',
      'completion_rate',
      'rebuffer_ratio',
      'avg_bitrate_kbps',
      'avg_startup_ms',
    ],
    dimensions: [],
    width: 'full',
  },
  {
    id: 'kpi_audience',
    page: 'overview',
    title: 'Audience',
    chart: 'kpi',
    metrics: ['active_users'],
    dimensions: [],
    width: 'full',
  },
  {
    id: 'kpi_revenue',
    page: 'overview',
    title: 'Revenue',
    chart: 'kpi',
    metrics: ['mrr', 'revenue_per_user'],
    dimensions: [],
    // Prices are not converted between currencies: the card reads the US-dollar subscribers.
    filters: { currency: ['USD'] },
    width: 'full',
  },
  {
    id: 'kpi_subscribers',
    page: 'overview',
    title: 'Subscribers',
    chart: 'kpi',
    metrics: ['subscribers', 'churn_rate'],
    dimensions: [],
    width: 'full',
  },
  {
    id: 'usage_over_time',
    page: 'overview',
    title: 'Sessions and watch hours',
    subtitle: 'dashed: previous period',
    chart: 'line',
    metrics: ['sessions', 'watch_hours'],
    dimensions: ['period'],
    limit: 1000,
    width: 'full',
  },
  {
    id: 'sessions_by_region',
    page: 'overview',
    title: 'Sessions by region',
    chart: 'bar',
    metrics: ['sessions'],
    dimensions: ['region'],
    crossFilter: 'region',
    drill: [{ dimension: 'country', crossFilter: 'country' }],
    width: 'third',
  },
  {
    id: 'sessions_by_device',
    page: 'overview',
    title: 'Sessions by device',
    chart: 'pie',
    metrics: ['sessions'],
    dimensions: ['device'],
    crossFilter: 'device',
    width: 'third',
  },
  {
    id: 'watch_hours_by_plan',
    page: 'overview',
    title: 'Watch hours by plan',
    chart: 'pie',
    metrics: ['watch_hours'],
    dimensions: ['plan'],
    crossFilter: 'plan',
    width: 'third',
  },
  {
    id: 'top_countries',
    page: 'overview',
    title: 'Top countries by sessions',
    chart: 'hbar',
    metrics: ['sessions'],
    dimensions: ['country'],
    limit: 12,
    crossFilter: 'country',
    width: 'full',
  },

  {
    id: 'users_by_age',
    page: 'users',
    title: 'Active users by age band',
    chart: 'bar',
    metrics: ['active_users'],
    dimensions: ['age_band'],
    crossFilter: 'age_band',
    width: 'third',
  },
  {
    id: 'users_by_gender',
    page: 'users',
    title: 'Active users by gender',
    chart: 'pie',
    metrics: ['active_users'],
    dimensions: ['gender'],
    crossFilter: 'gender',
    width: 'third',
  },
  {
    id: 'users_by_region',
    page: 'users',
    title: 'Active users by region',
    chart: 'bar',
    metrics: ['active_users'],
    dimensions: ['region'],
    crossFilter: 'region',
    drill: [{ dimension: 'country', crossFilter: 'country' }],
    width: 'third',
  },
  {
    id: 'users_by_country',
    page: 'users',
    title: 'Active users by country',
    chart: 'hbar',
    metrics: ['active_users'],
    dimensions: ['country'],
    limit: 12,
    crossFilter: 'country',
    width: 'half',
  },
  {
    id: 'subscribers_by_plan',
    page: 'users',
    title: 'Plan mix',
    subtitle: 'subscribers on the last day',
    chart: 'pie',
    metrics: ['subscribers'],
    dimensions: ['plan'],
    crossFilter: 'plan',
    width: 'half',
  },
  {
    id: 'subscribers_by_status',
    page: 'users',
    title: 'Subscription status',
    subtitle: 'on the last day',
    chart: 'pie',
    metrics: ['users'],
    dimensions: ['subscription_status'],
    width: 'third',
  },
  {
    id: 'churn_over_time',
    page: 'users',
    title: 'Cancellations over time',
    chart: 'bar',
    metrics: ['cancellations'],
    dimensions: ['period'],
    limit: 1000,
    width: 'third',
  },
  {
    id: 'signups_by_channel',
    page: 'users',
    title: 'Sign-ups by channel',
    chart: 'bar',
    metrics: ['signups'],
    dimensions: ['acquisition_channel'],
    crossFilter: 'acquisition_channel',
    width: 'third',
  },
  {
    id: 'signups_over_time',
    page: 'users',
    title: 'Sign-ups over time',
    chart: 'bar',
    metrics: ['signups'],
    dimensions: ['period'],
    limit: 1000,
    width: 'full',
  },

  {
    id: 'top_titles',
    page: 'content',
    title: 'Top titles by watch hours',
    subtitle: 'label: completion rate',
    chart: 'hbar',
    metrics: ['watch_hours', 'completion_rate'],
    dimensions: ['title'],
    limit: 15,
    width: 'full',
  },
  {
    id: 'genre_engagement',
    page: 'content',
    title: 'Engagement by genre',
    chart: 'bar',
    metrics: ['watch_hours', 'completion_rate'],
    dimensions: ['genre'],
    crossFilter: 'genre',
    width: 'half',
  },
  {
    id: 'movies_vs_series',
    page: 'content',
    title: 'Movies vs series',
    subtitle: 'sessions',
    chart: 'pie',
    metrics: ['sessions'],
    dimensions: ['content_type'],
    crossFilter: 'content_type',
    width: 'half',
  },
  {
    id: 'series_watch_hours',
    page: 'content',
    title: 'Watch hours by series',
    subtitle: 'label: completion rate · click a series for its seasons, a season for its episodes',
    chart: 'hbar',
    metrics: ['watch_hours', 'completion_rate'],
    dimensions: ['series'],
    filters: { content_type: ['episode'] },
    limit: 15,
    drill: [{ dimension: 'season' }, { dimension: 'episode' }],
    width: 'full',
  },
  {
    id: 'episode_dropoff',
    page: 'content',
    title: 'Episode drop-off',
    subtitle: 'distinct viewers per episode, top series',
    chart: 'multiline',
    metrics: ['active_users'],
    dimensions: ['series', 'episode'],
    filters: { content_type: ['episode'] },
    limit: 1000,
    width: 'full',
  },

  {
    id: 'hour_weekday_heatmap',
    page: 'sessions',
    title: 'When people watch',
    subtitle: 'sessions by local hour and weekday',
    chart: 'heatmap',
    metrics: ['sessions'],
    dimensions: ['weekday_local', 'hour_local'],
    limit: 200,
    width: 'full',
  },
  {
    id: 'device_mix',
    page: 'sessions',
    title: 'Device mix',
    chart: 'pie',
    metrics: ['sessions'],
    dimensions: ['device'],
    crossFilter: 'device',
    width: 'third',
  },
  {
    id: 'quality_mix',
    page: 'sessions',
    title: 'Quality',
    subtitle: 'sessions and time-weighted bitrate',
    chart: 'bar',
    metrics: ['sessions', 'avg_bitrate_kbps'],
    dimensions: ['quality'],
    crossFilter: 'quality',
    width: 'third',
  },
  {
    id: 'bitrate_distribution',
    page: 'sessions',
    title: 'Bitrate distribution',
    subtitle: 'sessions per 1 Mbps band',
    chart: 'bar',
    metrics: ['sessions'],
    dimensions: ['bitrate_band_kbps'],
    width: 'third',
  },
  {
    id: 'rebuffering_by_device',
    page: 'sessions',
    title: 'Rebuffer ratio by device',
    chart: 'bar',
    metrics: ['rebuffer_ratio'],
    dimensions: ['device'],
    crossFilter: 'device',
    width: 'half',
  },
  {
    id: 'rebuffering_over_time',
    page: 'sessions',
    title: 'Rebuffer ratio over time',
    chart: 'line',
    metrics: ['rebuffer_ratio'],
    dimensions: ['period'],
    limit: 1000,
    width: 'half',
  },
  {
    id: 'duration_distribution',
    page: 'sessions',
    title: 'Session length',
    subtitle: 'sessions per 10-minute band',
    chart: 'bar',
    metrics: ['sessions'],
    dimensions: ['duration_band_min'],
    width: 'full',
  },
];

export const panelById: ReadonlyMap<string, PanelDefinition> = new Map(
  panelDefinitions.map((panel) => [panel.id, panel]),
);

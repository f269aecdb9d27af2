import { metricDefinitions, type MetricName, type MetricRow } from '@reelhouse/metrics';

/** One colour per series position, the same on every page. */
export const palette = [
  '#2563eb',
  '#f59e0b',
  '#10b981',
  '#ef4444',
  '#8b5cf6',
  '#06b6d4',
  '#ec4899',
  '#84cc16',
  '#64748b',
  '#f97316',
];
export const previousColour = '#cbd5e1';
export const weekdays = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** What a click on a drillable panel does: set `key` to `path` plus the clicked member. */
export interface DrillSpec {
  readonly key: string;
  readonly path: readonly string[];
  /** Raw member values by shown label, where they differ (`Season 2` → `2`). */
  readonly members: Readonly<Record<string, string>>;
}

/** What the browser needs to draw a panel: an ECharts option (plain JSON), its click filter and drill. */
export interface ChartSpec {
  readonly option: Record<string, unknown>;
  readonly crossFilter: string | undefined;
  readonly drill?: DrillSpec;
}

/** The display label of a dimension value: weekdays and bands read as words, codes stay clickable. */
export function dimensionLabel(name: string, value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '(none)';
  if (name === 'season') return `Season ${Number(value)}`;
  if (name === 'weekday_local') return weekdays[(Number(value) + 6) % 7] ?? String(value);
  if (name === 'duration_band_min')
    return Number(value) >= 180 ? '180+ min' : `${Number(value)}–${Number(value) + 10} min`;
  if (name === 'bitrate_band_kbps')
    return Number(value) >= 16000
      ? '16+ Mbps'
      : `${Number(value) / 1000}–${Number(value) / 1000 + 1} Mbps`;
  return String(value);
}

export const valueOf = (row: MetricRow, metric: MetricName) => row.values[metric]?.current ?? null;
export const previousOf = (row: MetricRow, metric: MetricName) =>
  row.values[metric]?.previous ?? null;
// Six significant digits: enough for any axis, small enough for the page (ratios stay precise).
export const round = (value: number | null) =>
  value === null ? null : Number(value.toPrecision(6));
// `reelhouseUnit` is read by the browser script, which formats ratio and bitrate axes.
export const axisFor = (metric: MetricName) => ({
  type: 'value',
  name: metricDefinitions[metric].label,
  nameTextStyle: { color: '#64748b' },
  splitLine: { lineStyle: { color: '#eef2f7' } },
  reelhouseUnit: metricDefinitions[metric].unit,
});
export const grid = { left: 56, right: 56, top: 52, bottom: 28, containLabel: true };
export const qualityLadder = ['SD', 'HD', 'FHD', 'UHD'];
export const tooltip = { trigger: 'axis', confine: true };
/** The legend every multi-series chart shares. */
export const legend = { top: 0, left: 'center', textStyle: { color: '#475569' } };

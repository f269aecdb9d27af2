import { metricDefinitions, type MetricName, type MetricRow } from '@reelhouse/metrics';

import { formatValue } from './format-value.ts';
import type { PanelAnswer } from './run-panel.ts';

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
const previousColour = '#cbd5e1';
const weekdays = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** What the browser needs to draw a panel: an ECharts option (plain JSON) and its click filter. */
export interface ChartSpec {
  readonly option: Record<string, unknown>;
  readonly crossFilter: string | undefined;
}

/** The display label of a dimension value: weekdays and bands read as words, codes stay clickable. */
export function dimensionLabel(name: string, value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '(none)';
  if (name === 'weekday_local') return weekdays[(Number(value) + 6) % 7] ?? String(value);
  if (name === 'duration_band_min')
    return Number(value) >= 180 ? '180+ min' : `${Number(value)}–${Number(value) + 10} min`;
  if (name === 'bitrate_band_kbps')
    return Number(value) >= 16000
      ? '16+ Mbps'
      : `${Number(value) / 1000}–${Number(value) / 1000 + 1} Mbps`;
  return String(value);
}

const valueOf = (row: MetricRow, metric: MetricName) => row.values[metric]?.current ?? null;
const previousOf = (row: MetricRow, metric: MetricName) => row.values[metric]?.previous ?? null;
// Six significant digits: enough for any axis, small enough for the page (ratios stay precise).
const round = (value: number | null) => (value === null ? null : Number(value.toPrecision(6)));
// `reelhouseUnit` is read by the browser script, which formats ratio and bitrate axes.
const axisFor = (metric: MetricName) => ({
  type: 'value',
  name: metricDefinitions[metric].label,
  nameTextStyle: { color: '#64748b' },
  splitLine: { lineStyle: { color: '#eef2f7' } },
  reelhouseUnit: metricDefinitions[metric].unit,
});
const grid = { left: 56, right: 56, top: 52, bottom: 28, containLabel: true };
const qualityLadder = ['SD', 'HD', 'FHD', 'UHD'];
const tooltip = { trigger: 'axis', confine: true };

/** Builds the ECharts option of a panel from its rows. */
export function buildChartSpec(answer: PanelAnswer): ChartSpec {
  const { panel, result } = answer;
  const dimension = result.query.dimensions[0] ?? '';
  // Quality reads best in ladder order, not alphabetically.
  const rows =
    dimension === 'quality'
      ? [...result.rows].sort(
          (a, b) =>
            qualityLadder.indexOf(String(a.dimensions.quality)) -
            qualityLadder.indexOf(String(b.dimensions.quality)),
        )
      : result.rows;
  const categories = rows.map((row) =>
    dimensionLabel(dimension, row.dimensions[dimension as keyof MetricRow['dimensions']]),
  );
  const [first, second] = panel.metrics as [MetricName, MetricName | undefined];
  const legend = { top: 0, left: 'center', textStyle: { color: '#475569' } };
  switch (panel.chart) {
    case 'kpi':
      return { option: {}, crossFilter: undefined };
    case 'line':
      return {
        crossFilter: undefined,
        option: {
          color: palette,
          tooltip,
          legend,
          grid,
          xAxis: { type: 'category', data: categories, boundaryGap: false },
          yAxis: panel.metrics.map((metric) => axisFor(metric)),
          series: panel.metrics.flatMap((metric, index) => [
            {
              name: metricDefinitions[metric].label,
              type: 'line',
              yAxisIndex: index,
              showSymbol: false,
              smooth: false,
              data: rows.map((row) => round(valueOf(row, metric))),
              lineStyle: { width: 2.2 },
            },
            {
              name: `${metricDefinitions[metric].label} (previous)`,
              type: 'line',
              yAxisIndex: index,
              showSymbol: false,
              smooth: false,
              data: rows.map((row) => round(previousOf(row, metric))),
              lineStyle: { type: 'dashed', width: 1.2, opacity: 0.55 },
              itemStyle: { color: palette[index] },
            },
          ]),
        },
      };
    case 'bar':
      return {
        crossFilter: panel.crossFilter,
        option: {
          color: palette,
          tooltip,
          legend,
          grid,
          xAxis: {
            type: 'category',
            data: categories,
            triggerEvent: panel.crossFilter !== undefined,
            axisLabel: {
              interval: categories.length > 16 ? 'auto' : 0,
              rotate: categories.length > 4 ? 30 : 0,
              hideOverlap: true,
            },
          },
          yAxis:
            second === undefined
              ? [axisFor(first)]
              : [axisFor(first), { ...axisFor(second), splitLine: { show: false } }],
          series: [
            {
              name: metricDefinitions[first].label,
              type: 'bar',
              data: rows.map((row) => round(valueOf(row, first))),
              itemStyle: { borderRadius: [3, 3, 0, 0] },
            },
            {
              name: 'Previous period',
              type: 'bar',
              data: rows.map((row) => round(previousOf(row, first))),
              itemStyle: { color: previousColour, borderRadius: [3, 3, 0, 0] },
            },
            ...(second === undefined
              ? []
              : [
                  {
                    name: metricDefinitions[second].label,
                    type: 'line',
                    yAxisIndex: 1,
                    data: rows.map((row) => round(valueOf(row, second))),
                    itemStyle: { color: palette[1] },
                  },
                ]),
          ],
        },
      };
    case 'hbar':
      return {
        crossFilter: panel.crossFilter,
        option: {
          color: palette,
          tooltip,
          grid: { ...grid, right: 120, top: 8 },
          xAxis: { type: 'value', splitLine: { lineStyle: { color: '#eef2f7' } } },
          yAxis: {
            type: 'category',
            data: [...categories].reverse(),
            triggerEvent: panel.crossFilter !== undefined,
            axisLabel: { width: 180, overflow: 'truncate' },
          },
          series: [
            {
              name: metricDefinitions[first].label,
              type: 'bar',
              data: [...rows].reverse().map((row) => ({
                value: round(valueOf(row, first)),
                label: {
                  show: true,
                  position: 'right',
                  color: '#475569',
                  formatter: [
                    formatValue(valueOf(row, first), metricDefinitions[first].unit),
                    second === undefined
                      ? ''
                      : `${formatValue(valueOf(row, second), metricDefinitions[second].unit)} ${second === 'completion_rate' ? 'complete' : metricDefinitions[second].label}`,
                  ]
                    .filter(Boolean)
                    .join(' · '),
                },
              })),
              itemStyle: { borderRadius: [0, 3, 3, 0] },
            },
          ],
        },
      };
    case 'pie':
      return {
        crossFilter: panel.crossFilter,
        option: {
          color: palette,
          tooltip: { trigger: 'item', confine: true },
          legend: {
            type: 'scroll',
            orient: 'vertical',
            right: 8,
            top: 'middle',
            textStyle: { color: '#475569' },
          },
          series: [
            {
              name: metricDefinitions[first].label,
              type: 'pie',
              radius: ['45%', '75%'],
              center: ['38%', '52%'],
              itemStyle: { borderColor: '#fff', borderWidth: 2 },
              label: {
                position: 'inside',
                formatter: '{d}%',
                color: '#fff',
                fontWeight: 600,
                fontSize: 11,
              },
              labelLayout: { hideOverlap: true },
              data: rows.map((row, index) => ({
                name: categories[index],
                value: round(valueOf(row, first)),
              })),
            },
          ],
        },
      };
    case 'heatmap': {
      const [yName, xName] = result.query.dimensions as [string, string];
      const cells = rows.map((row) => [
        Number(row.dimensions[xName as keyof MetricRow['dimensions']]),
        (Number(row.dimensions[yName as keyof MetricRow['dimensions']]) + 6) % 7,
        valueOf(row, first) ?? 0,
      ]);
      const counts = cells.map((cell) => cell[2] ?? 0);
      const max = Math.max(1, ...counts);
      // The colour scale starts at the quietest hour, so the daily rhythm shows even on busy services.
      const min = Math.min(max - 1, ...counts);
      return {
        crossFilter: undefined,
        option: {
          tooltip: { position: 'top', confine: true },
          grid: { ...grid, right: 90, top: 16 },
          xAxis: {
            type: 'category',
            data: Array.from({ length: 24 }, (_, hour) => `${String(hour).padStart(2, '0')}h`),
            splitArea: { show: true },
          },
          yAxis: { type: 'category', data: weekdays, inverse: true, splitArea: { show: true } },
          visualMap: {
            min,
            max,
            calculable: true,
            orient: 'vertical',
            right: 0,
            top: 'middle',
            inRange: { color: ['#eff6ff', '#93c5fd', '#2563eb', '#1e3a8a'] },
          },
          series: [
            {
              name: metricDefinitions[first].label,
              type: 'heatmap',
              data: cells,
              emphasis: { itemStyle: { shadowBlur: 6, shadowColor: 'rgba(0,0,0,0.3)' } },
            },
          ],
        },
      };
    }
    case 'multiline': {
      const [groupName, stepName] = result.query.dimensions as [string, string];
      const totals = new Map<string, number>();
      for (const row of rows) {
        const group = String(row.dimensions[groupName as keyof MetricRow['dimensions']]);
        totals.set(group, (totals.get(group) ?? 0) + (valueOf(row, first) ?? 0));
      }
      const groups = [...totals.entries()]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 5)
        .map(([group]) => group);
      const steps = [
        ...new Set(
          rows.map((row) => String(row.dimensions[stepName as keyof MetricRow['dimensions']])),
        ),
      ].sort();
      return {
        crossFilter: undefined,
        option: {
          color: palette,
          tooltip,
          legend,
          grid,
          xAxis: { type: 'category', data: steps },
          yAxis: axisFor(first),
          series: groups.map((group) => {
            const byStep = new Map(
              rows
                .filter(
                  (row) =>
                    String(row.dimensions[groupName as keyof MetricRow['dimensions']]) === group,
                )
                .map((row) => [
                  String(row.dimensions[stepName as keyof MetricRow['dimensions']]),
                  valueOf(row, first),
                ]),
            );
            return {
              name: group,
              type: 'line',
              connectNulls: false,
              data: steps.map((step) => byStep.get(step) ?? null),
            };
          }),
        },
      };
    }
  }
}

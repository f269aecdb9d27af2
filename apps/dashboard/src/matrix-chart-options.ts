import { metricDefinitions, type MetricRow } from '@reelhouse/metrics';

import {
  axisFor,
  grid,
  legend,
  palette,
  tooltip,
  valueOf,
  weekdays,
  type ChartSpec,
} from './chart-style.ts';
import type { PanelAnswer } from './run-panel.ts';

/** A weekday × hour heatmap: the panel's dimensions are (weekday, hour), its first metric the colour. */
export function heatmapSpec(answer: PanelAnswer): ChartSpec {
  const { result } = answer;
  const rows = result.rows;
  const first = answer.panel.metrics[0]!;
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

/** One line per group (the five largest) over ordered steps: episode drop-off within series. */
export function multilineSpec(answer: PanelAnswer): ChartSpec {
  const { result } = answer;
  const rows = result.rows;
  const first = answer.panel.metrics[0]!;
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
              (row) => String(row.dimensions[groupName as keyof MetricRow['dimensions']]) === group,
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

import { metricDefinitions, type MetricName, type MetricRow } from '@reelhouse/metrics';

import { formatValue } from './format-value.ts';
import {
  axisFor,
  dimensionLabel,
  grid,
  legend,
  palette,
  previousColour,
  previousOf,
  qualityLadder,
  round,
  tooltip,
  valueOf,
  type ChartSpec,
} from './chart-style.ts';
import { heatmapSpec, multilineSpec } from './matrix-chart-options.ts';
import { canDrillDown } from './panel-drill.ts';
import type { PanelAnswer } from './run-panel.ts';

const timeDimensions = new Set(['date', 'week', 'month']);

/** A shaded band over the bucket holding the partial last day, so its drop reads as incomplete. */
function partialDayMark(categories: readonly string[], partialDay: string | undefined) {
  const bucket =
    partialDay === undefined ? undefined : categories.filter((day) => day <= partialDay).at(-1);
  if (bucket === undefined || bucket !== categories.at(-1)) return {};
  return {
    markArea: {
      silent: true,
      itemStyle: { color: 'rgba(148, 163, 184, 0.18)' },
      label: {
        show: true,
        position: 'insideTop',
        color: '#64748b',
        fontSize: 10,
        formatter: 'partial day',
      },
      data: [[{ xAxis: bucket }, { xAxis: bucket }]],
    },
  };
}

/** Builds the ECharts option of a panel from its rows; `partialDay` is the data's incomplete last day. */
export function buildChartSpec(
  answer: PanelAnswer,
  options: { partialDay?: string | undefined } = {},
): ChartSpec {
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
  const timeline = timeDimensions.has(dimension);
  const partial = timeline ? partialDayMark(categories, options.partialDay) : {};
  // Category labels answer clicks too when a click does something (cross-filter or drill).
  const clickable = panel.crossFilter !== undefined || canDrillDown(panel);
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
          xAxis: {
            type: 'category',
            data: categories,
            boundaryGap: false,
            axisLabel: { hideOverlap: true },
          },
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
              ...(index === 0 ? partial : {}),
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
            triggerEvent: clickable,
            // Dates stay horizontal and thin out (ECharts drops the ones that would overlap).
            axisLabel: timeline
              ? { interval: 'auto', rotate: 0, hideOverlap: true }
              : {
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
              ...partial,
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
            triggerEvent: clickable,
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
    case 'heatmap':
      return heatmapSpec(answer);
    case 'multiline':
      return multilineSpec(answer);
  }
}

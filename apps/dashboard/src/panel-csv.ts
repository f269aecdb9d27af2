import { metricDefinitions, type MetricName } from '@reelhouse/metrics';

import { filterDimensions } from './dashboard-filters.ts';
import type { PanelAnswer } from './run-panel.ts';

const quote = (value: string | number | null | undefined): string => {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** The filters of an answer as `key=value` pairs: they head the CSV and name its file. */
export function describeFilters(answer: PanelAnswer): string[] {
  return [
    `from=${answer.filters.from}`,
    `to=${answer.filters.to}`,
    ...filterDimensions
      .filter((dimension) => answer.applied.includes(dimension))
      .map((dimension) => `${dimension}=${answer.filters.dimensions[dimension]?.join('|')}`),
  ];
}

/** A panel's rows as CSV, preceded by `#` lines stating the panel, its filters and the previous period. */
export function panelCsv(answer: PanelAnswer): string {
  const { result, panel } = answer;
  const metrics = result.query.metrics as readonly MetricName[];
  const header = [
    ...result.query.dimensions,
    ...metrics.flatMap((metric) => [metric, `${metric}_previous`]),
  ];
  const lines = [
    `# Reelhouse panel: ${panel.title} (${panel.id})`,
    `# filters: ${describeFilters(answer).join(', ')}`,
    ...(answer.ignored.length > 0
      ? [`# not filtered by (no such split): ${answer.ignored.join(', ')}`]
      : []),
    `# previous period: ${result.period.previousFrom} to ${result.period.previousTo}`,
    `# metrics: ${metrics.map((metric) => `${metric} = ${metricDefinitions[metric].description}`).join(' | ')}`,
    header.join(','),
    ...result.rows.map((row) =>
      [
        ...result.query.dimensions.map((dimension) => quote(row.dimensions[dimension])),
        ...metrics.flatMap((metric) => [
          quote(row.values[metric]?.current),
          quote(row.values[metric]?.previous),
        ]),
      ].join(','),
    ),
  ];
  return `${lines.join('\n')}\n`;
}

/** `reelhouse-<panel>-<from>_<to>[-<filter>-<value>].csv`, safe for any file system. */
export function panelCsvFileName(answer: PanelAnswer): string {
  const parts = [
    `reelhouse-${answer.panel.id}`,
    `${answer.filters.from}_${answer.filters.to}`,
    ...filterDimensions
      .filter((dimension) => answer.applied.includes(dimension))
      .map((dimension) => `${dimension}-${answer.filters.dimensions[dimension]?.join('+')}`),
  ];
  return `${parts.join('-').replace(/[^A-Za-z0-9_+.-]/g, '_')}.csv`;
}

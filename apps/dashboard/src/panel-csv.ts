import { metricDefinitions, type MetricName, type MetricUnit } from '@reelhouse/metrics';

import type { PanelAnswer } from './run-panel.ts';

const quote = (value: string | number | null | undefined): string => {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

// Rounded for people and spreadsheets: whole counts, cents, and 6 significant digits for ratios.
const decimalsByUnit: Record<MetricUnit, number | 'significant'> = {
  count: 2,
  hours: 2,
  minutes: 2,
  ratio: 'significant',
  kbps: 0,
  milliseconds: 1,
  currency: 2,
};

/** A metric value as CSV text: rounded by its unit, trailing zeros dropped. */
export function csvNumber(value: number | null | undefined, unit: MetricUnit): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '';
  const rule = decimalsByUnit[unit];
  return String(
    rule === 'significant' ? Number(value.toPrecision(6)) : Number(value.toFixed(rule)),
  );
}

/**
 * A panel's rows as CSV: the header line first, as spreadsheets and `read_csv` expect. The range
 * and filters are in the file name (`panelFileName`); the previous period's dates are in the
 * `X-Reelhouse-Previous-Period` header.
 */
export function panelCsv(answer: PanelAnswer): string {
  const { result } = answer;
  const metrics = result.query.metrics as readonly MetricName[];
  const header = [
    ...result.query.dimensions,
    ...metrics.flatMap((metric) => [metric, `${metric}_previous`]),
  ];
  const lines = [
    header.join(','),
    ...result.rows.map((row) =>
      [
        ...result.query.dimensions.map((dimension) => quote(row.dimensions[dimension])),
        ...metrics.flatMap((metric) => [
          csvNumber(row.values[metric]?.current, metricDefinitions[metric].unit),
          csvNumber(row.values[metric]?.previous, metricDefinitions[metric].unit),
        ]),
      ].join(','),
    ),
  ];
  return `${lines.join('\n')}\n`;
}

import type { MetricUnit } from '@reelhouse/metrics';

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-US', {
  maximumFractionDigits: 1,
  minimumFractionDigits: 1,
});
const twoDecimals = new Intl.NumberFormat('en-US', {
  maximumFractionDigits: 2,
  minimumFractionDigits: 2,
});

/** Formats a metric value for people: units, thousands separators, percentages. */
export function formatValue(value: number | null, unit: MetricUnit): string {
  if (value === null || !Number.isFinite(value)) return '–';
  switch (unit) {
    case 'count':
      return Math.abs(value) < 100 && !Number.isInteger(value)
        ? oneDecimal.format(value)
        : integer.format(value);
    case 'hours':
      return `${value < 100 ? oneDecimal.format(value) : integer.format(value)} h`;
    case 'minutes':
      return `${oneDecimal.format(value)} min`;
    case 'ratio':
      return `${(value * 100).toFixed(value < 0.1 ? 2 : 1)}%`;
    case 'kbps':
      return `${twoDecimals.format(value / 1000)} Mbps`;
    case 'milliseconds':
      return `${integer.format(value)} ms`;
    case 'currency':
      return twoDecimals.format(value);
  }
}

/** The change against the previous period, as text and as good or bad news. */
export function formatChange(options: {
  current: number | null;
  previous: number | null;
  unit: MetricUnit;
  higherIsBetter: boolean;
}): { text: string; tone: 'up' | 'down' | 'flat' } {
  const { current, previous } = options;
  if (current === null || previous === null) return { text: 'no previous data', tone: 'flat' };
  if (options.unit === 'ratio') {
    const points = (current - previous) * 100;
    const tone =
      Math.abs(points) < 0.05 ? 'flat' : points > 0 === options.higherIsBetter ? 'up' : 'down';
    return { text: `${points >= 0 ? '+' : '−'}${Math.abs(points).toFixed(1)} pts`, tone };
  }
  if (previous === 0) return { text: current === 0 ? '±0%' : 'new', tone: 'flat' };
  const percent = ((current - previous) / Math.abs(previous)) * 100;
  const tone =
    Math.abs(percent) < 0.5 ? 'flat' : percent > 0 === options.higherIsBetter ? 'up' : 'down';
  return { text: `${percent >= 0 ? '+' : '−'}${Math.abs(percent).toFixed(1)}%`, tone };
}

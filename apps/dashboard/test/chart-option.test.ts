import { parseMetricQuery, periodBounds } from '@reelhouse/metrics';
import { describe, expect, it } from 'vitest';

import { buildChartSpec } from '../src/chart-option.ts';
import { resolveFilters } from '../src/dashboard-filters.ts';
import { panelById } from '../src/panel-definitions.ts';
import { grainFor, type PanelAnswer } from '../src/run-panel.ts';

const to = '2026-03-31';
const dayMs = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** "Cancellations over time" over the last `days`, one row per bucket of the grain the range gets. */
function cancellationsOver(days: number): PanelAnswer {
  const from = isoDay(Date.parse(`${to}T00:00:00Z`) - (days - 1) * dayMs);
  const filters = resolveFilters({ from, to }, to);
  const grain = grainFor(filters);
  const step = grain === 'date' ? 1 : 7;
  const buckets = Array.from({ length: Math.ceil(days / step) }, (_, index) =>
    isoDay(Date.parse(`${from}T00:00:00Z`) + index * step * dayMs),
  );
  return {
    panel: panelById.get('churn_over_time')!,
    filters,
    applied: [],
    ignored: [],
    result: {
      query: parseMetricQuery({ metrics: ['cancellations'], dimensions: [grain], from, to }),
      source: 'cancellations',
      period: periodBounds({ from, to }),
      rows: buckets.map((bucket) => ({
        dimensions: { [grain]: bucket },
        values: { cancellations: { current: 3, previous: 2 } },
      })),
    },
  };
}

describe('date axis of a bar time series (issue 14)', () => {
  it.each([
    [30, 30],
    [90, 90],
    [365, 53],
  ])('over %i days keeps %i horizontal dates and lets ECharts thin them out', (days, buckets) => {
    const { option } = buildChartSpec(cancellationsOver(days));
    const axis = option['xAxis'] as { data: string[]; axisLabel: Record<string, unknown> };
    expect(axis.data).toHaveLength(buckets);
    // Rotated labels are what overlapped: ECharts' overlap check misjudges rotated text.
    expect(axis.axisLabel).toEqual({ interval: 'auto', rotate: 0, hideOverlap: true });
  });
});

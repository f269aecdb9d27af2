import {
  answerableDimensions,
  parseMetricQuery,
  runMetricQuery,
  type DimensionName,
  type MetricQuery,
  type MetricResult,
} from '@reelhouse/metrics';
import type { TrustedSchema } from '@reelhouse/warehouse';
import type { Kysely } from 'kysely';

import {
  filterDimensions,
  type DashboardFilters,
  type FilterDimension,
} from './dashboard-filters.ts';
import type { ImportedWarehouses } from './imported-warehouses.ts';
import type { PanelCache } from './panel-cache.ts';
import type { PanelDefinition } from './panel-definitions.ts';

/** A panel's rows plus which URL filters it could apply (a snapshot of subscribers has no device). */
export interface PanelAnswer {
  readonly panel: PanelDefinition;
  readonly filters: DashboardFilters;
  readonly applied: readonly FilterDimension[];
  readonly ignored: readonly FilterDimension[];
  readonly result: MetricResult;
}

/** A panel whose query failed: the page shows the message in its place. */
export interface PanelFailure {
  readonly panel: PanelDefinition;
  readonly error: string;
}

/** The calendar grain that keeps a time series readable: days up to a quarter, then weeks, then months. */
export function grainFor(filters: DashboardFilters): 'date' | 'week' | 'month' {
  const days = (Date.parse(filters.to) - Date.parse(filters.from)) / 86_400_000 + 1;
  if (days <= 92) return 'date';
  return days <= 400 ? 'week' : 'month';
}

/** The metric query a panel runs under the URL filters, and which of those filters it applies. */
export function panelQuery(
  panel: PanelDefinition,
  filters: DashboardFilters,
): {
  query: MetricQuery;
  applied: readonly FilterDimension[];
  ignored: readonly FilterDimension[];
} {
  const answerable = new Set<DimensionName>(answerableDimensions(panel.metrics));
  const active = filterDimensions.filter(
    (dimension) => filters.dimensions[dimension] !== undefined,
  );
  const applied = active.filter((dimension) => answerable.has(dimension));
  const ignored = active.filter((dimension) => !answerable.has(dimension));
  const query = parseMetricQuery({
    metrics: panel.metrics,
    dimensions: panel.dimensions.map((dimension) =>
      dimension === 'period' ? grainFor(filters) : dimension,
    ),
    filters: {
      ...Object.fromEntries(applied.map((dimension) => [dimension, filters.dimensions[dimension]])),
      ...panel.filters,
    },
    from: filters.from,
    to: filters.to,
    limit: panel.limit ?? 100,
  });
  return { query, applied, ignored };
}

/**
 * Runs one panel under the URL filters, through the cache keyed by the last load; answered from
 * the in-memory copy of that load once it is imported, by the warehouse until then.
 */
export async function runPanel(options: {
  db: Kysely<TrustedSchema>;
  cache: PanelCache;
  loadKey: string;
  panel: PanelDefinition;
  filters: DashboardFilters;
  imported?: ImportedWarehouses | undefined;
}): Promise<PanelAnswer> {
  const { panel, filters } = options;
  const { query, applied, ignored } = panelQuery(panel, filters);
  const result = await options.cache.get({
    loadKey: options.loadKey,
    key: JSON.stringify(query),
    compute: () => {
      const copy = options.imported?.forLoad(options.loadKey);
      return copy === undefined ? runMetricQuery(options.db, query) : copy.run(query);
    },
  });
  return { panel, filters, applied, ignored, result };
}

import { sql, type Kysely, type RawBuilder } from 'kysely';

import { createOfflineKysely, queryColumnLineage } from '@reelhouse/model-compiler';
import type { TrustedSchema } from '@reelhouse/warehouse';

import { categoryExpression } from './compile-metric-query.ts';
import { dimensionDefinitions, type DimensionName } from './dimension-definitions.ts';
import {
  metricDefinitions,
  warehouseAggregates,
  type MetricExpression,
  type MetricName,
} from './metric-definitions.ts';
import { metricSources, type MetricSource, type PeriodRange } from './metric-source.ts';

/** What a dashboard panel (or any metric query) asks for. */
export interface MetricRequest {
  readonly metrics: readonly MetricName[];
  /** Category or time dimensions; `period` is the calendar grain the dashboard picks. */
  readonly dimensions: readonly (DimensionName | 'period')[];
}

// Any period will do: only the columns the expressions reference matter.
const range: PeriodRange = {
  fromKey: 20250101,
  toKey: 20250131,
  from: '2025-01-01',
  to: '2025-01-31',
};

/**
 * The model columns (`model.column`) a request reads, in every source that can answer it: the
 * metrics' expressions (their filters included), the dimensions, the source's event day and row
 * filter. Found by the model compiler's column lineage over the compiled queries, so a metric
 * defined once cannot drift from the columns declared for it.
 */
export async function metricColumns(request: MetricRequest): Promise<string[]> {
  const db = createOfflineKysely() as unknown as Kysely<TrustedSchema>;
  const columns = new Set<string>();
  for (const source of answeringSources(request)) {
    const inPeriod = source.inPeriod(range);
    const expressions: RawBuilder<unknown>[] = [
      inPeriod,
      ...request.metrics.flatMap(
        (name) => expressionOf(name, source)?.(inPeriod, range, warehouseAggregates) ?? [],
      ),
      ...request.dimensions.flatMap((name) => dimensionOf(name, source) ?? []),
      ...(source.dayKey === undefined ? [] : [source.dayKey]),
      ...(source.where === undefined ? [] : [sql`${source.where}`]),
    ];
    const query = source
      .from(db)
      .select(expressions.map((expression, i) => sql`${expression}`.as(`e${i}`)));
    for (const read of Object.values(await queryColumnLineage(query, { conditions: true })))
      for (const column of read) columns.add(column);
  }
  return [...columns].sort();
}

/** Sources with an expression for every metric and dimension of the request. */
function answeringSources(request: MetricRequest): MetricSource[] {
  return metricSources.filter(
    (source) =>
      request.metrics.every((name) => expressionOf(name, source) !== undefined) &&
      request.dimensions.every((name) => dimensionOf(name, source) !== undefined),
  );
}

function expressionOf(name: MetricName, source: MetricSource): MetricExpression | undefined {
  return (metricDefinitions[name].expressions as Partial<Record<string, MetricExpression>>)[
    source.name
  ];
}

function dimensionOf(
  name: DimensionName | 'period',
  source: MetricSource,
): RawBuilder<unknown> | undefined {
  const definition = name === 'period' ? undefined : dimensionDefinitions[name];
  if (definition?.kind === 'category') return categoryExpression(source, name as DimensionName);
  // Time dimensions read the source's event day.
  return source.dayKey;
}

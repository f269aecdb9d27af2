import { ReelhouseError } from '@reelhouse/core';
import type { TrustedSchema } from '@reelhouse/warehouse';
import { sql, type CompiledQuery, type Kysely, type RawBuilder } from 'kysely';

import {
  dimensionDefinitions,
  type DimensionName,
  type TimeGrain,
} from './dimension-definitions.ts';
import {
  metricDefinitions,
  warehouseAggregates,
  type MetricAggregates,
  type MetricDefinition,
  type MetricExpression,
  type MetricName,
} from './metric-definitions.ts';
import { caseInsensitiveDimensions } from './filter-values.ts';
import type { MetricQuery } from './metric-query.ts';
import {
  metricSources,
  type MetricSource,
  type PeriodBounds,
  type PeriodRange,
  type SourceQuery,
} from './metric-source.ts';
import { periodBounds } from './period-bounds.ts';

/** Suffix of the column holding a metric's value in the previous period. */
export const previousSuffix = '__previous';

/** A metric query planned against one source, ready to run. */
export interface MetricQueryPlan {
  readonly source: MetricSource['name'];
  readonly period: PeriodBounds;
  readonly query: SourceQuery;
}

const metricExpression = (source: MetricSource, name: MetricName): MetricExpression | undefined =>
  (metricDefinitions[name].expressions as Partial<Record<MetricSource['name'], MetricExpression>>)[
    source.name
  ];

// Totals over no rows are 0 (SQL's sum gives null, count gives 0): one answer for "nothing matched".
// Ratios and averages over no rows stay null: there is nothing to divide.
function zeroWhenEmpty(name: MetricName, expression: MetricExpression): MetricExpression {
  const definition: MetricDefinition = metricDefinitions[name];
  return definition.total === true
    ? (inPeriod, range, aggregates) =>
        sql<number>`coalesce(${expression(inPeriod, range, aggregates)}, 0)`
    : expression;
}

/** How `source` answers a category dimension: its own expression, else the definition's for it. */
export function categoryExpression(
  source: MetricSource,
  name: DimensionName,
): RawBuilder<unknown> | undefined {
  const definition = dimensionDefinitions[name];
  if (definition.kind !== 'category') return undefined;
  return (
    source.dimensions?.[name] ??
    (definition.expressions as Partial<Record<MetricSource['name'], RawBuilder<unknown>>>)[
      source.name
    ]
  );
}

function dimensionExpression(options: {
  source: MetricSource;
  name: DimensionName;
  period: PeriodBounds;
}): RawBuilder<unknown> | undefined {
  const { source, name, period } = options;
  const definition = dimensionDefinitions[name];
  if (definition.kind === 'category') return categoryExpression(source, name);
  if (source.dayKey === undefined) return undefined;
  // Previous-period days move forward by the period's length, so each bucket holds both values.
  // Literals, not parameters: GROUP BY must see the very expression of the SELECT list, and both
  // numbers are integers computed from validated dates.
  const aligned = sql`(to_date(${source.dayKey}::text, 'YYYYMMDD') + case when ${source.dayKey} < ${sql.lit(period.fromKey)} then ${sql.lit(period.days)} else 0 end)`;
  return truncate(aligned, definition.grain);
}

function truncate(day: RawBuilder<unknown>, grain: TimeGrain): RawBuilder<string> {
  switch (grain) {
    case 'day':
      return sql<string>`${day}::date`;
    case 'week':
      return sql<string>`date_trunc('week', ${day})::date`;
    case 'month':
      return sql<string>`date_trunc('month', ${day})::date`;
  }
}

function pickSource(
  query: MetricQuery,
  period: PeriodBounds,
  sources: readonly MetricSource[],
): MetricSource {
  const dimensions = [
    ...new Set([...query.dimensions, ...(Object.keys(query.filters) as DimensionName[])]),
  ];
  const source = sources.find(
    (candidate) =>
      query.metrics.every((name) => metricExpression(candidate, name) !== undefined) &&
      dimensions.every(
        (name) => dimensionExpression({ source: candidate, name, period }) !== undefined,
      ),
  );
  if (source !== undefined) return source;
  throw new ReelhouseError({
    code: 'invalid_input',
    message: `No source answers metrics [${query.metrics.join(', ')}] by [${dimensions.join(', ')}]: ${describeSupport(query.metrics)}`,
    context: { metrics: query.metrics, dimensions },
  });
}

function describeSupport(metrics: readonly MetricName[]): string {
  return metrics
    .map((name) => `'${name}' splits by ${answerableDimensions([name]).join(', ')}`)
    .join('; ');
}

/** Dimensions some single source can split or filter all of `metrics` by. */
export function answerableDimensions(metrics: readonly MetricName[]): DimensionName[] {
  const period = periodBounds({ from: '2000-01-01', to: '2000-01-01' });
  const sources = metricSources.filter((source) =>
    metrics.every((name) => metricExpression(source, name) !== undefined),
  );
  return (Object.keys(dimensionDefinitions) as DimensionName[]).filter((name) =>
    sources.some((source) => dimensionExpression({ source, name, period }) !== undefined),
  );
}

/**
 * Plans a validated query: picks the cheapest source, then builds one SELECT with both periods.
 * `sources` replaces the warehouse's sources by others of the same names and meaning (the
 * dashboard's in-memory copy reads the fact with its joins already made).
 */
export function planMetricQuery(
  db: Kysely<TrustedSchema>,
  query: MetricQuery,
  sources: readonly MetricSource[] = metricSources,
): MetricQueryPlan {
  const period = periodBounds(query);
  const source = pickSource(query, period, sources);
  const currentRange: PeriodRange = {
    fromKey: period.fromKey,
    toKey: period.toKey,
    from: period.from,
    to: period.to,
  };
  const previousRange: PeriodRange = {
    fromKey: period.previousFromKey,
    toKey: period.previousToKey,
    from: period.previousFrom,
    to: period.previousTo,
  };
  const aggregatesOf = (range: PeriodRange): MetricAggregates => ({
    distinctUsers: (where) =>
      source.distinctUsers?.(where, {
        dimensions: query.dimensions,
        filters: query.filters,
        period,
        range,
      }) ?? warehouseAggregates.distinctUsers(where),
  });
  const current = source.inPeriod(currentRange);
  const previous = source.inPeriod(previousRange);
  const dimensions = query.dimensions.map((name) => ({
    name,
    expression: dimensionExpression({ source, name, period })!,
  }));

  let builder = source.from(db);
  if (source.where !== undefined) builder = builder.where(source.where);
  if (source.dayKey !== undefined)
    builder = builder.where(
      sql<boolean>`${source.dayKey} between ${period.previousFromKey} and ${period.toKey}`,
    );
  for (const [name, values] of Object.entries(query.filters)) {
    const expression = dimensionExpression({ source, name: name as DimensionName, period })!;
    if (!caseInsensitiveDimensions.has(name as DimensionName)) {
      builder = builder.where(expression, 'in', values);
      continue;
    }
    const lowered = values.map((value) => String(value).toLowerCase());
    const own = source.matchesIgnoringCase?.(name as DimensionName, lowered);
    builder =
      own === undefined
        ? builder.where(sql`lower(${expression})`, 'in', lowered)
        : builder.where(own);
  }
  builder = builder.select([
    ...dimensions.map(({ name, expression }) => expression.as(name)),
    ...query.metrics.flatMap((name) => {
      const expression = zeroWhenEmpty(name, metricExpression(source, name)!);
      return [
        expression(current, currentRange, aggregatesOf(currentRange)).as(name),
        expression(previous, previousRange, aggregatesOf(previousRange)).as(
          `${name}${previousSuffix}`,
        ),
      ];
    }),
  ]);
  if (dimensions.length > 0)
    builder = builder.groupBy(dimensions.map(({ expression }) => expression));

  const byValue = query.dimensions.every((name) => {
    const definition = dimensionDefinitions[name];
    return definition.kind === 'time' || definition.sortByValue;
  });
  if (dimensions.length > 0 && !byValue)
    builder = builder.orderBy(sql`${sql.ref(query.metrics[0]!)} desc nulls last`);
  for (const { expression } of dimensions) builder = builder.orderBy(expression);
  return { source: source.name, period, query: builder.limit(query.limit) };
}

/** Compiles a validated metric query to parameterised SQL (the previous period in the same statement). */
export function compileMetricQuery(db: Kysely<TrustedSchema>, query: MetricQuery): CompiledQuery {
  return planMetricQuery(db, query).query.compile();
}

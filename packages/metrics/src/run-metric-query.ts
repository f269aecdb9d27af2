import { classifyError } from '@reelhouse/core';
import type { TrustedSchema } from '@reelhouse/warehouse';
import type { Kysely } from 'kysely';

import { planMetricQuery, previousSuffix, type MetricQueryPlan } from './compile-metric-query.ts';
import type { DimensionName } from './dimension-definitions.ts';
import type { MetricName } from './metric-definitions.ts';
import type { MetricQuery } from './metric-query.ts';
import type { PeriodBounds, SourceName } from './metric-source.ts';

/** A metric's value in the current period and in the previous one. */
export interface MetricValue {
  readonly current: number | null;
  readonly previous: number | null;
}

export interface MetricRow {
  readonly dimensions: Partial<Record<DimensionName, string | number | null>>;
  readonly values: Partial<Record<MetricName, MetricValue>>;
}

export interface MetricResult {
  readonly query: MetricQuery;
  readonly source: SourceName;
  readonly period: PeriodBounds;
  readonly rows: readonly MetricRow[];
}

const numberOrNull = (value: unknown): number | null =>
  value === null || value === undefined ? null : Number(value);

/**
 * Runs a validated metric query: one statement, rows with current and previous values. Long
 * statements are bounded by the connection's `statement_timeout` (the dashboard's role sets one).
 */
export async function runMetricQuery(
  db: Kysely<TrustedSchema>,
  query: MetricQuery,
): Promise<MetricResult> {
  const plan = planMetricQuery(db, query);
  let rows: readonly Record<string, unknown>[];
  try {
    rows = (await plan.query.execute()) as readonly Record<string, unknown>[];
  } catch (error) {
    // Driver errors become typed ones naming the query, so callers can tell a timeout from a bug.
    throw classifyError(error, {
      metrics: query.metrics,
      dimensions: query.dimensions,
      source: plan.source,
    });
  }
  return metricResultOf(plan, query, rows);
}

/** The rows of a planned query, as its result (whichever engine ran the plan's statement). */
export function metricResultOf(
  plan: MetricQueryPlan,
  query: MetricQuery,
  rows: readonly Record<string, unknown>[],
): MetricResult {
  return {
    query,
    source: plan.source,
    period: plan.period,
    rows: rows.map((row) => ({
      dimensions: Object.fromEntries(
        query.dimensions.map((name) => [name, row[name] as string | number | null]),
      ),
      values: Object.fromEntries(
        query.metrics.map((name) => [
          name,
          {
            current: numberOrNull(row[name]),
            previous: numberOrNull(row[`${name}${previousSuffix}`]),
          },
        ]),
      ),
    })),
  };
}

import { ReelhouseError } from '@reelhouse/core';
import { z } from 'zod';

import {
  dimensionDefinitions,
  dimensionNames,
  type DimensionName,
} from './dimension-definitions.ts';
import { parseFilterValue } from './filter-values.ts';
import { metricNames, type MetricName } from './metric-definitions.ts';

/** Limits that keep one query cheap and one URL readable. */
export const metricQueryLimits = {
  metrics: 12,
  dimensions: 3,
  filterValues: 50,
  maxDays: 3700,
  maxRows: 1000,
} as const;

const isoDate = z.iso.date('must be an ISO date (YYYY-MM-DD)');

const metricName = z
  .string()
  .refine((value): value is MetricName => (metricNames as readonly string[]).includes(value), {
    error: (issue) => `unknown metric '${String(issue.input)}'`,
  });
const dimensionName = z
  .string()
  .refine(
    (value): value is DimensionName => (dimensionNames as readonly string[]).includes(value),
    {
      error: (issue) => `unknown dimension '${String(issue.input)}'`,
    },
  );

const filterValues = z
  .array(z.union([z.string(), z.number()]))
  .min(1)
  .max(metricQueryLimits.filterValues, `at most ${metricQueryLimits.filterValues} values`);

/** The zod schema of a metric query: names must exist, dates be ordered, lists short, values plain. */
export const metricQuerySchema = z
  .strictObject({
    metrics: z
      .array(metricName)
      .min(1, 'at least one metric')
      .max(metricQueryLimits.metrics, `at most ${metricQueryLimits.metrics} metrics`)
      .refine((names) => new Set(names).size === names.length, 'metrics must not repeat'),
    dimensions: z
      .array(dimensionName)
      .max(metricQueryLimits.dimensions, `at most ${metricQueryLimits.dimensions} dimensions`)
      .refine((names) => new Set(names).size === names.length, 'dimensions must not repeat')
      .default([]),
    filters: z.partialRecord(dimensionName, filterValues).default({}),
    from: isoDate,
    to: isoDate,
    limit: z.number().int().min(1).max(metricQueryLimits.maxRows).default(100),
  })
  .superRefine((query, context) => {
    // A malformed date already has its own issue; comparing it would only add noise.
    if (!isoDate.safeParse(query.from).success || !isoDate.safeParse(query.to).success) return;
    if (query.from > query.to)
      context.addIssue({
        code: 'custom',
        path: ['to'],
        message: `'to' (${query.to}) is before 'from' (${query.from})`,
      });
    const days = (Date.parse(query.to) - Date.parse(query.from)) / 86_400_000 + 1;
    if (days > metricQueryLimits.maxDays)
      context.addIssue({
        code: 'custom',
        path: ['to'],
        message: `the range spans ${days} days, at most ${metricQueryLimits.maxDays}`,
      });
    for (const [name, values] of Object.entries(query.filters)) {
      if (values === undefined) continue;
      if (dimensionDefinitions[name as DimensionName].kind === 'time') {
        context.addIssue({
          code: 'custom',
          path: ['filters', name],
          message: `filter by '${name}' through from/to`,
        });
        continue;
      }
      values.forEach((value, index) => {
        const parsed = parseFilterValue(name as DimensionName, value);
        if (!parsed.ok)
          context.addIssue({
            code: 'custom',
            path: ['filters', name, index],
            message: parsed.message,
          });
      });
    }
  })
  // Canonical values (`us` → `US`): the cache key and the bound parameters see one spelling.
  .transform((query) => ({
    ...query,
    filters: Object.fromEntries(
      Object.entries(query.filters).map(([name, values]) => [
        name,
        [
          ...new Set(
            values.map((value) => {
              const parsed = parseFilterValue(name as DimensionName, value);
              return parsed.ok ? parsed.value : value;
            }),
          ),
        ],
      ]),
    ),
  }));

/** A validated metric query. */
export type MetricQuery = z.output<typeof metricQuerySchema>;
/** What callers may pass: defaults filled in by validation. */
export type MetricQueryInput = z.input<typeof metricQuerySchema>;

/** Validates untrusted query parameters; anything off fails with `invalid_input` naming every problem. */
export function parseMetricQuery(input: unknown): MetricQuery {
  const parsed = metricQuerySchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) =>
    issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message,
  );
  throw new ReelhouseError({
    code: 'invalid_input',
    message: `Invalid metric query: ${problems.join('; ')}`,
    context: { problems },
  });
}

export {
  metricDefinitions,
  metricNames,
  warehouseAggregates,
  type MetricAggregates,
  type MetricName,
  type MetricDefinition,
  type MetricUnit,
  type MetricExpression,
} from './metric-definitions.ts';
export {
  dimensionDefinitions,
  dimensionNames,
  dimensionValueSchemas,
  type DimensionName,
  type DimensionDefinition,
  type CategoryDimension,
  type TimeDimension,
  type TimeGrain,
  type DimensionValueKind,
} from './dimension-definitions.ts';
export {
  metricQuerySchema,
  parseMetricQuery,
  metricQueryLimits,
  type MetricQuery,
  type MetricQueryInput,
} from './metric-query.ts';
export {
  metricSources,
  type MetricSource,
  type DistinctUsersQuery,
  type SourceName,
  type PeriodBounds,
  type PeriodRange,
} from './metric-source.ts';
export { periodBounds } from './period-bounds.ts';
export {
  compileMetricQuery,
  planMetricQuery,
  categoryExpression,
  answerableDimensions,
  previousSuffix,
  type MetricQueryPlan,
} from './compile-metric-query.ts';
export {
  runMetricQuery,
  metricResultOf,
  type MetricResult,
  type MetricRow,
  type MetricValue,
} from './run-metric-query.ts';
export {
  parseFilterValue,
  dimensionVocabularies,
  caseInsensitiveDimensions,
  type FilterValueResult,
} from './filter-values.ts';
export { metricColumns, type MetricRequest } from './metric-columns.ts';
export {
  dashboardExposures,
  dashboardPages,
  type DashboardPage,
  type DashboardPanelReads,
} from './dashboard-exposures.ts';

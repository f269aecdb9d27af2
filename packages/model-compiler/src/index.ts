export {
  defineModel,
  type Model,
  type AnyModel,
  type RowOf,
  type ModelConfig,
  type ModelContext,
  type ModelChanges,
  type ModelContract,
  type ColumnContract,
  type SourceName,
  type ModelQuery,
  type QueryRow,
  type ResourceType,
} from './define-model.ts';
export {
  defineSnapshot,
  type SnapshotConfig,
  type SnapshotRelations,
  type SnapshotVersion,
} from './define-snapshot.ts';
export type { SnapshotStrategy, SnapshotHardDeletes } from './snapshot-versions-sql.ts';
export { defineSeed, seedModel, type SeedConfig } from './define-seed.ts';
export { readSeedCsv } from './read-seed-csv.ts';
export {
  view,
  table,
  incremental,
  type Materialization,
  type ViewMaterialization,
  type TableMaterialization,
  type IncrementalMaterialization,
  type IncrementalStrategy,
} from './materialization.ts';
export {
  testBuilders,
  type DataTest,
  type TestBuilders,
  type TestConfig,
  type Severity,
  type FailingRowsQuery,
  type CustomTestQuery,
} from './data-test.ts';
export type { SqlType } from './sql-type.ts';
export {
  compileProject,
  type CompileProjectOptions,
  type GraphProblem,
} from './compile-project.ts';
export type {
  CompiledProject,
  CompiledModel,
  CompiledContract,
  CompiledTest,
} from './compiled-model.ts';
export { selectModels, type SelectModelsOptions } from './select-models.ts';
export type { PreviousState } from './selector-methods.ts';
export { readPreviousState } from './read-previous-state.ts';
export { toDbtArtifacts, type DbtArtifacts } from './dbt-artifacts.ts';
export { buildModels, type BuildModelsOptions } from './build-models.ts';
export type { SourceVersions } from './model-state.ts';
export type { BuildResult, ModelResult, BuildMode } from './build-result.ts';
export type { TestResult, TestStatus } from './test-result.ts';
export { writeArtifacts } from './write-artifacts.ts';
export { promoteEnvironment, type PromoteEnvironmentOptions } from './promote-environment.ts';
export { diffEnvironment, type ModelDiff } from './diff-environment.ts';
export {
  checkSourceFreshness,
  sourceFreshnessSchema,
  type SourceFreshness,
  type FreshnessResult,
} from './source-freshness.ts';
export { createOfflineKysely } from './offline-kysely.ts';
export type { TimeRange, IntervalUnit } from './plan-intervals.ts';
export { renderModelDocs, type ModelDocs } from './render-model-docs.ts';
export { columnLineage, type ColumnLineage } from './column-lineage.ts';
export { queryColumnLineage, conditionsKey } from './query-column-lineage.ts';
export {
  upstreamTree,
  downstreamTree,
  rawColumns,
  currentRowsColumn,
  renderLineageTree,
  type LineageTreeNode,
} from './lineage-tree.ts';
export {
  defineExposure,
  exposuresReading,
  type Exposure,
  type ExposureConfig,
  type ExposureType,
} from './exposure.ts';

export { defineModel, type Model, type AnyModel, type RowOf, type ModelConfig, type ModelContext, type ModelContract, type ColumnContract, type SourceName, type ModelQuery, type QueryRow } from './define-model.ts';
export { view, table, incremental, type Materialization, type ViewMaterialization, type TableMaterialization, type IncrementalMaterialization, type IncrementalStrategy } from './materialization.ts';
export { testBuilders, type DataTest, type TestBuilders, type TestConfig, type Severity } from './data-test.ts';
export type { SqlType } from './sql-type.ts';

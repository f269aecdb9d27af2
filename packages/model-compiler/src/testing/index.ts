export {
  buildModelInIsolation,
  type BuildInIsolationOptions,
  type IsolatedBuild,
} from './build-model-in-isolation.ts';
export {
  modelRows,
  sourceRows,
  inferSqlType,
  type ModelInput,
  type ModelInputs,
  type SourceRow,
} from './model-input.ts';

export { buildModelInIsolation, type BuildInIsolationOptions, type IsolatedBuild } from './build-model-in-isolation.ts';
export { modelRows, sourceRows, inferSqlType, type ModelInput, type ModelInputs } from './model-input.ts';

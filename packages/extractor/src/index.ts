export { streamNames, type StreamName } from './stream-name.ts';
export { extractToWarehouse, type ExtractOptions } from './extract-to-warehouse.ts';
export type { ContentReadPlan } from './content-read-plan.ts';
export type { ExtractReport, StreamLoadReport } from './extract-report.ts';
export { ensureRawTables } from './ensure-raw-tables.ts';
export { rawTableDdl } from './raw-table-ddl.ts';
export { readSourceVersions } from './source-versions.ts';

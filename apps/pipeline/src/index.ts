export {
  createPipelineDag,
  pipelineDagId,
  type PipelineDag,
  type PipelineResources,
} from './pipeline-dag.ts';
export {
  pipelineParamsSchema,
  resolvePipelineParams,
  dataSetDir,
  type PipelineParams,
} from './pipeline-params.ts';
export {
  writeQualityReport,
  type WriteQualityReportOptions,
} from './quality/write-quality-report.ts';
export type { QualityReport } from './quality/quality-report.ts';
export { exitCodes } from './exit-codes.ts';

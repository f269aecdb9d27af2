export { type ErrorCode, retryableCodes } from './error-code.ts';
export { ReelhouseError, type ReelhouseErrorOptions } from './reelhouse-error.ts';
export { classifyError, isRetryable } from './classify-error.ts';
export {
  type Logger,
  type LogLevel,
  type LogFields,
  type LogRecord,
  silentLogger,
  createMemoryLogger,
} from './logger.ts';
export { type StepReport, combineReports } from './step-report.ts';

import { classifyError } from '@reelhouse/core';

/** The CLI's documented exit codes (README): sysexits where one fits. */
export const exitCodes = {
  success: 0,
  /** The run or task ended failed (a task failed or a data test did not pass). */
  failed: 1,
  /** Bad arguments or configuration. */
  usage: 2,
  /** A database could not be found, started or reached (EX_UNAVAILABLE). */
  unavailable: 69,
  /** Another run holds the warehouse's run lock (EX_TEMPFAIL): try again later. */
  locked: 75,
  /** Stopped by SIGINT or SIGTERM (128 + SIGINT). */
  interrupted: 130,
} as const;

/** Maps an error that escaped a command onto an exit code. */
export function exitCodeFor(error: unknown): number {
  const classified = classifyError(error);
  switch (classified.code) {
    case 'lock_unavailable':
      return exitCodes.locked;
    case 'config_invalid':
    case 'invalid_input':
    case 'not_found':
      return exitCodes.usage;
    case 'service_unavailable':
    case 'connection_lost':
      return exitCodes.unavailable;
    case 'aborted':
      return exitCodes.interrupted;
    case 'serialization_conflict':
    case 'deadlock':
    case 'timeout':
    case 'query_failed':
    case 'constraint_violation':
    case 'file_malformed':
    case 'file_access_denied':
    case 'reject_threshold_exceeded':
    case 'unsupported_feature':
    case 'graph_invalid':
    case 'data_test_failed':
    case 'contract_violation':
    case 'internal':
      return exitCodes.failed;
  }
}

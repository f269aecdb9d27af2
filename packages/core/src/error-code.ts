/**
 * Every failure Reelhouse reports falls into one of these codes. Retryability is decided per
 * error (a `connection_lost` is retryable, a `config_invalid` never is), not per code alone.
 */
export type ErrorCode =
  | 'config_invalid'
  | 'service_unavailable'
  | 'connection_lost'
  | 'serialization_conflict'
  | 'deadlock'
  | 'timeout'
  | 'aborted'
  | 'query_failed'
  | 'constraint_violation'
  | 'invalid_input'
  | 'file_malformed'
  | 'file_access_denied'
  | 'reject_threshold_exceeded'
  | 'unsupported_feature'
  | 'lock_unavailable'
  | 'graph_invalid'
  | 'data_test_failed'
  | 'contract_violation'
  | 'not_found'
  | 'internal';

/** Codes whose errors are transient by nature: a retry may succeed without any change. */
export const retryableCodes: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'service_unavailable',
  'connection_lost',
  'serialization_conflict',
  'deadlock',
]);

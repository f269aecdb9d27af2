import type { ErrorCode } from './error-code.ts';
import { ReelhouseError } from './reelhouse-error.ts';

// Node socket errors that mean the peer went away or is not there yet: worth another attempt.
const socketErrorCodes = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

// MongoDB driver labels that the driver itself uses to decide retries.
const mongoRetryableLabels = ['RetryableWriteError', 'ResetPool', 'TransientTransactionError'];

// Node file system errors whose retry cannot help: the path or its permissions must change.
const fileAccessCodes = new Set([
  'EACCES',
  'EPERM',
  'EROFS',
  'ENOSPC',
  'EDQUOT',
  'ENOTDIR',
  'EISDIR',
]);

interface ErrorFields {
  readonly code?: unknown;
  readonly syscall?: unknown;
  readonly path?: unknown;
  readonly errorLabels?: unknown;
  readonly errorLabelSet?: unknown;
  readonly name?: unknown;
  readonly message?: unknown;
  readonly hasErrorLabel?: unknown;
}

function sqlStateCode(sqlState: string): ErrorCode {
  if (sqlState.startsWith('08')) return 'connection_lost';
  if (sqlState === '40001') return 'serialization_conflict';
  if (sqlState === '40P01') return 'deadlock';
  if (sqlState === '57014') return 'timeout';
  if (sqlState.startsWith('57P0')) return 'service_unavailable';
  if (sqlState === '53300') return 'service_unavailable';
  if (sqlState === '55P03') return 'lock_unavailable';
  if (sqlState.startsWith('23')) return 'constraint_violation';
  if (sqlState.startsWith('22')) return 'invalid_input';
  return 'query_failed';
}

function mongoLabels(fields: ErrorFields): string[] {
  if (Array.isArray(fields.errorLabels))
    return fields.errorLabels.filter((l) => typeof l === 'string');
  if (fields.errorLabelSet instanceof Set)
    return [...(fields.errorLabelSet as Set<unknown>)].map(String);
  return [];
}

function classifyFields(error: Error & ErrorFields): {
  code: ErrorCode;
  retryable?: boolean;
  context: Record<string, unknown>;
} {
  const code = typeof error.code === 'string' ? error.code : undefined;
  if (error.name === 'AbortError') return { code: 'aborted', retryable: false, context: {} };
  // A Node system error carries `syscall`; its errno code ("EPERM") is not an SQLSTATE.
  if (code !== undefined && typeof error.syscall === 'string' && !socketErrorCodes.has(code)) {
    return {
      code: fileAccessCodes.has(code) ? 'file_access_denied' : 'internal',
      retryable: false,
      context: {
        errno: code,
        syscall: error.syscall,
        ...(typeof error.path === 'string' ? { path: error.path } : {}),
      },
    };
  }
  if (code !== undefined && /^[0-9A-Z]{5}$/.test(code) && !socketErrorCodes.has(code)) {
    return { code: sqlStateCode(code), context: { sqlState: code } };
  }
  if (code !== undefined && socketErrorCodes.has(code)) {
    return { code: 'connection_lost', retryable: true, context: { errno: code } };
  }
  const labels = mongoLabels(error);
  if (labels.some((label) => mongoRetryableLabels.includes(label))) {
    return { code: 'connection_lost', retryable: true, context: { mongoLabels: labels } };
  }
  if (
    typeof error.name === 'string' &&
    /^Mongo(Network|ServerSelection|NetworkTimeout)Error$/.test(error.name)
  ) {
    return { code: 'service_unavailable', retryable: true, context: { mongoError: error.name } };
  }
  if (
    typeof error.message === 'string' &&
    /Connection terminated|connection terminated unexpectedly|connection error and is not queryable/i.test(
      error.message,
    )
  ) {
    return { code: 'connection_lost', retryable: true, context: {} };
  }
  return {
    code: 'internal',
    retryable: false,
    context: typeof error.code === 'number' ? { mongoCode: error.code } : {},
  };
}

/**
 * Maps anything thrown by PostgreSQL (SQLSTATE), Node sockets or the MongoDB driver onto a
 * `ReelhouseError`: the one place where driver errors are classified as retryable or not.
 */
export function classifyError(
  error: unknown,
  context: Readonly<Record<string, unknown>> = {},
): ReelhouseError {
  if (error instanceof ReelhouseError) return error;
  if (!(error instanceof Error)) {
    return new ReelhouseError({
      code: 'internal',
      message: String(error),
      context,
      retryable: false,
    });
  }
  const classified = classifyFields(error);
  return new ReelhouseError({
    code: classified.code,
    message: error.message,
    ...(classified.retryable === undefined ? {} : { retryable: classified.retryable }),
    context: { ...classified.context, ...context },
    cause: error,
  });
}

/** True when a retry of the operation that threw `error` may succeed. */
export function isRetryable(error: unknown): boolean {
  return classifyError(error).retryable;
}

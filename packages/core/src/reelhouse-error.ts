import { retryableCodes, type ErrorCode } from './error-code.ts';

export interface ReelhouseErrorOptions {
  readonly code: ErrorCode;
  readonly message: string;
  /** Defaults to whether `code` is transient by nature. */
  readonly retryable?: boolean;
  /** What the reader needs to act: file, line, stream, task, SQLSTATE... */
  readonly context?: Readonly<Record<string, unknown>>;
  readonly cause?: unknown;
}

/**
 * The one error class of Reelhouse: a typed `code`, a `retryable` flag the orchestrator obeys,
 * and the context needed to act on it.
 */
export class ReelhouseError extends Error {
  override readonly name = 'ReelhouseError';
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly context: Readonly<Record<string, unknown>>;

  constructor(options: ReelhouseErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = options.code;
    this.retryable = options.retryable ?? retryableCodes.has(options.code);
    this.context = Object.freeze({ ...options.context });
  }

  static is(value: unknown): value is ReelhouseError {
    return value instanceof ReelhouseError;
  }
}

export interface RetryDelayOptions {
  /** The retry about to happen: 1 for the first retry. */
  readonly retry: number;
  readonly baseMs: number;
  readonly maxMs: number;
  /** A number in [0, 1); `Math.random` by default, fixed in tests. */
  readonly random?: () => number;
}

/**
 * Capped exponential backoff with "equal jitter": half of `min(max, base * 2^(retry-1))` is fixed,
 * the other half random, so retries of many tasks spread out but never come back at once.
 */
export function retryDelay(options: RetryDelayOptions): number {
  const random = options.random ?? Math.random;
  const exponential = options.baseMs * 2 ** Math.max(0, options.retry - 1);
  const capped = Math.min(options.maxMs, exponential);
  return Math.round(capped / 2 + (capped / 2) * random());
}

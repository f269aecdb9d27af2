import { sql } from 'kysely';

import { ReelhouseError } from '@reelhouse/core';

import type { AnyKysely } from './any-kysely.ts';

export interface CancelOnAbortOptions {
  /** The connection (or transaction) whose running statement an abort cancels. */
  readonly connection: AnyKysely;
  /** Another connection source, used to send `pg_cancel_backend` while `connection` is busy. */
  readonly canceller: AnyKysely;
  readonly signal?: AbortSignal | undefined;
}

/** Runs `work` on one connection; an abort of `signal` cancels the statement it is running. */
export async function withCancelOnAbort<T>(
  options: CancelOnAbortOptions,
  work: () => Promise<T>,
): Promise<T> {
  const { signal } = options;
  if (signal === undefined) return work();
  throwIfAborted(signal);
  const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as "pid"`.execute(
    options.connection,
  );
  const pid = rows[0]?.pid;
  const cancel = () => {
    if (pid !== undefined)
      void sql`select pg_cancel_backend(${pid})`.execute(options.canceller).catch(() => undefined);
  };
  signal.addEventListener('abort', cancel, { once: true });
  try {
    return await work();
  } catch (error) {
    throwIfAborted(signal);
    throw error;
  } finally {
    signal.removeEventListener('abort', cancel);
  }
}

/** Throws an `aborted` error when the signal fired. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true)
    throw new ReelhouseError({
      code: 'aborted',
      message: 'the model build was aborted',
      retryable: false,
      cause: signal.reason,
    });
}

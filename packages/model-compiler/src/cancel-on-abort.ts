import {
  sql,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';

import { ReelhouseError } from '@reelhouse/core';

import type { AnyKysely } from './any-kysely.ts';

export interface CancelOnAbortOptions {
  /** The connection (or transaction) whose running statement an abort cancels. */
  readonly connection: AnyKysely;
  /** Another connection source, used to send `pg_cancel_backend` while `connection` is busy. */
  readonly canceller: AnyKysely;
  readonly signal?: AbortSignal | undefined;
}

/**
 * Runs `work` on one connection; an abort of `signal` cancels the statement it is running, and
 * the connection handed to `work` refuses to start another one.
 */
export async function withCancelOnAbort<T>(
  options: CancelOnAbortOptions,
  work: (connection: AnyKysely) => Promise<T>,
): Promise<T> {
  const { signal } = options;
  if (signal === undefined) return work(options.connection);
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
    return await work(options.connection.withPlugin(new AbortCheckPlugin(signal)));
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

// Between two statements a cancel finds nothing to cancel: the next statement must not start.
class AbortCheckPlugin implements KyselyPlugin {
  readonly #signal: AbortSignal;

  constructor(signal: AbortSignal) {
    this.#signal = signal;
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    throwIfAborted(this.#signal);
    return args.node;
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}

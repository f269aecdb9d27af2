import { classifyError, type Logger } from '@reelhouse/core';
import type pg from 'pg';

/** A pool client checked out for one load, with its backend pid so it can be stopped from outside. */
export interface HeldConnection {
  readonly client: pg.PoolClient;
  readonly pid: number;
  /** Ends the backend's work when `signal` fires; returns the function that stops listening. */
  stopOnAbort(signal: AbortSignal | undefined): () => void;
  /** Returns the client to the pool; `discard` closes it and waits until its backend is gone. */
  release(options: { discard: boolean }): Promise<void>;
}

const closeTimeoutMs = 5000;

/** Ends the client's connection (forcibly when a query is running), waiting at most `timeoutMs`. */
async function closeWithin(client: pg.PoolClient, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
    timer.unref();
  });
  await Promise.race([client.end().catch(() => undefined), timeout]);
  clearTimeout(timer);
}

async function terminateBackend(
  pool: pg.Pool,
  options: { pid: number; waitMs: number },
): Promise<void> {
  await pool.query('select pg_terminate_backend($1, $2)', [options.pid, options.waitMs]);
}

/**
 * Checks out a client whose errors are caught while held (a terminated backend must fail the load,
 * not crash the process), so the load can discard it and be sure its transaction is rolled back.
 */
export async function holdConnection(
  pool: pg.Pool,
  options: { context: Readonly<Record<string, unknown>>; logger: Logger },
): Promise<HeldConnection> {
  const client = await pool.connect().catch((error: unknown) => {
    throw classifyError(error, options.context);
  });
  const onError = (error: Error) => {
    options.logger.debug(
      { ...options.context, error: error.message },
      'connection closed under a load',
    );
  };
  client.on('error', onError);
  let pid: number;
  try {
    const result = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
    pid = result.rows[0]?.pid ?? 0;
  } catch (error) {
    client.release(true);
    throw classifyError(error, options.context);
  }
  let released = false;
  return {
    client,
    pid,
    stopOnAbort(signal) {
      if (signal === undefined) return () => undefined;
      const stop = () => {
        // A running statement only stops when its backend is told to; the load then discards the client.
        terminateBackend(pool, { pid, waitMs: 0 }).catch((error: unknown) => {
          options.logger.warn(
            { ...options.context, error: String(error) },
            'could not terminate an aborted backend',
          );
        });
      };
      if (signal.aborted) stop();
      else signal.addEventListener('abort', stop, { once: true });
      return () => {
        signal.removeEventListener('abort', stop);
      };
    },
    async release({ discard }) {
      if (released) return;
      released = true;
      if (!discard) {
        client.removeListener('error', onError);
        client.release();
        return;
      }
      // Close the socket while our error listener is still the client's (once released, the pool
      // re-emits a late error of the client as its own 'error' event), then make sure the backend is gone.
      await closeWithin(client, closeTimeoutMs);
      await terminateBackend(pool, { pid, waitMs: closeTimeoutMs }).catch((error: unknown) => {
        options.logger.warn(
          { ...options.context, error: String(error) },
          'could not confirm the backend of a discarded connection ended',
        );
      });
      client.release(true);
    },
  };
}

import { ReelhouseError, type Logger } from '@reelhouse/core';
import type pg from 'pg';

// One key per warehouse: every DAG run on this warehouse excludes every other.
const runLockKey = 'reelhouse.orchestrator.run';

/** A held advisory lock; `release` unlocks and returns its dedicated connection. */
export interface RunLock {
  release(): Promise<void>;
}

export interface AcquireRunLockOptions {
  /** `exclusive` for a DAG run; `shared` for single task attempts (an external scheduler runs several at once). */
  readonly mode: 'exclusive' | 'shared';
  readonly logger: Logger;
}

/**
 * Takes the warehouse's run lock (`pg_try_advisory_lock`) on a dedicated connection held until
 * `release`, so the lock ends with the process even on SIGKILL. Busy → `lock_unavailable`.
 */
export async function acquireRunLock(
  warehouse: pg.Pool,
  options: AcquireRunLockOptions,
): Promise<RunLock> {
  const client = await warehouse.connect();
  // A lost lock connection must not crash the process; the run itself still reports its own errors.
  const onError = (error: Error) =>
    options.logger.error({ err: error.message }, 'run lock connection lost');
  client.on('error', onError);
  const fn = options.mode === 'exclusive' ? 'pg_try_advisory_lock' : 'pg_try_advisory_lock_shared';
  const unlockFn =
    options.mode === 'exclusive' ? 'pg_advisory_unlock' : 'pg_advisory_unlock_shared';
  try {
    const result = await client.query<{ locked: boolean }>(`select ${fn}(hashtext($1)) as locked`, [
      runLockKey,
    ]);
    if (result.rows[0]?.locked !== true) {
      throw new ReelhouseError({
        code: 'lock_unavailable',
        retryable: false,
        message:
          'Another Reelhouse run holds this warehouse: wait for it to finish (see `pnpm pipeline status`).',
        context: { lock: runLockKey, mode: options.mode },
      });
    }
  } catch (error) {
    client.off('error', onError);
    client.release();
    throw error;
  }
  return {
    release: async () => {
      try {
        await client.query(`select ${unlockFn}(hashtext($1))`, [runLockKey]);
        client.off('error', onError);
        client.release();
      } catch (error) {
        // Destroy the connection: the server then drops the lock with the session.
        client.off('error', onError);
        client.release(error instanceof Error ? error : true);
      }
    },
  };
}

import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

import { classifyError, ReelhouseError, type Logger } from '@reelhouse/core';
import type pg from 'pg';

import { conflictingLeases, isLeaseLive, processAlive, type RunLease } from './run-lease.ts';

// One key per warehouse: every DAG run on this warehouse excludes every other.
const runLockKey = 'reelhouse.orchestrator.run';

/** A held run lock. `lost` aborts when it could not be re-taken after its connection died: the run must stop. */
export interface RunLock {
  readonly lost: AbortSignal;
  /** Names the run on the lease, so a refused newcomer can say who holds the warehouse. */
  claim(runId: string): Promise<void>;
  release(): Promise<void>;
}

export interface AcquireRunLockOptions {
  /** `exclusive` for a DAG run; `shared` for single task attempts (an external scheduler runs several at once). */
  readonly mode: 'exclusive' | 'shared';
  readonly logger: Logger;
  /** How often the lease is renewed on the lock's own connection (default 2 s). */
  readonly heartbeatMs?: number;
  /** A lease of another host unrenewed this long is dead; also how long a lost lock is retried (default 20 s). */
  readonly leaseTtlMs?: number;
}

interface LeaseRow {
  holder: string;
  mode: 'exclusive' | 'shared';
  run_id: string | null;
  host: string;
  pid: number;
  age_ms: number;
}

function busy(mode: string, holders: readonly RunLease[]): ReelhouseError {
  const who = holders
    .map((l) => `run ${l.runId ?? '(starting)'}, pid ${l.pid} on ${l.host}`)
    .join('; ');
  return new ReelhouseError({
    code: 'lock_unavailable',
    retryable: false,
    message: `Another Reelhouse run holds this warehouse${who === '' ? '' : ` (${who})`}: wait for it to finish (see \`pnpm pipeline status\`).`,
    context: { lock: runLockKey, mode, holders: holders.map((l) => l.holder) },
  });
}

/**
 * Takes the warehouse's run lock: `pg_try_advisory_lock` on a dedicated connection plus a lease
 * row in `ops.run_leases` renewed on that connection. A newcomer gets in only when the advisory
 * lock is free and no live lease conflicts, so a holder whose connection was terminated keeps the
 * warehouse while it re-takes the lock on a new connection; if it cannot, `lost` aborts.
 * Busy → `lock_unavailable`.
 */
export async function acquireRunLock(
  warehouse: pg.Pool,
  options: AcquireRunLockOptions,
): Promise<RunLock> {
  const { mode, logger } = options;
  const heartbeatMs = options.heartbeatMs ?? 2_000;
  const ttlMs = options.leaseTtlMs ?? 20_000;
  const holder = randomUUID();
  const host = hostname();
  const lost = new AbortController();
  const lockFn = mode === 'exclusive' ? 'pg_try_advisory_lock' : 'pg_try_advisory_lock_shared';
  const unlockFn = mode === 'exclusive' ? 'pg_advisory_unlock' : 'pg_advisory_unlock_shared';
  let runId: string | null = null;
  let released = false;
  let retaking: Promise<void> | undefined;
  let beating = false;

  const open = async (): Promise<pg.PoolClient> => {
    const client = await warehouse.connect();
    // A dropped lock connection must not crash the process: it starts the re-take.
    client.on('error', (error) => {
      if (client === session) retake(error);
    });
    try {
      const locked = await client.query<{ locked: boolean }>(
        `select ${lockFn}(hashtext($1)) as locked`,
        [runLockKey],
      );
      const { rows } = await client.query<LeaseRow>(
        `select holder, mode, run_id, host, pid,
           (extract(epoch from clock_timestamp() - heartbeat_at) * 1000)::float8 as age_ms
         from ops.run_leases where holder <> $1`,
        [holder],
      );
      const leases: RunLease[] = rows.map((r) => ({
        holder: r.holder,
        mode: r.mode,
        runId: r.run_id,
        host: r.host,
        pid: r.pid,
        ageMs: r.age_ms,
      }));
      const live = (lease: RunLease) => isLeaseLive(lease, { host, ttlMs, pidAlive: processAlive });
      // Held by a session: name the live leases, so the refusal says who holds the warehouse even
      // while a holder whose connection died is still re-taking the lock.
      if (locked.rows[0]?.locked !== true) throw busy(mode, leases.filter(live));
      const dead = leases.filter((lease) => !live(lease)).map((lease) => lease.holder);
      if (dead.length > 0)
        await client.query('delete from ops.run_leases where holder = any($1)', [dead]);
      const conflicts = conflictingLeases(leases, mode, live);
      if (conflicts.length > 0) {
        await client.query(`select ${unlockFn}(hashtext($1))`, [runLockKey]);
        throw busy(mode, conflicts);
      }
      await client.query(
        `insert into ops.run_leases (holder, mode, run_id, host, pid) values ($1, $2, $3, $4, $5)
         on conflict (holder) do update set heartbeat_at = now(), run_id = excluded.run_id`,
        [holder, mode, runId, host, process.pid],
      );
      return client;
    } catch (error) {
      client.release(true);
      throw error;
    }
  };

  let session: pg.PoolClient | undefined = await open();

  const retakeLoop = async (cause: unknown) => {
    const old = session;
    session = undefined;
    old?.release(true);
    logger.warn(
      { err: classifyError(cause).message },
      'run lock connection lost: re-taking the lock on a new connection',
    );
    const deadline = Date.now() + ttlMs;
    let last: unknown = cause;
    while (!released) {
      try {
        session = await open();
        logger.info({}, 'run lock re-taken');
        return;
      } catch (error) {
        last = error;
      }
      if (Date.now() >= deadline) break;
      await sleep(Math.min(heartbeatMs, 500));
    }
    if (released) return;
    const reason = new ReelhouseError({
      code: 'lock_unavailable',
      retryable: false,
      message: `Lost the warehouse's run lock and could not re-take it within ${ttlMs} ms: the run stops so that two runs never overlap (${classifyError(last).message})`,
      context: { lock: runLockKey, mode },
      cause: last,
    });
    logger.error({ err: reason.message }, 'run lock lost');
    lost.abort(reason);
  };
  function retake(cause: unknown) {
    if (released || lost.signal.aborted || retaking !== undefined) return;
    retaking = retakeLoop(cause).finally(() => (retaking = undefined));
  }

  const heartbeat = setInterval(() => {
    const client = session;
    if (beating || client === undefined || released || lost.signal.aborted) return;
    beating = true;
    const stuck = sleep(ttlMs / 2, 'stuck' as const, { ref: false });
    Promise.race([
      client.query('update ops.run_leases set heartbeat_at = now() where holder = $1', [holder]),
      stuck,
    ])
      .then((result) => {
        if (result === 'stuck') retake(new Error('run lock heartbeat got no answer'));
        // Declared dead by a newcomer while unreachable: re-take, which re-checks for conflicts.
        else if (result.rowCount === 0) retake(new Error('run lease expired'));
      })
      .catch((error: unknown) => retake(error))
      .finally(() => (beating = false));
  }, heartbeatMs);
  heartbeat.unref();

  return {
    lost: lost.signal,
    claim: async (id) => {
      runId = id;
      await session
        ?.query('update ops.run_leases set run_id = $2 where holder = $1', [holder, id])
        .catch((error: unknown) => retake(error));
    },
    release: async () => {
      released = true;
      clearInterval(heartbeat);
      await retaking;
      const client = session;
      session = undefined;
      try {
        if (client === undefined) throw new Error('no lock session');
        await client.query('delete from ops.run_leases where holder = $1', [holder]);
        await client.query(`select ${unlockFn}(hashtext($1))`, [runLockKey]);
        client.release();
      } catch (error) {
        // Destroying the connection drops the advisory lock with the session.
        client?.release(error instanceof Error ? error : true);
        await warehouse
          .query('delete from ops.run_leases where holder = $1', [holder])
          .catch(() => undefined);
      }
    },
  };
}

import { hostname } from 'node:os';

import { ReelhouseError, silentLogger } from '@reelhouse/core';
import { usePostgresDatabase } from '@reelhouse/services/testing';
import { createPool } from '@reelhouse/warehouse';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { defineDag, runDag, runTask } from '../src/index.ts';
import { acquireRunLock } from '../src/run-lock.ts';

import { closePool } from './close-pool.ts';

const database = usePostgresDatabase('orchestrator_lock');
let first: pg.Pool;
let second: pg.Pool;

beforeAll(() => {
  // Two pools: two processes as far as the server can tell.
  first = createPool({ url: database.url, max: 3, applicationName: 'rh-lock-first' });
  second = createPool({ url: database.url, max: 3, applicationName: 'rh-lock-second' });
});
afterAll(async () => {
  await closePool(first);
  await closePool(second);
});

function gate() {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

async function rejection(promise: Promise<unknown>): Promise<ReelhouseError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ReelhouseError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('one active run per warehouse', () => {
  it('refuses a second concurrent run with lock_unavailable and leaves the first intact', async () => {
    const started = gate();
    const finish = gate();
    const dag = defineDag({
      dagId: 'locked_dag',
      tasks: {
        hold: {
          async run() {
            started.open();
            await finish.opened;
          },
        },
      },
    });
    const running = runDag(dag, { warehouse: first });
    await started.opened;

    const error = await rejection(runDag(dag, { warehouse: second }));
    expect(error.code).toBe('lock_unavailable');
    expect(error.retryable).toBe(false);
    const taskError = await rejection(
      runTask(dag, { warehouse: second, runId: 'airflow_1', taskId: 'hold' }),
    );
    expect(taskError.code).toBe('lock_unavailable');

    finish.open();
    const result = await running;
    expect(result.state).toBe('success');
    const runs = await first.query('select state from ops.dag_runs order by started_at');
    expect(runs.rows).toEqual([{ state: 'success' }]);
  });

  it('lets single task attempts of an external scheduler share the lock, each recorded as one attempt', async () => {
    const bothRunning = gate();
    let running = 0;
    const work = async () => {
      running += 1;
      if (running === 2) bothRunning.open();
      await bothRunning.opened;
    };
    const dag = defineDag({
      dagId: 'airflow_dag',
      tasks: {
        left: { retries: 3, run: work },
        right: { run: work },
        join: { upstream: ['left', 'right'], run: () => Promise.reject(new Error('boom')) },
      },
    });
    const [left, right] = await Promise.all([
      runTask(dag, { warehouse: first, runId: 'scheduled__1', taskId: 'left' }),
      runTask(dag, { warehouse: second, runId: 'scheduled__1', taskId: 'right' }),
    ]);
    expect([left.state, right.state]).toEqual(['success', 'success']);
    const join = await runTask(dag, { warehouse: first, runId: 'scheduled__1', taskId: 'join' });
    expect(join.state).toBe('failed');
    const joinAgain = await runTask(dag, {
      warehouse: first,
      runId: 'scheduled__1',
      taskId: 'join',
    });
    expect(joinAgain.attempts).toBe(1);

    const attempts = await first.query(
      "select task_id, attempt, state from ops.task_attempts where run_id = 'scheduled__1' order by task_id, attempt",
    );
    expect(attempts.rows).toEqual([
      { task_id: 'join', attempt: 1, state: 'failed' },
      { task_id: 'join', attempt: 2, state: 'failed' },
      { task_id: 'left', attempt: 1, state: 'success' },
      { task_id: 'right', attempt: 1, state: 'success' },
    ]);
    const run = await first.query("select state from ops.dag_runs where run_id = 'scheduled__1'");
    expect(run.rows).toEqual([{ state: 'failed' }]);
  });
});

const terminate = (pool: pg.Pool | pg.PoolClient, applicationName: string) =>
  pool.query(
    `select pg_terminate_backend(pid) from pg_stat_activity
     where datname = current_database() and application_name = $1`,
    [applicationName],
  );

describe('issue 12: the run lock survives connection loss', () => {
  it('re-takes the lock on a new connection after every backend of the run is terminated; a second run is refused meanwhile and the first ends success', async () => {
    const started = gate();
    const finish = gate();
    const dag = defineDag({
      dagId: 'lease_dag',
      tasks: {
        hold: {
          async run() {
            started.open();
            await finish.opened;
          },
        },
      },
    });
    const running = runDag(dag, { warehouse: first, lease: { heartbeatMs: 100 } });
    await started.opened;
    await terminate(second, 'rh-lock-first');

    // The advisory lock went with its session; the live holder's lease still keeps others out.
    const error = await rejection(runDag(dag, { warehouse: second }));
    expect(error.code).toBe('lock_unavailable');
    expect(error.message).toContain(`pid ${process.pid}`);
    await expect
      .poll(async () => {
        const { rows } = await second.query<{ n: number }>(
          `select count(*)::int as n from pg_locks l join pg_stat_activity a using (pid)
           where l.locktype = 'advisory' and a.application_name = 'rh-lock-first'`,
        );
        return rows[0]?.n;
      })
      .toBe(1);
    expect((await rejection(runDag(dag, { warehouse: second }))).code).toBe('lock_unavailable');

    finish.open();
    expect((await running).state).toBe('success');
    expect((await second.query('select * from ops.run_leases')).rows).toEqual([]);
    expect((await runDag(dag, { warehouse: second })).state).toBe('success');
  });

  it('stops the run as failed when the lock cannot be re-taken within the lease TTL', async () => {
    const started = gate();
    const dag = defineDag({
      dagId: 'lost_dag',
      tasks: {
        hold: {
          run: ({ signal }) =>
            new Promise<void>((_resolve, reject) => {
              started.open();
              signal.addEventListener('abort', () => reject(new Error('aborted')), {
                once: true,
              });
            }),
        },
        after: { upstream: ['hold'], run: () => Promise.resolve() },
      },
    });
    const running = runDag(dag, {
      warehouse: first,
      lease: { heartbeatMs: 100, leaseTtlMs: 1_000 },
    });
    await started.opened;
    // Another session takes the advisory lock the moment the holder's is gone, and keeps it.
    const intruder = await second.connect();
    await terminate(intruder, 'rh-lock-first');
    await intruder.query(`select pg_advisory_lock(hashtext('reelhouse.orchestrator.run'))`);
    const result = await running;
    intruder.release(true);
    expect(result.state).toBe('failed');
    expect(result.tasks.hold.state).toBe('interrupted');
    expect(result.tasks.after.state).toBe('queued');
    const run = await second.query('select state from ops.dag_runs where run_id = $1', [
      result.runId,
    ]);
    expect(run.rows).toEqual([{ state: 'failed' }]);
  });

  it('admits a newcomer over a lease whose process is gone from this host, or whose other host stopped renewing it', async () => {
    const lock = await acquireRunLock(first, { mode: 'exclusive', logger: silentLogger });
    await lock.release();
    await first.query(
      `insert into ops.run_leases (holder, mode, run_id, host, pid, heartbeat_at) values
         ('gone-here', 'exclusive', 'r1', $1, 2147483646, now()),
         ('silent-there', 'exclusive', 'r2', 'another-host', 1, now() - interval '1 hour')`,
      [hostname()],
    );
    const taken = await acquireRunLock(second, { mode: 'exclusive', logger: silentLogger });
    const holders = await first.query<{ holder: string }>('select holder from ops.run_leases');
    expect(holders.rows.map((r) => r.holder)).not.toContain('gone-here');
    expect(holders.rows).toHaveLength(1);
    await taken.release();

    await first.query(
      `insert into ops.run_leases (holder, mode, run_id, host, pid) values
         ('alive-there', 'exclusive', 'r3', 'another-host', 1)`,
    );
    const refused = await rejection(
      acquireRunLock(second, { mode: 'shared', logger: silentLogger }),
    );
    expect(refused.message).toContain('run r3, pid 1 on another-host');
    await first.query('delete from ops.run_leases');
  });
});

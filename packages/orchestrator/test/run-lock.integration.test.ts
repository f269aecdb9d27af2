import { ReelhouseError } from '@reelhouse/core';
import { usePostgresDatabase } from '@reelhouse/services/testing';
import { createPool } from '@reelhouse/warehouse';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { defineDag, runDag, runTask } from '../src/index.ts';

import { closePool } from './close-pool.ts';

const database = usePostgresDatabase('orchestrator_lock');
let first: pg.Pool;
let second: pg.Pool;

beforeAll(() => {
  // Two pools: two processes as far as the server can tell.
  first = createPool({ url: database.url, max: 3 });
  second = createPool({ url: database.url, max: 3 });
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

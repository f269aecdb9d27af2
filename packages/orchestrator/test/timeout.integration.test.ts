import { usePostgresDatabase } from '@reelhouse/services/testing';
import { createPool } from '@reelhouse/warehouse';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { defineDag, runDag, type TaskContext } from '../src/index.ts';

import { closePool } from './close-pool.ts';

const database = usePostgresDatabase('orchestrator_timeout');
let warehouse: pg.Pool;
let tasks: pg.Pool;

beforeAll(() => {
  warehouse = createPool({ url: database.url, max: 3 });
  tasks = createPool({ url: database.url, max: 3, applicationName: 'rh-timeout-probe' });
});
afterAll(async () => {
  await closePool(tasks);
  await closePool(warehouse);
});

/** A driver call that honours the signal the way the step packages do: cancel the backend on abort. */
async function sleepQuery(signal: AbortSignal, seconds: number): Promise<void> {
  const client = await tasks.connect();
  try {
    const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
    const cancel = () => void tasks.query('select pg_cancel_backend($1)', [rows[0]!.pid]);
    signal.addEventListener('abort', cancel, { once: true });
    try {
      // An abort before the listener existed would otherwise leave the sleep uncancelled.
      signal.throwIfAborted();
      await client.query(`select pg_sleep(${seconds}) /* rh_sleep_probe */`);
    } finally {
      signal.removeEventListener('abort', cancel);
    }
  } finally {
    client.release();
  }
}

const activeProbes = async () =>
  (
    await tasks.query<{ n: number }>(
      "select count(*)::int as n from pg_stat_activity where query like '%rh_sleep_probe%' and state = 'active' and pid <> pg_backend_pid()",
    )
  ).rows[0]!.n;

describe('attempt timeout', () => {
  it('aborts the running query, which is gone from pg_stat_activity before the next attempt starts', async () => {
    const timeline: string[] = [];
    let probesSeenBySecondAttempt = -1;
    const dag = defineDag({
      dagId: 'timeout_dag',
      tasks: {
        slow: {
          retries: 1,
          retryDelayMs: 1,
          timeoutMs: 1_000,
          async run({ attempt, signal }: TaskContext) {
            timeline.push(`attempt ${attempt} started`);
            if (attempt === 1) {
              try {
                await sleepQuery(signal, 30);
              } finally {
                timeline.push('attempt 1 settled');
              }
            } else {
              probesSeenBySecondAttempt = await activeProbes();
            }
          },
        },
      },
    });
    const result = await runDag(dag, { warehouse, random: () => 0 });

    expect(result.state).toBe('success');
    expect(timeline).toEqual(['attempt 1 started', 'attempt 1 settled', 'attempt 2 started']);
    expect(probesSeenBySecondAttempt).toBe(0);
    const attempts = await warehouse.query(
      'select attempt, state, error_code, retryable from ops.task_attempts where run_id = $1 order by attempt',
      [result.runId],
    );
    expect(attempts.rows).toEqual([
      { attempt: 1, state: 'up_for_retry', error_code: 'timeout', retryable: true },
      { attempt: 2, state: 'success', error_code: null, retryable: null },
    ]);
  });

  it('fails without retry an attempt that ignores its abort, so two attempts never overlap', async () => {
    let starts = 0;
    let release: () => void = () => undefined;
    const ignored = new Promise<void>((resolve) => (release = resolve));
    const dag = defineDag({
      dagId: 'stuck_dag',
      tasks: {
        deaf: {
          retries: 3,
          retryDelayMs: 1,
          timeoutMs: 50,
          async run() {
            starts += 1;
            await ignored;
          },
        },
      },
    });
    const result = await runDag(dag, { warehouse, abortGraceMs: 100 });
    release();

    expect(result.state).toBe('failed');
    expect(starts).toBe(1);
    expect(result.tasks.deaf.result?.error?.message).toBe(
      'attempt did not stop within 100 ms of its abort; not retried so that two attempts never overlap',
    );
  });
});

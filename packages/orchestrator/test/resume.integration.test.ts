import { ReelhouseError } from '@reelhouse/core';
import { usePostgresDatabase } from '@reelhouse/services/testing';
import { createPool } from '@reelhouse/warehouse';
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { defineDag, runDag } from '../src/index.ts';

import { closePool } from './close-pool.ts';

const database = usePostgresDatabase('orchestrator_resume');
let warehouse: pg.Pool;

beforeAll(() => {
  warehouse = createPool({ url: database.url, max: 3 });
});
afterAll(async () => {
  await closePool(warehouse);
});
beforeEach(async () => {
  await warehouse.query('drop schema if exists ops cascade');
});

// extract -> transform -> report, plus an independent side task; `failing` makes transform fail.
const calls: string[] = [];
let failing = false;
const record = (id: string) => () => {
  calls.push(id);
  return Promise.resolve();
};
const dag = defineDag({
  dagId: 'resume_dag',
  tasks: {
    extract: { run: record('extract') },
    transform: {
      upstream: ['extract'],
      run() {
        calls.push('transform');
        return failing
          ? Promise.reject(
              new ReelhouseError({
                code: 'data_test_failed',
                message: 'dim_user: 3 duplicate keys',
              }),
            )
          : Promise.resolve();
      },
    },
    report: { upstream: ['transform'], run: record('report') },
    side: { run: record('side') },
  },
});
const statesOf = async (runId: string) =>
  Object.fromEntries(
    (
      await warehouse.query<{ task_id: string; state: string }>(
        'select task_id, state from ops.task_runs where run_id = $1',
        [runId],
      )
    ).rows.map((r) => [r.task_id, r.state]),
  );

async function failedRun(): Promise<string> {
  failing = true;
  calls.length = 0;
  const result = await runDag(dag, { warehouse, params: { seed: 7 } });
  failing = false;
  calls.length = 0;
  return result.runId;
}

describe('resume, from and only', () => {
  it('resume reruns the failed part of the latest run under the same run id, skipping tasks already successful', async () => {
    const runId = await failedRun();
    const result = await runDag(dag, { warehouse, resume: true });

    expect(result.runId).toBe(runId);
    expect(result.state).toBe('success');
    expect(calls).toEqual(['transform', 'report']);
    const attempts = await warehouse.query(
      "select attempt, state from ops.task_attempts where run_id = $1 and task_id = 'transform' order by attempt",
      [runId],
    );
    expect(attempts.rows).toEqual([
      { attempt: 1, state: 'failed' },
      { attempt: 2, state: 'success' },
    ]);
    expect(
      (await warehouse.query('select count(*)::int as n, min(state) as state from ops.dag_runs'))
        .rows,
    ).toEqual([{ n: 1, state: 'success' }]);
  });

  it('resume keeps the params the run started with and refuses different ones', async () => {
    const runId = await failedRun();
    const seen: unknown[] = [];
    const paramsDag = defineDag({
      dagId: 'resume_dag',
      tasks: {
        ...dag.tasks,
        report: {
          upstream: ['transform'],
          run: ({ params }) => Promise.resolve(void seen.push(params)),
        },
      },
    });
    await expect(
      runDag(paramsDag, { warehouse, resume: true, params: { seed: 8 } }),
    ).rejects.toThrow(`Run ${runId} was started with params {"seed":7}`);
    await runDag(paramsDag, { warehouse, resume: true });
    expect(seen).toEqual([{ seed: 7 }]);
  });

  it('issue 12: from starts a new run of a task and its downstream, reusing the rest and leaving the finished run unchanged', async () => {
    const first = await runDag(dag, { warehouse });
    const before = await warehouse.query('select * from ops.dag_runs');
    calls.length = 0;
    const result = await runDag(dag, { warehouse, from: 'transform' });
    expect(result.runId).not.toBe(first.runId);
    expect(result.state).toBe('success');
    expect(calls).toEqual(['transform', 'report']);
    expect(await statesOf(result.runId)).toEqual({
      extract: 'success',
      transform: 'success',
      report: 'success',
      side: 'success',
    });
    const after = await warehouse.query('select * from ops.dag_runs where run_id = $1', [
      first.runId,
    ]);
    expect(after.rows).toEqual(before.rows);
  });

  it('only runs one task whose upstream succeeded, and refuses one whose upstream did not', async () => {
    const runId = await failedRun();
    await expect(runDag(dag, { warehouse, only: 'report' })).rejects.toThrow(
      "Cannot run only 'report': upstream not successful: transform (failed)",
    );
    const result = await runDag(dag, { warehouse, only: 'transform' });
    expect(calls).toEqual(['transform']);
    expect(result.runId).not.toBe(runId);
    expect(await statesOf(runId)).toMatchObject({ transform: 'failed' });
    expect(await statesOf(result.runId)).toEqual({
      extract: 'success',
      transform: 'success',
      report: 'upstream_failed',
      side: 'success',
    });
    expect(result.state).toBe('failed');
  });

  it('an unknown task name or a missing run is a clear error', async () => {
    await expect(runDag(dag, { warehouse, from: 'transfrom' })).rejects.toThrow(
      "--from: unknown task 'transfrom'",
    );
    await expect(runDag(dag, { warehouse, only: 'transform' })).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('issue 12: resume with no run to resume, or after a success, starts a new run', async () => {
    const first = await runDag(dag, { warehouse, resume: true });
    expect(first.state).toBe('success');
    const second = await runDag(dag, { warehouse, resume: true });
    expect(second.runId).not.toBe(first.runId);
    expect(second.state).toBe('success');
    expect((await warehouse.query('select state from ops.dag_runs')).rows).toEqual([
      { state: 'success' },
      { state: 'success' },
    ]);
  });
});

describe('interruption', () => {
  it('an aborted run stops scheduling, records running attempts interrupted, and resumes to success', async () => {
    const controller = new AbortController();
    const interruptible = defineDag({
      dagId: 'interrupt_dag',
      tasks: {
        long: {
          run: ({ signal }) =>
            new Promise<void>((resolve, reject) => {
              if (calls.length > 0) return resolve();
              calls.push('long');
              signal.addEventListener('abort', () => reject(signal.reason as Error), {
                once: true,
              });
              controller.abort(new Error('SIGTERM'));
            }),
        },
        next: { upstream: ['long'], run: record('next') },
      },
    });
    calls.length = 0;
    const interrupted = await runDag(interruptible, { warehouse, signal: controller.signal });
    expect(interrupted.state).toBe('interrupted');
    expect(await statesOf(interrupted.runId)).toEqual({ long: 'interrupted', next: 'queued' });
    expect(
      (
        await warehouse.query('select state, error_code from ops.task_attempts where run_id = $1', [
          interrupted.runId,
        ])
      ).rows,
    ).toEqual([{ state: 'interrupted', error_code: 'aborted' }]);

    const resumed = await runDag(interruptible, { warehouse, resume: true });
    expect(resumed.state).toBe('success');
    expect(calls).toEqual(['long', 'next']);
  });

  it('marks runs left running by a killed process as interrupted before the next run', async () => {
    await runDag(dag, { warehouse });
    await warehouse.query("update ops.dag_runs set state = 'running'");
    await warehouse.query("update ops.task_runs set state = 'running' where task_id = 'report'");
    calls.length = 0;
    const next = await runDag(dag, { warehouse, resume: true });
    expect(next.state).toBe('success');
    expect(calls).toEqual(['report']);
    expect((await warehouse.query('select count(*)::int as n from ops.dag_runs')).rows).toEqual([
      { n: 1 },
    ]);
  });

  it('leaves alone a run an external scheduler drives between its tasks (running, no task in flight)', async () => {
    const first = await runDag(dag, { warehouse });
    await warehouse.query("update ops.dag_runs set state = 'running'");
    await warehouse.query("update ops.task_runs set state = 'queued' where task_id = 'report'");
    await runDag(dag, { warehouse });
    const states = await warehouse.query('select state from ops.dag_runs where run_id = $1', [
      first.runId,
    ]);
    expect(states.rows).toEqual([{ state: 'running' }]);
  });
});

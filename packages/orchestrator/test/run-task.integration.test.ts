import { ReelhouseError } from '@reelhouse/core';
import { usePostgresDatabase } from '@reelhouse/services/testing';
import { createPool } from '@reelhouse/warehouse';
import type pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { defineDag, runTask } from '../src/index.ts';

import { closePool } from './close-pool.ts';

const database = usePostgresDatabase('orchestrator_task');
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

// load -> extract -> transform -> report (all_done), the pipeline's shape in small.
const calls: string[] = [];
let loadFails = false;
const dag = defineDag({
  dagId: 'external_dag',
  tasks: {
    load: {
      run: () => {
        calls.push('load');
        return loadFails
          ? Promise.reject(new ReelhouseError({ code: 'file_malformed', message: 'bad csv' }))
          : Promise.resolve();
      },
    },
    extract: { upstream: ['load'], run: () => Promise.resolve(void calls.push('extract')) },
    transform: { upstream: ['extract'], run: () => Promise.resolve(void calls.push('transform')) },
    report: {
      upstream: ['transform'],
      triggerRule: 'all_done',
      run: () => Promise.resolve(void calls.push('report')),
    },
  },
});
const runState = async (runId: string) =>
  (
    await warehouse.query<{ state: string }>('select state from ops.dag_runs where run_id = $1', [
      runId,
    ])
  ).rows;
const task = (runId: string, taskId: string) => runTask(dag, { warehouse, runId, taskId });

describe('issue 12: tasks of one run, each in its own call, as Airflow runs them', () => {
  it('end the run success with the last task, whichever call ran it', async () => {
    calls.length = 0;
    for (const id of ['load', 'extract', 'transform']) {
      expect((await task('r_ok', id)).state).toBe('success');
      expect(await runState('r_ok')).toEqual([{ state: 'running' }]);
    }
    expect((await task('r_ok', 'report')).state).toBe('success');
    expect(await runState('r_ok')).toEqual([{ state: 'success' }]);
    expect(calls).toEqual(['load', 'extract', 'transform', 'report']);
  });

  it('refuse a task whose upstream has not run, naming it, and record nothing', async () => {
    calls.length = 0;
    const result = await task('r_early', 'extract');
    expect(result.state).toBe('queued');
    expect(result.error?.message).toBe(
      'Task extract of run r_early not run: its trigger rule all_success is not met by its upstream: load (not run)',
    );
    expect(calls).toEqual([]);
    expect(await runState('r_early')).toEqual([]);
  });

  it('refuse extract after a failed load without running it; the run fails once report ran', async () => {
    loadFails = true;
    calls.length = 0;
    expect((await task('r_bad', 'load')).state).toBe('failed');
    loadFails = false;
    const extract = await task('r_bad', 'extract');
    expect(extract.state).toBe('upstream_failed');
    expect(extract.error?.message).toContain('load (failed)');
    expect(await runState('r_bad')).toEqual([{ state: 'running' }]);
    expect((await task('r_bad', 'report')).state).toBe('success');
    expect(calls).toEqual(['load', 'report']);
    expect(await runState('r_bad')).toEqual([{ state: 'failed' }]);
    const states = await warehouse.query(
      "select task_id, state from ops.task_runs where run_id = 'r_bad' order by task_id",
    );
    expect(states.rows).toEqual([
      { task_id: 'extract', state: 'upstream_failed' },
      { task_id: 'load', state: 'failed' },
      { task_id: 'report', state: 'success' },
      { task_id: 'transform', state: 'upstream_failed' },
    ]);
  });
});

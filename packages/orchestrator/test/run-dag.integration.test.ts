import { createMemoryLogger, ReelhouseError } from '@reelhouse/core';
import { usePostgresDatabase } from '@reelhouse/services/testing';
import { createPool } from '@reelhouse/warehouse';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { defineDag, runDag, type DagEvent } from '../src/index.ts';

import { closePool } from './close-pool.ts';

const database = usePostgresDatabase('orchestrator_run');
let warehouse: pg.Pool;
let tasks: pg.Pool;

beforeAll(() => {
  warehouse = createPool({ url: database.url, max: 4, applicationName: 'rh-history' });
  tasks = createPool({ url: database.url, max: 4, applicationName: 'rh-tasks' });
});
afterAll(async () => {
  await closePool(tasks);
  await closePool(warehouse);
});

const attemptsOf = async (runId: string) =>
  (
    await warehouse.query<{
      task_id: string;
      attempt: number;
      state: string;
      error_code: string | null;
      retryable: boolean | null;
    }>(
      'select task_id, attempt, state, error_code, retryable from ops.task_attempts where run_id = $1 order by task_id, attempt',
      [runId],
    )
  ).rows;
const taskStatesOf = async (runId: string) =>
  Object.fromEntries(
    (
      await warehouse.query<{ task_id: string; state: string }>(
        'select task_id, state from ops.task_runs where run_id = $1',
        [runId],
      )
    ).rows.map((r) => [r.task_id, r.state]),
  );

// Real server errors: SQLSTATE 40001 is retryable, division by zero (22012) is not.
const serializationFailure = `do $$ begin raise exception 'could not serialize access' using errcode = '40001'; end $$`;

describe('runDag retries', () => {
  it('retries a task failing twice with a retryable error: success with three attempts recorded', async () => {
    let calls = 0;
    const dag = defineDag({
      dagId: 'retry_dag',
      tasks: {
        flaky: {
          retries: 3,
          retryDelayMs: 5,
          async run() {
            calls += 1;
            if (calls <= 2) await tasks.query(serializationFailure);
          },
        },
        after: { upstream: ['flaky'], run: () => Promise.resolve() },
      },
    });
    const events: DagEvent[] = [];
    const result = await runDag(dag, {
      warehouse,
      onEvent: (e) => events.push(e),
      random: () => 0,
    });

    expect(result.state).toBe('success');
    expect(result.tasks.flaky.result?.attempts).toBe(3);
    expect(await attemptsOf(result.runId)).toEqual([
      { task_id: 'after', attempt: 1, state: 'success', error_code: null, retryable: null },
      {
        task_id: 'flaky',
        attempt: 1,
        state: 'up_for_retry',
        error_code: 'serialization_conflict',
        retryable: true,
      },
      {
        task_id: 'flaky',
        attempt: 2,
        state: 'up_for_retry',
        error_code: 'serialization_conflict',
        retryable: true,
      },
      { task_id: 'flaky', attempt: 3, state: 'success', error_code: null, retryable: null },
    ]);
    const flakyStates = events.flatMap((e) =>
      e.type === 'task_state' && e.taskId === 'flaky' ? [e.state] : [],
    );
    expect(flakyStates).toEqual([
      'running',
      'up_for_retry',
      'running',
      'up_for_retry',
      'running',
      'success',
    ]);
  });

  it('fails a non-retryable error at once, marks its downstream upstream_failed and keeps independent branches running', async () => {
    let brokenCalls = 0;
    let independentRan = false;
    const dag = defineDag({
      dagId: 'failing_dag',
      tasks: {
        broken: {
          retries: 5,
          retryDelayMs: 5,
          async run() {
            brokenCalls += 1;
            await tasks.query('select 1 / 0');
          },
        },
        downstream: { upstream: ['broken'], run: () => Promise.resolve() },
        further: { upstream: ['downstream'], run: () => Promise.resolve() },
        independent: {
          async run() {
            independentRan = true;
            return Promise.resolve();
          },
        },
        cleanup: { upstream: ['broken'], triggerRule: 'all_done', run: () => Promise.resolve() },
      },
    });
    const result = await runDag(dag, { warehouse });

    expect(result.state).toBe('failed');
    expect(brokenCalls).toBe(1);
    expect(independentRan).toBe(true);
    expect(await taskStatesOf(result.runId)).toEqual({
      broken: 'failed',
      downstream: 'upstream_failed',
      further: 'upstream_failed',
      independent: 'success',
      cleanup: 'success',
    });
    expect(await attemptsOf(result.runId)).toContainEqual({
      task_id: 'broken',
      attempt: 1,
      state: 'failed',
      error_code: 'invalid_input',
      retryable: false,
    });
    const run = await warehouse.query<{ state: string; finished: boolean }>(
      'select state, finished_at is not null as finished from ops.dag_runs where run_id = $1',
      [result.runId],
    );
    expect(run.rows).toEqual([{ state: 'failed', finished: true }]);
  });
});

describe('run history', () => {
  it('keeps the failure record of a task whose own transaction rolled back', async () => {
    await tasks.query('create table if not exists public.rollback_probe (id int)');
    const dag = defineDag({
      dagId: 'rollback_dag',
      tasks: {
        writer: {
          async run() {
            const client = await tasks.connect();
            try {
              await client.query('begin');
              await client.query('insert into public.rollback_probe values (1)');
              throw new ReelhouseError({
                code: 'contract_violation',
                message: 'bad rows in the batch',
              });
            } finally {
              await client.query('rollback');
              client.release();
            }
          },
        },
      },
    });
    const result = await runDag(dag, { warehouse });

    expect(
      (await tasks.query('select count(*)::int as n from public.rollback_probe')).rows,
    ).toEqual([{ n: 0 }]);
    const attempts = await warehouse.query(
      'select state, error_code, error_message from ops.task_attempts where run_id = $1',
      [result.runId],
    );
    expect(attempts.rows).toEqual([
      { state: 'failed', error_code: 'contract_violation', error_message: 'bad rows in the batch' },
    ]);
  });

  it('records the rows and materializations a task reports, and skipped tasks', async () => {
    const dag = defineDag({
      dagId: 'materialize_dag',
      tasks: {
        build: {
          run: () =>
            Promise.resolve({
              step: 'build',
              rowsRead: 10,
              rowsWritten: 7,
              rowsRejected: 3,
              durationMs: 1,
              warnings: [],
              materializations: [
                { asset: 'trusted.dim_user', rows: 7, metadata: { kind: 'table' } },
              ],
            }),
        },
        maybe: {
          upstream: ['build'],
          run: () => Promise.resolve({ skipped: true as const, reason: 'nothing new' }),
        },
        after_skip: { upstream: ['maybe'], run: () => Promise.resolve() },
        tolerant: { upstream: ['maybe'], triggerRule: 'none_failed', run: () => Promise.resolve() },
      },
    });
    const result = await runDag(dag, { warehouse });

    expect(result.state).toBe('success');
    expect(await taskStatesOf(result.runId)).toEqual({
      build: 'success',
      maybe: 'skipped',
      after_skip: 'skipped',
      tolerant: 'success',
    });
    const rows = await warehouse.query(
      'select task_id, rows from ops.task_runs where run_id = $1 and task_id = $2',
      [result.runId, 'build'],
    );
    expect(rows.rows).toEqual([{ task_id: 'build', rows: 7 }]);
    const materializations = await warehouse.query(
      'select task_id, asset, rows, metadata from ops.materializations where run_id = $1',
      [result.runId],
    );
    expect(materializations.rows).toEqual([
      { task_id: 'build', asset: 'trusted.dim_user', rows: 7, metadata: { kind: 'table' } },
    ]);
  });
});

describe('structured logs', () => {
  it("binds run_id, task_id and attempt to every line, including the task's own", async () => {
    const logger = createMemoryLogger();
    const dag = defineDag({
      dagId: 'log_dag',
      tasks: {
        chatty: {
          run: ({ logger: taskLogger }) => {
            taskLogger.info({ rows: 3 }, 'copied rows');
            return Promise.resolve();
          },
        },
      },
    });
    const result = await runDag(dag, { warehouse, logger });
    const own = logger.records.find((r) => r.message === 'copied rows');
    expect(own?.fields).toEqual({
      run_id: result.runId,
      dag_id: 'log_dag',
      task_id: 'chatty',
      attempt: 1,
      rows: 3,
    });
    expect(logger.records.map((r) => r.message)).toEqual([
      'run started',
      'attempt started',
      'copied rows',
      'task succeeded',
      'run finished',
    ]);
  });
});

describe('pools', () => {
  it('never runs more tasks of a pool than its slots', async () => {
    let active = 0;
    let peak = 0;
    const work = async () => {
      active += 1;
      peak = Math.max(peak, active);
      await tasks.query('select pg_sleep(0.05)');
      active -= 1;
    };
    const dag = defineDag({
      dagId: 'pool_dag',
      pools: { source_db: 1 },
      tasks: {
        one: { pool: 'source_db', run: work },
        two: { pool: 'source_db', run: work },
        three: { pool: 'source_db', run: work },
      },
    });
    const result = await runDag(dag, { warehouse });
    expect(result.state).toBe('success');
    expect(peak).toBe(1);
  });
});

import { hostname } from 'node:os';
import type { ReelhouseError } from '@reelhouse/core';
import {
  createKysely,
  type OpsDagRun,
  type OpsSchema,
  type OpsTaskRun,
  type RunState,
  type RunType,
  type TaskState,
} from '@reelhouse/warehouse';
import type { Kysely } from 'kysely';
import type pg from 'pg';

import { reconnecting } from './reconnecting.ts';
import type { Materialization } from './task-spec.ts';

export interface TaskStateChange {
  readonly state: TaskState;
  readonly startedAt?: Date | null;
  readonly finishedAt?: Date | null;
  readonly durationMs?: number | null;
  readonly rows?: number | null;
  readonly error?: string | null;
  readonly tryNumber?: number;
}

export interface AttemptRecord {
  readonly runId: string;
  readonly taskId: string;
  readonly attempt: number;
}

/** Everything the engine writes to `ops`. Each call is its own statement on the pool, outside any task's transaction. */
export interface RunHistory {
  findRun(runId: string): Promise<OpsDagRun | undefined>;
  latestRun(dagId: string): Promise<OpsDagRun | undefined>;
  taskRuns(runId: string): Promise<OpsTaskRun[]>;
  /** Inserts the run (state `running`) and any missing task rows as `queued`; an existing run is reopened. */
  openRun(options: {
    runId: string;
    dagId: string;
    params: Readonly<Record<string, unknown>>;
    taskIds: readonly string[];
    /** Kept from the run's first opening when omitted later. */
    logicalDate?: string | undefined;
    runType?: RunType | undefined;
  }): Promise<void>;
  finishRun(runId: string, state: RunState): Promise<void>;
  /** Marks `running` runs with a task in flight interrupted: called under the exclusive run lock, so their processes are gone. */
  interruptStaleRuns(): Promise<number>;
  setTaskState(runId: string, taskId: string, change: TaskStateChange): Promise<void>;
  startAttempt(record: AttemptRecord & { startedAt: Date }): Promise<void>;
  finishAttempt(
    record: AttemptRecord & { state: TaskState; finishedAt: Date; error?: ReelhouseError },
  ): Promise<void>;
  recordMaterializations(record: {
    runId: string;
    taskId: string;
    materializations: readonly Materialization[];
  }): Promise<void>;
}

const unfinishedTaskStates: readonly TaskState[] = ['running', 'up_for_retry'];

function withReconnect(history: RunHistory): RunHistory {
  const wrapped: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(history) as [
    string,
    (...a: unknown[]) => Promise<unknown>,
  ][])
    wrapped[name] = (...args: unknown[]) => reconnecting(() => method(...args));
  return wrapped as unknown as RunHistory;
}

/**
 * Builds the `ops` writer over the history pool (the pool stays the caller's: it is never ended
 * here); a statement that loses its connection is retried on a new one.
 */
export function createRunHistory(warehouse: pg.Pool): RunHistory {
  const db: Kysely<OpsSchema> = createKysely<OpsSchema>(warehouse);
  return withReconnect({
    findRun: (runId) =>
      db.selectFrom('ops.dag_runs').selectAll().where('run_id', '=', runId).executeTakeFirst(),
    latestRun: (dagId) =>
      db
        .selectFrom('ops.dag_runs')
        .selectAll()
        .where('dag_id', '=', dagId)
        .orderBy('started_at', 'desc')
        .limit(1)
        .executeTakeFirst(),
    taskRuns: (runId) =>
      db.selectFrom('ops.task_runs').selectAll().where('run_id', '=', runId).execute(),
    openRun: async ({ runId, dagId, params, taskIds, logicalDate, runType }) => {
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('ops.dag_runs')
          .values({
            run_id: runId,
            dag_id: dagId,
            state: 'running',
            params: JSON.stringify(params),
            started_at: new Date(),
            finished_at: null,
            host: hostname(),
            pid: process.pid,
            logical_date: logicalDate ?? null,
            run_type: runType ?? 'manual',
          })
          .onConflict((oc) =>
            oc.column('run_id').doUpdateSet({
              state: 'running',
              finished_at: null,
              host: hostname(),
              pid: process.pid,
            }),
          )
          .execute();
        await trx
          .insertInto('ops.task_runs')
          .values(
            taskIds.map((taskId) => ({
              run_id: runId,
              task_id: taskId,
              state: 'queued' as const,
              try_number: 0,
              started_at: null,
              finished_at: null,
              duration_ms: null,
              rows: null,
              error: null,
            })),
          )
          .onConflict((oc) => oc.columns(['run_id', 'task_id']).doNothing())
          .execute();
      });
    },
    finishRun: async (runId, state) => {
      await db
        .updateTable('ops.dag_runs')
        .set({ state, finished_at: new Date() })
        .where('run_id', '=', runId)
        .execute();
    },
    interruptStaleRuns: async () =>
      db.transaction().execute(async (trx) => {
        const stale = await trx
          .updateTable('ops.dag_runs')
          .set({ state: 'interrupted', finished_at: new Date() })
          .where('state', '=', 'running')
          // Only runs caught inside a task: a run an external scheduler drives task by task sits
          // `running` between its tasks with no process, and is not stale.
          .where((eb) =>
            eb.exists(
              eb
                .selectFrom('ops.task_runs as t')
                .select('t.task_id')
                .whereRef('t.run_id', '=', 'ops.dag_runs.run_id')
                .where('t.state', 'in', unfinishedTaskStates),
            ),
          )
          .returning('run_id')
          .execute();
        const runIds = stale.map((row) => row.run_id);
        if (runIds.length === 0) return 0;
        await trx
          .updateTable('ops.task_runs')
          .set({ state: 'interrupted' })
          .where('run_id', 'in', runIds)
          .where('state', 'in', unfinishedTaskStates)
          .execute();
        await trx
          .updateTable('ops.task_attempts')
          .set({ state: 'interrupted' })
          .where('run_id', 'in', runIds)
          .where('state', 'in', unfinishedTaskStates)
          .execute();
        return runIds.length;
      }),
    setTaskState: async (runId, taskId, change) => {
      await db
        .updateTable('ops.task_runs')
        .set({
          state: change.state,
          ...(change.startedAt === undefined ? {} : { started_at: change.startedAt }),
          ...(change.finishedAt === undefined ? {} : { finished_at: change.finishedAt }),
          ...(change.durationMs === undefined ? {} : { duration_ms: change.durationMs }),
          ...(change.rows === undefined ? {} : { rows: change.rows }),
          ...(change.error === undefined ? {} : { error: change.error }),
          ...(change.tryNumber === undefined ? {} : { try_number: change.tryNumber }),
        })
        .where('run_id', '=', runId)
        .where('task_id', '=', taskId)
        .execute();
    },
    startAttempt: async ({ runId, taskId, attempt, startedAt }) => {
      await db
        .insertInto('ops.task_attempts')
        .values({
          run_id: runId,
          task_id: taskId,
          attempt,
          state: 'running',
          started_at: startedAt,
          finished_at: null,
          error_code: null,
          error_message: null,
          retryable: null,
        })
        // A retried insert whose first try did commit.
        .onConflict((oc) =>
          oc
            .columns(['run_id', 'task_id', 'attempt'])
            .doUpdateSet({ state: 'running', started_at: startedAt }),
        )
        .execute();
    },
    finishAttempt: async ({ runId, taskId, attempt, state, finishedAt, error }) => {
      await db
        .updateTable('ops.task_attempts')
        .set({
          state,
          finished_at: finishedAt,
          error_code: error?.code ?? null,
          error_message: error?.message ?? null,
          retryable: error?.retryable ?? null,
        })
        .where('run_id', '=', runId)
        .where('task_id', '=', taskId)
        .where('attempt', '=', attempt)
        .execute();
    },
    recordMaterializations: async ({ runId, taskId, materializations }) => {
      if (materializations.length === 0) return;
      await db
        .insertInto('ops.materializations')
        .values(
          materializations.map((m) => ({
            run_id: runId,
            task_id: taskId,
            asset: m.asset,
            rows: m.rows,
            metadata: JSON.stringify(m.metadata ?? {}),
          })),
        )
        .execute();
    },
  });
}

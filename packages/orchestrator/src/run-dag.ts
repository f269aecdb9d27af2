import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';

import { ReelhouseError, silentLogger, type Logger } from '@reelhouse/core';
import type { RunState, RunType, TaskState } from '@reelhouse/warehouse';
import type pg from 'pg';

import type { DagEvent } from './dag-event.ts';
import type { Dag } from './define-dag.ts';
import { ensureOpsTables } from './ensure-ops-tables.ts';
import type { ExecutionScope, TaskRunResult } from './execute-task.ts';
import { planRun } from './plan-run.ts';
import { acquireRunLock, type AcquireRunLockOptions } from './run-lock.ts';
import { createRunHistory, type RunHistory } from './run-history.ts';
import { scheduleTasks } from './schedule-tasks.ts';

export interface RunDagOptions {
  /** Pool for the run history and the run lock; tasks use their own connections. */
  readonly warehouse: pg.Pool;
  /** Run id of a new run, or of the run to resume (default: a new id, or the latest unfinished run when resuming). */
  readonly runId?: string;
  readonly resume?: boolean;
  /** A new run that reruns this task and its downstream, reusing the latest run's other tasks. */
  readonly from?: string;
  /** A new run of this one task, reusing the latest run's other tasks (its upstream must have succeeded). */
  readonly only?: string;
  /** Handed to every task; a resumed run keeps the params it was started with. */
  readonly params?: Readonly<Record<string, unknown>>;
  readonly logger?: Logger;
  /** Aborting stops scheduling and interrupts running attempts. */
  readonly signal?: AbortSignal;
  readonly onEvent?: (event: DagEvent) => void;
  /** Tasks running at once across all pools (default 8). */
  readonly maxActiveTasks?: number;
  /** How long an aborted attempt may take to stop (default 30 s). */
  readonly abortGraceMs?: number;
  /** The run's logical date (`YYYY-MM-DD`), stored in `ops.dag_runs` (a resume keeps the stored one). */
  readonly logicalDate?: string;
  /** Who started the run (default `manual`). */
  readonly runType?: RunType;
  /** Jitter source, fixed in tests. */
  readonly random?: () => number;
  /** Run lock lease timing (tests shorten it). */
  readonly lease?: Pick<AcquireRunLockOptions, 'heartbeatMs' | 'leaseTtlMs'>;
}

export interface DagRunResult<Ids extends string = string> {
  readonly runId: string;
  readonly dagId: string;
  readonly state: RunState;
  /** Final state of every task; `result` only for the tasks this call executed. */
  readonly tasks: Readonly<
    Record<Ids, { readonly state: TaskState; readonly result?: TaskRunResult }>
  >;
}

/** A fresh run id in Airflow's style: `manual__<UTC timestamp>_<random>`. */
export function newRunId(now: Date = new Date()): string {
  return `manual__${now.toISOString()}_${randomBytes(3).toString('hex')}`;
}

function taskIdOf<Ids extends string>(
  dag: Dag<Ids>,
  value: string | undefined,
  option: string,
): Ids | undefined {
  if (value === undefined) return undefined;
  if ((dag.taskIds as readonly string[]).includes(value)) return value as Ids;
  throw new ReelhouseError({
    code: 'invalid_input',
    message: `--${option}: unknown task '${value}' (tasks: ${dag.taskIds.join(', ')})`,
    context: { task: value },
  });
}

/**
 * The run a resume continues (the given one, or the latest unless it succeeded) or the run whose
 * task states a `from`/`only` run starts from (the latest); `undefined` when there is none.
 */
async function previousRun(
  history: RunHistory,
  dag: Dag,
  options: RunDagOptions & { readonly resuming: boolean },
) {
  const named = options.resuming && options.runId !== undefined;
  const run = named
    ? await history.findRun(options.runId ?? '')
    : await history.latestRun(dag.dagId);
  if (run === undefined) return undefined;
  if (run.dag_id !== dag.dagId) {
    throw new ReelhouseError({
      code: 'invalid_input',
      message: `Run ${run.run_id} belongs to DAG '${run.dag_id}', not '${dag.dagId}'`,
      context: { dag: dag.dagId, runId: run.run_id },
    });
  }
  // A plain resume after a success has nothing to continue: it starts a new run.
  if (options.resuming && !named && run.state === 'success') return undefined;
  const stored = run.params;
  if (options.params !== undefined && !isDeepStrictEqual(options.params, stored)) {
    throw new ReelhouseError({
      code: 'invalid_input',
      message: `Run ${run.run_id} was started with params ${JSON.stringify(stored)}; ${options.resuming ? 'resume it' : 'reuse its data'} with the same params (or none)`,
      context: { runId: run.run_id, stored, given: options.params },
    });
  }
  const tasks = await history.taskRuns(run.run_id);
  return { run, tasks };
}

/**
 * Runs a DAG under the warehouse's exclusive run lock: tasks start when their trigger rule allows
 * and their pool has a slot, independent branches go on when one fails, every state change is
 * written to `ops`. Resume continues an earlier run under its run id (or starts one when there is
 * nothing to resume); `from` and `only` start a new run from the latest run's task states, as
 * Airflow's clear reuses the data earlier runs made, and never change a finished run.
 */
export async function runDag<Ids extends string>(
  dag: Dag<Ids>,
  options: RunDagOptions,
): Promise<DagRunResult<Ids>> {
  const logger = options.logger ?? silentLogger;
  await ensureOpsTables(options.warehouse);
  const lock = await acquireRunLock(options.warehouse, {
    mode: 'exclusive',
    logger,
    ...(options.lease ?? {}),
  });
  // A lock lost for good stops the run like a signal: two runs must never overlap.
  const signal = AbortSignal.any([options.signal ?? new AbortController().signal, lock.lost]);
  try {
    const history = createRunHistory(options.warehouse);
    const stale = await history.interruptStaleRuns();
    if (stale > 0)
      logger.warn({ runs: stale }, 'marked runs left running by a dead process as interrupted');
    const from = taskIdOf(dag, options.from, 'from');
    const only = taskIdOf(dag, options.only, 'only');
    const clearing = from !== undefined || only !== undefined;
    const resuming = options.resume === true && !clearing;
    const previous =
      resuming || clearing ? await previousRun(history, dag, { ...options, resuming }) : undefined;
    if (only !== undefined && previous === undefined) {
      throw new ReelhouseError({
        code: 'not_found',
        message: `No earlier run of DAG '${dag.dagId}' whose data --only ${only} could use: run the whole DAG first`,
        context: { dag: dag.dagId, task: only },
      });
    }
    const continued = resuming ? previous : undefined;
    const runId = continued?.run.run_id ?? options.runId ?? newRunId();
    if (continued === undefined && (await history.findRun(runId)) !== undefined) {
      throw new ReelhouseError({
        code: 'invalid_input',
        message: `Run ${runId} exists already: resume it with --resume`,
        context: { runId },
      });
    }
    const params = previous?.run.params ?? options.params ?? {};
    const plan = planRun(dag, {
      previous: previous && new Map(previous.tasks.map((t) => [t.task_id, t.state])),
      ...(from ? { from } : {}),
      ...(only ? { only } : {}),
    });
    const attemptsSoFar = new Map(continued?.tasks.map((t) => [t.task_id, t.try_number]) ?? []);

    if (continued !== undefined && plan.toRun.size === 0) {
      logger.info({ run_id: runId }, 'nothing to resume: every task of the run is done');
      return {
        runId,
        dagId: dag.dagId,
        state: continued.run.state,
        tasks: Object.fromEntries(
          dag.taskIds.map((id) => [id, { state: plan.states.get(id) ?? 'queued' }]),
        ) as DagRunResult<Ids>['tasks'],
      };
    }
    await lock.claim(runId);
    await history.openRun({
      runId,
      dagId: dag.dagId,
      params,
      taskIds: dag.taskIds,
      ...(continued === undefined
        ? { logicalDate: options.logicalDate, runType: options.runType }
        : {}),
    });
    for (const id of dag.taskIds) {
      if (plan.toRun.has(id))
        await history.setTaskState(runId, id, { state: 'queued', error: null });
      // A new run started from an earlier one records the states whose data it reuses.
      else if (continued === undefined)
        await history.setTaskState(runId, id, { state: plan.states.get(id) ?? 'queued' });
    }
    const runLogger = logger.child({ run_id: runId, dag_id: dag.dagId });
    const startedAt = Date.now();
    const emit = (event: DagEvent) => options.onEvent?.(event);
    emit({
      type: 'run_started',
      runId,
      dagId: dag.dagId,
      states: Object.fromEntries(plan.states),
      at: new Date(),
    });
    runLogger.info(
      {
        tasks: [...plan.toRun],
        resumed: continued !== undefined,
        ...(clearing && previous ? { reusing: previous.run.run_id } : {}),
      },
      'run started',
    );

    const scope: ExecutionScope<Ids> = {
      dag,
      history,
      runId,
      params,
      logger: runLogger,
      signal,
      emit,
      abortGraceMs: options.abortGraceMs ?? 30_000,
      random: options.random ?? Math.random,
    };
    const results = await scheduleTasks(scope, {
      plan,
      attemptsSoFar,
      maxActiveTasks: options.maxActiveTasks ?? 8,
    });

    const states = [...plan.states.values()];
    const state: RunState = lock.lost.aborted
      ? 'failed'
      : signal.aborted
        ? 'interrupted'
        : states.every((s) => s === 'success' || s === 'skipped')
          ? 'success'
          : 'failed';
    await history.finishRun(runId, state);
    emit({
      type: 'run_finished',
      runId,
      state,
      at: new Date(),
      durationMs: Date.now() - startedAt,
    });
    runLogger.info({ state, duration_ms: Date.now() - startedAt }, 'run finished');
    const tasks = Object.fromEntries(
      dag.taskIds.map((id) => [
        id,
        {
          state: plan.states.get(id) ?? 'queued',
          ...(results.has(id) ? { result: results.get(id) } : {}),
        },
      ]),
    );
    return { runId, dagId: dag.dagId, state, tasks: tasks as DagRunResult<Ids>['tasks'] };
  } finally {
    await lock.release();
  }
}

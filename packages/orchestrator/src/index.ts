export { defineDag, defaultPool, type Dag, type DagSpec } from './define-dag.ts';
export {
  skipTask,
  type TaskSpec,
  type TaskContext,
  type TaskReport,
  type TaskSkip,
  type TaskOutcome,
  type TriggerRule,
  type Materialization,
} from './task-spec.ts';
export { runDag, newRunId, type RunDagOptions, type DagRunResult } from './run-dag.ts';
export { runTask, type RunTaskOptions } from './run-task.ts';
export type { TaskRunResult } from './execute-task.ts';
export type { DagEvent } from './dag-event.ts';
export { ensureOpsTables } from './ensure-ops-tables.ts';
export { createRunHistory, type RunHistory } from './run-history.ts';
export { retryDelay, type RetryDelayOptions } from './retry-delay.ts';
export { triggerDecision, type TriggerDecision } from './trigger-decision.ts';
export { planRun, type RunPlan } from './plan-run.ts';
export { renderMermaid } from './render-mermaid.ts';
export {
  renderAirflowDag,
  type RenderAirflowDagOptions,
  type AirflowParam,
} from './render-airflow-dag.ts';
export type { AirflowRunner, AirflowProjectDir } from './airflow-runner.ts';
export { cronSchedule, type CronSchedule, type DataInterval } from './cron-schedule.ts';

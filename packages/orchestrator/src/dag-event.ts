import type { RunState, TaskState } from '@reelhouse/warehouse';

/** Lifecycle events of a run, for live views; the same facts also go to the structured log and `ops`. */
export type DagEvent =
  | {
      readonly type: 'run_started';
      readonly runId: string;
      readonly dagId: string;
      readonly states: Readonly<Record<string, TaskState>>;
      readonly at: Date;
    }
  | {
      readonly type: 'task_state';
      readonly runId: string;
      readonly taskId: string;
      readonly state: TaskState;
      readonly attempt: number;
      readonly at: Date;
      readonly rows?: number | null;
      readonly durationMs?: number;
      readonly retryInMs?: number;
      readonly error?: {
        readonly code: string;
        readonly message: string;
        readonly retryable: boolean;
      };
    }
  | {
      readonly type: 'run_finished';
      readonly runId: string;
      readonly state: RunState;
      readonly at: Date;
      readonly durationMs: number;
    };

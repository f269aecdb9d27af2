import type { DagEvent } from '@reelhouse/orchestrator';

interface TaskLine {
  state: string;
  attempt: number;
  startedAt: number | undefined;
  finishedAt: number | undefined;
  rows: number | null;
  note: string | undefined;
}

/** What the live view knows: one line per task, fed by the run's events. */
export interface LiveViewState {
  readonly title: string;
  readonly startedAt: number;
  readonly tasks: Map<string, TaskLine>;
}

const symbols: Readonly<Record<string, string>> = {
  queued: '·',
  running: '▶',
  success: '✔',
  failed: '✘',
  up_for_retry: '↻',
  upstream_failed: '⊘',
  skipped: '↷',
  interrupted: '■',
};

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)}s`;

/** Applies one lifecycle event to the view's state. */
export function applyEvent(state: LiveViewState, event: DagEvent, now: number): void {
  if (event.type !== 'task_state') return;
  const line = state.tasks.get(event.taskId);
  if (line === undefined) return;
  line.state = event.state;
  line.attempt = event.attempt;
  if (event.state === 'running' && line.startedAt === undefined) line.startedAt = now;
  if (event.state !== 'running' && event.state !== 'up_for_retry') line.finishedAt = now;
  if (event.rows !== undefined) line.rows = event.rows;
  const error =
    event.error === undefined
      ? undefined
      : `${event.error.code}: ${event.error.message.split('\n')[0] ?? ''}`;
  line.note =
    event.retryInMs === undefined
      ? error
      : `${event.error?.code ?? 'failed'}, retry in ${seconds(event.retryInMs)}`;
}

/** Renders the view: per task its state, elapsed time, attempt, rows and rows per second. */
export function renderLiveView(state: LiveViewState, now: number): string[] {
  const width = Math.max(...[...state.tasks.keys()].map((id) => id.length));
  const lines = [`${state.title}  ${seconds(now - state.startedAt)}`];
  for (const [id, task] of state.tasks) {
    const elapsedMs =
      task.startedAt === undefined ? undefined : (task.finishedAt ?? now) - task.startedAt;
    const parts = [
      `${symbols[task.state] ?? '?'} ${id.padEnd(width)}`,
      task.state.padEnd(15),
      elapsedMs === undefined ? ''.padStart(7) : seconds(elapsedMs).padStart(7),
    ];
    if (task.attempt > 1) parts.push(`attempt ${task.attempt}`);
    if (task.rows !== null && task.rows > 0) {
      parts.push(`${task.rows.toLocaleString('en-US')} rows`);
      if (elapsedMs !== undefined && elapsedMs > 0)
        parts.push(`${Math.round((task.rows * 1000) / elapsedMs).toLocaleString('en-US')} rows/s`);
    }
    if (task.note !== undefined) parts.push(task.note);
    lines.push(`  ${parts.join('  ')}`.trimEnd());
  }
  return lines;
}

/** A terminal view redrawn in place while the run goes on; `stop` draws the final state. */
export function createLiveView(options: {
  readonly out: NodeJS.WriteStream;
  readonly title: string;
  readonly taskIds: readonly string[];
}) {
  const state: LiveViewState = {
    title: options.title,
    startedAt: Date.now(),
    tasks: new Map(
      options.taskIds.map((id) => [
        id,
        {
          state: 'queued',
          attempt: 0,
          startedAt: undefined,
          finishedAt: undefined,
          rows: null,
          note: undefined,
        },
      ]),
    ),
  };
  let drawn = 0;
  let stopped = false;
  const draw = () => {
    const lines = renderLiveView(state, Date.now());
    const up = drawn > 0 ? `\x1b[${drawn}F` : '';
    options.out.write(`${up}${lines.map((line) => `\x1b[2K${line}`).join('\n')}\n`);
    drawn = lines.length;
  };
  const timer = setInterval(draw, 250);
  timer.unref();
  return {
    onEvent(event: DagEvent): void {
      if (event.type === 'run_started') {
        for (const [id, taskState] of Object.entries(event.states)) {
          const line = state.tasks.get(id);
          if (line !== undefined) line.state = taskState;
        }
      }
      applyEvent(state, event, Date.now());
    },
    /** Draws the final state once; later calls do nothing (lines printed after it stay). */
    stop(): void {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      draw();
    },
  };
}

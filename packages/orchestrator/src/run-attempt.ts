import { classifyError, ReelhouseError, type StepReport } from '@reelhouse/core';

import type { TaskContext, TaskOutcome, TaskReport, TaskSkip, TaskSpec } from './task-spec.ts';

/** How one attempt ended. */
export type AttemptResult =
  | { readonly kind: 'success'; readonly report: TaskReport | undefined }
  | { readonly kind: 'skipped'; readonly reason: string }
  | { readonly kind: 'failed'; readonly error: ReelhouseError }
  | { readonly kind: 'interrupted'; readonly error: ReelhouseError };

export interface RunAttemptOptions<Ids extends string> {
  readonly task: TaskSpec<Ids>;
  readonly context: Omit<TaskContext<Ids>, 'signal'>;
  /** The run's signal: aborting it interrupts the attempt. */
  readonly runSignal: AbortSignal;
  /** How long an aborted attempt may take to settle before it is declared stuck. */
  readonly abortGraceMs: number;
}

type Settled =
  | { readonly ok: true; readonly value: TaskOutcome | StepReport | void }
  | { readonly ok: false; readonly error: unknown };

function isSkip(value: TaskOutcome | StepReport | void): value is TaskSkip {
  return typeof value === 'object' && (value as Partial<TaskSkip>).skipped === true;
}

function waitForAbort(signal: AbortSignal): { promise: Promise<void>; dispose: () => void } {
  let onAbort: (() => void) | undefined;
  const promise = new Promise<void>((resolve) => {
    onAbort = resolve;
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  return { promise, dispose: () => onAbort && signal.removeEventListener('abort', onAbort) };
}

/**
 * Runs one attempt with its own timeout signal and waits until the task's promise settles, so
 * the next attempt never overlaps it. An attempt that ignores its aborted signal for longer than
 * the grace period fails without retry (a retry would run beside it).
 */
export async function runAttempt<Ids extends string>(
  options: RunAttemptOptions<Ids>,
): Promise<AttemptResult> {
  const { task, context, runSignal } = options;
  const timeout = new AbortController();
  const signal = AbortSignal.any([runSignal, timeout.signal]);
  const timer =
    task.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timeout.abort(
            new ReelhouseError({
              code: 'timeout',
              retryable: true,
              message: `attempt exceeded its ${task.timeoutMs} ms timeout`,
              context: { task: context.taskId },
            }),
          );
        }, task.timeoutMs);
  const settled: Promise<Settled> = Promise.resolve()
    .then(() => task.run({ ...context, signal }))
    .then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );
  const abort = waitForAbort(signal);
  try {
    const first = await Promise.race([settled, abort.promise.then(() => 'aborted' as const)]);
    const outcome =
      first === 'aborted'
        ? await Promise.race([
            settled,
            new Promise<'stuck'>((resolve) =>
              setTimeout(() => resolve('stuck'), options.abortGraceMs).unref(),
            ),
          ])
        : first;
    if (outcome === 'stuck') {
      return {
        kind: 'failed',
        error: new ReelhouseError({
          code: 'timeout',
          retryable: false,
          message: `attempt did not stop within ${options.abortGraceMs} ms of its abort; not retried so that two attempts never overlap`,
          context: { task: context.taskId, attempt: context.attempt },
        }),
      };
    }
    if (outcome.ok) {
      return isSkip(outcome.value)
        ? { kind: 'skipped', reason: outcome.value.reason }
        : { kind: 'success', report: outcome.value ?? undefined };
    }
    if (runSignal.aborted) {
      return {
        kind: 'interrupted',
        error: new ReelhouseError({
          code: 'aborted',
          retryable: false,
          message: 'interrupted by a signal',
          context: { task: context.taskId },
          cause: outcome.error,
        }),
      };
    }
    if (timeout.signal.aborted) {
      return { kind: 'failed', error: timeout.signal.reason as ReelhouseError };
    }
    return {
      kind: 'failed',
      error: classifyError(outcome.error, { task: context.taskId, attempt: context.attempt }),
    };
  } finally {
    clearTimeout(timer);
    abort.dispose();
  }
}

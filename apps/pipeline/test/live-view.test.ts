import { describe, expect, it } from 'vitest';

import { applyEvent, renderLiveView, type LiveViewState } from '../src/live-view.ts';

const fresh = (): LiveViewState => ({
  title: 'dag',
  startedAt: 0,
  tasks: new Map(
    ['load', 'extract'].map((id) => [
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
});

describe('live view', () => {
  it('shows state, elapsed time, rows and rows per second per task', () => {
    const state = fresh();
    applyEvent(
      state,
      {
        type: 'task_state',
        runId: 'r',
        taskId: 'load',
        state: 'running',
        attempt: 1,
        at: new Date(0),
      },
      1_000,
    );
    applyEvent(
      state,
      {
        type: 'task_state',
        runId: 'r',
        taskId: 'load',
        state: 'success',
        attempt: 1,
        at: new Date(0),
        rows: 20_000,
      },
      5_000,
    );
    applyEvent(
      state,
      {
        type: 'task_state',
        runId: 'r',
        taskId: 'extract',
        state: 'running',
        attempt: 1,
        at: new Date(0),
      },
      5_000,
    );
    applyEvent(
      state,
      {
        type: 'task_state',
        runId: 'r',
        taskId: 'extract',
        state: 'up_for_retry',
        attempt: 1,
        at: new Date(0),
        retryInMs: 2_000,
        error: { code: 'connection_lost', message: 'Connection terminated', retryable: true },
      },
      6_000,
    );
    expect(renderLiveView(state, 7_000)).toEqual([
      'dag  7.0s',
      '  ✔ load     success             4.0s  20,000 rows  5,000 rows/s',
      '  ↻ extract  up_for_retry        2.0s  connection_lost, retry in 2.0s',
    ]);
  });
});

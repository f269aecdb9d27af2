import type { OpsDagRun, OpsTaskRun } from '@reelhouse/warehouse';
import { describe, expect, it } from 'vitest';

import { renderStatusGrid } from '../src/status-grid.ts';

const run = (
  runId: string,
  state: OpsDagRun['state'],
  timing: { started: string; seconds: number | null; logicalDate?: string },
): OpsDagRun => ({
  run_id: runId,
  dag_id: 'd',
  state,
  params: {},
  started_at: new Date(timing.started),
  finished_at:
    timing.seconds === null
      ? null
      : new Date(new Date(timing.started).getTime() + timing.seconds * 1000),
  host: 'h',
  pid: 1,
  logical_date: timing.logicalDate ?? null,
  run_type: timing.logicalDate === undefined ? 'manual' : 'backfill',
});
const task = (runId: string, taskId: string, state: OpsTaskRun['state']): OpsTaskRun => ({
  run_id: runId,
  task_id: taskId,
  state,
  try_number: 1,
  started_at: null,
  finished_at: null,
  duration_ms: null,
  rows: null,
  error: null,
});

describe('renderStatusGrid', () => {
  it('lists runs newest first and shows one row per task, one column per run', () => {
    const text = renderStatusGrid({
      runs: [
        run('r2', 'running', { started: '2026-01-02T00:00:00Z', seconds: null }),
        run('r1', 'failed', { started: '2026-01-01T00:00:00Z', seconds: 12.5 }),
      ],
      taskRuns: [
        task('r1', 'load', 'success'),
        { ...task('r1', 'extract', 'failed'), try_number: 3 },
        task('r2', 'load', 'success'),
        task('r2', 'extract', 'running'),
      ],
      taskIds: ['load', 'extract'],
    });
    expect(text).toBe(
      [
        'runs (newest first):',
        '  #1  r2  running      -           manual     started 2026-01-02T00:00:00.000Z         -  h:1',
        '  #2  r1  failed       -           manual     started 2026-01-01T00:00:00.000Z     12.5s  h:1',
        '',
        'task     #1            #2',
        'load     ok            ok',
        'extract  RUNNING       FAILED×3',
        '',
      ].join('\n'),
    );
  });

  it('lists logical dates in order, each with its latest run', () => {
    const text = renderStatusGrid({
      runs: [
        run('b3', 'success', {
          started: '2026-01-03T00:00:00Z',
          seconds: 1,
          logicalDate: '2026-01-01',
        }),
        run('b2', 'success', {
          started: '2026-01-02T00:00:00Z',
          seconds: 1,
          logicalDate: '2026-01-02',
        }),
        run('b1', 'failed', {
          started: '2026-01-01T00:00:00Z',
          seconds: 1,
          logicalDate: '2026-01-01',
        }),
      ],
      taskRuns: [],
      taskIds: ['load'],
    });
    expect(text).toContain('  #1  b3  success      2026-01-01  backfill   started');
    expect(text).toContain(
      'logical dates (latest run of each):\n  2026-01-01  success      b3\n  2026-01-02  success      b2\n',
    );
  });

  it('says how to start when there is no run', () => {
    expect(renderStatusGrid({ runs: [], taskRuns: [], taskIds: ['a'] })).toBe(
      'No runs yet: start one with `pnpm pipeline`.\n',
    );
  });
});

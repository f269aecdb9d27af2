import { setTimeout as sleep } from 'node:timers/promises';

import { describe, expect, it } from 'vitest';

import { runCli, spawnCli } from './cli-process.ts';
import { targetArgs, usePipelineEnvironment } from './pipeline-environment.ts';

const environment = usePipelineEnvironment('interrupt');
const tiny = ['--scale', 'tiny', '--seed', '9'];

describe('SIGTERM during a run', () => {
  it('aborts the running task, records it interrupted, exits 130, and the run resumes to success', async () => {
    const child = spawnCli(['run', ...tiny, ...targetArgs(environment)], environment.env());
    const pool = environment.warehousePool();
    let running: string | undefined;
    let exited = false;
    void child.result.then(() => (exited = true));
    while (running === undefined && !exited) {
      const { rows } = await pool
        .query<{ task_id: string }>(
          "select task_id from ops.task_runs where state = 'running' and task_id = 'extract_to_warehouse'",
        )
        .catch(() => ({ rows: [] as { task_id: string }[] }));
      running = rows[0]?.task_id;
      if (running === undefined) await sleep(20);
    }
    // The extract is the only task running then, and it honours its abort signal.
    expect(running).toBe('extract_to_warehouse');
    child.kill('SIGTERM');
    const result = await child.result;
    expect(result.code, result.stderr).toBe(130);
    expect(result.stderr).toContain('SIGTERM: stopping');

    const run = await pool.query<{ run_id: string; state: string }>(
      'select run_id, state from ops.dag_runs',
    );
    expect(run.rows.map((r) => r.state)).toEqual(['interrupted']);
    const task = await pool.query('select state from ops.task_runs where task_id = $1', [running]);
    expect(task.rows).toEqual([{ state: 'interrupted' }]);

    const resumed = await runCli(
      ['run', '--resume', ...targetArgs(environment)],
      environment.env(),
    );
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(`run ${run.rows[0]!.run_id}: success`);
  });
});

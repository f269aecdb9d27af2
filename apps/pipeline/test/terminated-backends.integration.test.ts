import { setTimeout as sleep } from 'node:timers/promises';

import { describe, expect, it } from 'vitest';

import { spawnCli } from './cli-process.ts';
import { targetArgs, usePipelineEnvironment } from './pipeline-environment.ts';

const environment = usePipelineEnvironment('terminated');
const tiny = ['--scale', 'tiny', '--seed', '17'];

// Issue 12: terminating the warehouse's backends during the transform crashed the process
// (unhandled 'error' 57P01), and a second run got in because the advisory lock went with them.
describe('issue 12: every warehouse backend terminated during the transform', () => {
  // The second run's exit 75 while the first re-takes its lock is tested deterministically in
  // packages/orchestrator/test/run-lock.integration.test.ts: at tiny scale the transform may end
  // before a second CLI process has booted.
  it('the run does not crash, retries the transform and ends success', async () => {
    const first = spawnCli(['run', ...tiny, ...targetArgs(environment)], environment.env());
    const pool = environment.warehousePool();
    let exited = false;
    void first.result.then(() => (exited = true));
    for (;;) {
      expect(exited).toBe(false);
      const { rows } = await pool
        .query(
          "select 1 from ops.task_runs where task_id = 'transform_with_models' and state = 'running'",
        )
        .catch(() => ({ rows: [] }));
      if (rows.length > 0) break;
      await sleep(10);
    }
    await pool.query(
      `select pg_terminate_backend(pid) from pg_stat_activity
       where datname = current_database() and pid <> pg_backend_pid()`,
    );
    const result = await first.result;
    expect(result.code, result.stderr).toBe(0);
    const attempts = await pool.query<{ state: string }>(
      "select state from ops.task_attempts where task_id = 'transform_with_models' order by attempt",
    );
    expect(attempts.rows.at(-1)).toEqual({ state: 'success' });
    const runs = await pool.query('select state from ops.dag_runs');
    expect(runs.rows).toEqual([{ state: 'success' }]);
  }, 300_000);
});

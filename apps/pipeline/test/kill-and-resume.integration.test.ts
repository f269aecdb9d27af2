import { setTimeout as sleep } from 'node:timers/promises';

import { describe, expect, it } from 'vitest';

import { runCli, spawnCli } from './cli-process.ts';
import { targetArgs, usePipelineEnvironment } from './pipeline-environment.ts';
import { fingerprintSchemas } from './warehouse-fingerprint.ts';

const clean = usePipelineEnvironment('kill_clean');
// Issue 12: a point inside each task long enough to be caught at tiny scale; each case its own
// warehouse and catalogue (a MongoDB-wire URL shared by the killed run and its resume).
const killedIn = {
  load_json_to_mongo: usePipelineEnvironment('kill_mongo'),
  load_csvs_to_postgres: usePipelineEnvironment('kill_csvs'),
  extract_to_warehouse: usePipelineEnvironment('kill_resumed'),
  transform_with_models: usePipelineEnvironment('kill_transform'),
  quality_report: usePipelineEnvironment('kill_report'),
};
const tiny = ['--scale', 'tiny', '--seed', '5'];

async function waitForRunningTask(
  environment: typeof clean,
  taskId: string,
  done: Promise<unknown>,
): Promise<boolean> {
  let finished = false;
  void done.then(() => (finished = true));
  while (!finished) {
    const { rows } = await environment
      .warehousePool()
      .query<{ state: string }>(
        "select state from ops.task_runs where task_id = $1 and state = 'running'",
        [taskId],
      )
      .catch(() => ({ rows: [] as { state: string }[] }));
    if (rows.length > 0) return true;
    await sleep(10);
  }
  return false;
}

describe('a run killed with SIGKILL of its process group inside a task, then resumed', () => {
  it('the clean reference run succeeds', async () => {
    const result = await runCli(['run', ...tiny, ...targetArgs(clean)], clean.env());
    expect(result.code, result.stderr).toBe(0);
  }, 300_000);

  it.each(Object.keys(killedIn) as (keyof typeof killedIn)[])(
    'killed inside %s: --resume alone completes the run under its id, raw and trusted equal to the clean run',
    async (taskId) => {
      const killed = killedIn[taskId];
      const child = spawnCli(['run', ...tiny, ...targetArgs(killed)], killed.env(), {
        detached: true,
      });
      const sawTask = await waitForRunningTask(killed, taskId, child.result);
      expect(sawTask).toBe(true);
      process.kill(-child.pid!, 'SIGKILL');
      expect((await child.result).signal).toBe('SIGKILL');

      const pool = killed.warehousePool();
      const [dead] = (
        await pool.query<{ run_id: string; state: string }>(
          'select run_id, state from ops.dag_runs',
        )
      ).rows;
      expect(dead?.state).toBe('running');

      const resumed = await runCli(['run', '--resume', ...targetArgs(killed)], killed.env());
      expect(resumed.stderr).toContain(`run ${dead!.run_id}: success`);
      expect(resumed.code, resumed.stderr).toBe(0);
      const attempts = await pool.query(
        'select attempt, state from ops.task_attempts where task_id = $1 order by attempt',
        [taskId],
      );
      expect(attempts.rows).toEqual([
        { attempt: 1, state: 'interrupted' },
        { attempt: 2, state: 'success' },
      ]);

      const reference = await fingerprintSchemas(clean.warehousePool(), ['raw', 'trusted']);
      expect(Object.keys(reference).length).toBeGreaterThan(8);
      expect(await fingerprintSchemas(pool, ['raw', 'trusted'])).toEqual(reference);
    },
    300_000,
  );
});

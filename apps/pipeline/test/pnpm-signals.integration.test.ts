import { setTimeout as sleep } from 'node:timers/promises';

import { describe, expect, it } from 'vitest';

import { processGroupMembers, spawnPnpmPipeline } from './cli-process.ts';
import { targetArgs, usePipelineEnvironment } from './pipeline-environment.ts';

// One environment per case: a second run on the same catalogue can hang in load_json_to_mongo
// (issue 12's persistent-server part, helper `services`), which is not what these cases test.
const environments = {
  extract_to_warehouse: usePipelineEnvironment('sig_top'),
  transform_with_models: usePipelineEnvironment('sig_int_group'),
  load_csvs_to_postgres: usePipelineEnvironment('sig_term_group'),
};
const tiny = ['--scale', 'tiny', '--seed', '11'];

type Environment = (typeof environments)[keyof typeof environments];

async function waitForTask(
  environment: Environment,
  taskId: string,
  exited: () => boolean,
): Promise<void> {
  const pool = environment.warehousePool();
  while (!exited()) {
    const { rows } = await pool
      .query("select 1 from ops.task_runs where task_id = $1 and state = 'running'", [taskId])
      .catch(() => ({ rows: [] }));
    if (rows.length > 0) return;
    await sleep(20);
  }
  throw new Error(`the run ended before ${taskId} started`);
}

async function latestRunState(environment: Environment): Promise<string | undefined> {
  const { rows } = await environment
    .warehousePool()
    .query<{ state: string }>('select state from ops.dag_runs order by started_at desc limit 1');
  return rows[0]?.state;
}

// Issue 12: SIGTERM to the top pnpm exited 143 at once while node ran on, holding the lock; a
// SIGINT during the transform left the run `running`.
describe('issue 12: signals to `pnpm pipeline`', () => {
  it.each([
    ['SIGTERM', 'the top pnpm', 'extract_to_warehouse'],
    ['SIGINT', 'the process group', 'transform_with_models'],
    ['SIGTERM', 'the process group', 'load_csvs_to_postgres'],
  ] as const)(
    '%s to %s during %s ends the run interrupted and leaves no process of the group behind',
    async (signal, target, taskId) => {
      const environment = environments[taskId];
      const child = spawnPnpmPipeline(
        ['run', ...tiny, ...targetArgs(environment)],
        environment.env(),
      );
      let exited = false;
      void child.result.then(() => (exited = true));
      await waitForTask(environment, taskId, () => exited);
      const pgid = child.pid!;
      if (target === 'the top pnpm') process.kill(pgid, signal);
      else process.kill(-pgid, signal);
      const result = await child.result;
      // pnpm re-raises the signal its `sh -c` child died of: the shell sees 128 + signal.
      expect(result.code ?? result.signal, result.stderr).not.toBe(0);
      await expect.poll(() => processGroupMembers(pgid), { timeout: 150_000 }).toEqual([]);
      expect(await latestRunState(environment)).toBe('interrupted');
    },
    300_000,
  );
});

import { setTimeout as sleep } from 'node:timers/promises';

import { describe, expect, it } from 'vitest';

import { runCli, spawnCli } from './cli-process.ts';
import { targetArgs, usePipelineEnvironment } from './pipeline-environment.ts';
import { fingerprintSchemas } from './warehouse-fingerprint.ts';

const clean = usePipelineEnvironment('kill_clean');
const killed = usePipelineEnvironment('kill_resumed');
const tiny = ['--scale', 'tiny', '--seed', '5'];

async function waitForRunningTask(
  environment: typeof killed,
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
    await sleep(20);
  }
  return false;
}

describe('a run killed with SIGKILL during extract_to_warehouse, then resumed', () => {
  it('the clean reference run succeeds', async () => {
    const result = await runCli(['run', ...tiny, ...targetArgs(clean)], clean.env());
    expect(result.code, result.stderr).toBe(0);
  });

  it('resumes under the same run id and leaves every raw and trusted table identical to the clean run', async () => {
    const child = spawnCli(['run', ...tiny, ...targetArgs(killed)], killed.env());
    const sawExtract = await waitForRunningTask(killed, 'extract_to_warehouse', child.result);
    expect(sawExtract).toBe(true);
    child.kill('SIGKILL');
    expect((await child.result).signal).toBe('SIGKILL');

    const pool = killed.warehousePool();
    const [dead] = (
      await pool.query<{ run_id: string; state: string }>('select run_id, state from ops.dag_runs')
    ).rows;
    expect(dead?.state).toBe('running');

    const resumed = await runCli(['run', '--resume', ...targetArgs(killed)], killed.env());
    expect(resumed.stderr).toContain(`run ${dead!.run_id}: success`);
    expect(resumed.code, resumed.stderr).toBe(0);
    const attempts = await pool.query(
      "select attempt, state from ops.task_attempts where task_id = 'extract_to_warehouse' order by attempt",
    );
    expect(attempts.rows).toEqual([
      { attempt: 1, state: 'interrupted' },
      { attempt: 2, state: 'success' },
    ]);

    const reference = await fingerprintSchemas(clean.warehousePool(), ['raw', 'trusted']);
    expect(Object.keys(reference).length).toBeGreaterThan(8);
    expect(await fingerprintSchemas(pool, ['raw', 'trusted'])).toEqual(reference);
  });
});

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { runCli } from './cli-process.ts';
import { targetArgs, usePipelineEnvironment } from './pipeline-environment.ts';
import { fingerprintSchemas } from './warehouse-fingerprint.ts';

// Issue 12: runs across processes behave like Airflow's.
const oneProcess = usePipelineEnvironment('one_process');
const perTask = usePipelineEnvironment('per_task');
const tiny = ['--scale', 'tiny', '--seed', '13'];
const dagOrder = [
  'generate_data',
  'create_mongo_collections',
  'create_postgres_tables',
  'load_json_to_mongo',
  'load_csvs_to_postgres',
  'extract_to_warehouse',
  'check_source_freshness',
  'transform_with_models',
  'quality_report',
];

const runRow = async (environment: typeof perTask, runId: string) =>
  (
    await environment
      .warehousePool()
      .query<Record<string, unknown>>('select * from ops.dag_runs where run_id = $1', [runId])
  ).rows;

describe('issue 12: runs across processes', () => {
  it('an unwritable --target-dir fails at once, before the first task, with the folder named', async () => {
    const file = join(perTask.dir, 'not-a-folder');
    await writeFile(file, '');
    const result = await runCli(
      ['run', ...tiny, '--target-dir', join(file, 'target')],
      perTask.env(),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      `error (file_access_denied): --target-dir ${join(file, 'target')} is not a writable folder (ENOTDIR`,
    );
    const runs = await perTask
      .warehousePool()
      .query('select 1 from ops.dag_runs')
      .catch(() => ({ rows: [] }));
    expect(runs.rows).toEqual([]);
  });

  it('a task whose upstream has not run in its run is refused with exit 1, naming the upstream', async () => {
    const result = await runCli(
      ['task', 'extract_to_warehouse', '--run-id', 'early', ...tiny, ...targetArgs(perTask)],
      perTask.env(),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'Task extract_to_warehouse of run early not run: its trigger rule all_success is not met by its upstream: load_json_to_mongo (not run), load_csvs_to_postgres (not run)',
    );
  });

  it('the eight tasks, each a new process in the DAG order, all exit 0; the run is success and trusted equals a one-process run', async () => {
    const reference = await runCli(['run', ...tiny, ...targetArgs(oneProcess)], oneProcess.env());
    expect(reference.code, reference.stderr).toBe(0);
    for (const taskId of dagOrder) {
      const result = await runCli(
        ['task', taskId, '--run-id', 'airflow_R', ...tiny, ...targetArgs(perTask)],
        perTask.env(),
      );
      expect(result.code, `${taskId}: ${result.stderr}`).toBe(0);
      const expected = taskId === 'quality_report' ? 'success' : 'running';
      expect((await runRow(perTask, 'airflow_R'))[0]?.['state']).toBe(expected);
    }
    const trusted = await fingerprintSchemas(oneProcess.warehousePool(), ['trusted']);
    expect(Object.keys(trusted).length).toBeGreaterThan(4);
    expect(await fingerprintSchemas(perTask.warehousePool(), ['trusted'])).toEqual(trusted);
  }, 600_000);

  it('--only extract_to_warehouse after a full run exits 0 in a new run and leaves the earlier run unchanged', async () => {
    const pool = oneProcess.warehousePool();
    const [earlier] = (await pool.query<{ run_id: string }>('select run_id from ops.dag_runs'))
      .rows;
    const before = await runRow(oneProcess, earlier!.run_id);
    const only = await runCli(
      ['run', '--only', 'extract_to_warehouse', ...targetArgs(oneProcess)],
      oneProcess.env(),
    );
    expect(only.code, only.stderr).toBe(0);
    expect(await runRow(oneProcess, earlier!.run_id)).toEqual(before);
    const status = await runCli(['status'], oneProcess.env());
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain(earlier!.run_id);
    const runs = await pool.query<{ state: string }>(
      'select state from ops.dag_runs order by started_at',
    );
    expect(runs.rows).toEqual([{ state: 'success' }, { state: 'success' }]);
  }, 300_000);
});

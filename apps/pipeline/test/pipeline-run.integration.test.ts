import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { runCli } from './cli-process.ts';
import { targetArgs, usePipelineEnvironment } from './pipeline-environment.ts';
import { fingerprintSchemas, type TableFingerprint } from './warehouse-fingerprint.ts';

const environment = usePipelineEnvironment('pipeline_run');
const tiny = [
  '--scale',
  'tiny',
  '--users',
  '300',
  '--sessions',
  '3000',
  '--titles',
  '60',
  '--seed',
  '11',
];

const taskStates = async (runId: string) =>
  Object.fromEntries(
    (
      await environment
        .warehousePool()
        .query<{ task_id: string; state: string }>(
          'select task_id, state from ops.task_runs where run_id = $1',
          [runId],
        )
    ).rows.map((r) => [r.task_id, r.state]),
  );
const latestRunId = async () =>
  (
    await environment
      .warehousePool()
      .query<{ run_id: string }>('select run_id from ops.dag_runs order by started_at desc limit 1')
  ).rows[0]!.run_id;

describe('pnpm pipeline run', () => {
  let firstTrusted: Record<string, TableFingerprint>;

  it('runs the whole DAG on tiny data: every task succeeds, trusted has rows, the quality report is written', async () => {
    const result = await runCli(['run', ...tiny, ...targetArgs(environment)], environment.env());
    expect(result.stderr).toMatch(/run manual__\S+: success/);
    expect(result.code, result.stderr).toBe(0);

    expect(await taskStates(await latestRunId())).toEqual({
      generate_data: 'success',
      create_mongo_collections: 'success',
      create_postgres_tables: 'success',
      load_json_to_mongo: 'success',
      load_csvs_to_postgres: 'success',
      extract_to_warehouse: 'success',
      check_source_freshness: 'success',
      transform_with_models: 'success',
      quality_report: 'success',
    });
    firstTrusted = await fingerprintSchemas(environment.warehousePool(), ['trusted']);
    expect(firstTrusted['trusted.fact_viewing_session']?.rows).toBe(3000);
    expect(firstTrusted['trusted.dim_content']?.rows).toBeGreaterThan(0);

    const report = JSON.parse(
      await readFile(join(environment.dir, 'target', 'quality', 'quality-report.json'), 'utf8'),
    ) as { status: string; streams: { stream: string; rawRows: number }[] };
    expect(report.streams.map((s) => [s.stream, s.rawRows])).toEqual([
      ['users', 300],
      ['viewing_sessions', 3000],
      ['content', 60],
    ]);
    expect(report.status).not.toBe('fail');
  });

  const modelModes = async () => {
    const results = JSON.parse(
      await readFile(join(environment.dir, 'target', 'models', 'run_results.json'), 'utf8'),
    ) as { models: { name: string; mode: string }[] };
    return new Set(results.models.map((m) => m.mode));
  };

  it('a second full run with the same seed skips generation, finds every model up to date and leaves trusted identical', async () => {
    const result = await runCli(['run', ...tiny, ...targetArgs(environment)], environment.env());
    expect(result.code, result.stderr).toBe(0);
    expect((await taskStates(await latestRunId()))['generate_data']).toBe('skipped');
    // The extract found nothing new: no raw table changed, so no model was built again.
    expect(await modelModes()).toEqual(new Set(['up_to_date']));
    expect(await fingerprintSchemas(environment.warehousePool(), ['trusted'])).toEqual(
      firstTrusted,
    );
  });

  it('models build --rebuild-up-to-date builds every model again on unchanged raw: trusted identical, keys included', async () => {
    const result = await runCli(
      ['models', 'build', '--rebuild-up-to-date', ...targetArgs(environment)],
      environment.env(),
    );
    expect(result.code, result.stderr).toBe(0);
    expect(await modelModes()).not.toContain('up_to_date');
    expect(await fingerprintSchemas(environment.warehousePool(), ['trusted'])).toEqual(
      firstTrusted,
    );
  });

  it('status shows both runs as a grid of task states', async () => {
    const result = await runCli(['status'], environment.env());
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/#1\s+manual__\S+\s+success/);
    expect(result.stdout).toMatch(/#2\s+manual__\S+\s+success/);
    expect(result.stdout).toMatch(/^generate_data\s+skipped\s+ok$/m);
  });
});

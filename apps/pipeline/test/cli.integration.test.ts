import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { runCli } from './cli-process.ts';
import { targetArgs, usePipelineEnvironment } from './pipeline-environment.ts';

const environment = usePipelineEnvironment('cli');

describe('pipeline CLI', () => {
  it('graph prints the DAG as Mermaid', async () => {
    const result = await runCli(['graph']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('flowchart LR\n');
    expect(result.stdout).toContain('  load_json_to_mongo --> extract_to_warehouse\n');
    expect(result.stdout).toContain('  extract_to_warehouse --> check_source_freshness\n');
    expect(result.stdout).toContain('  check_source_freshness --> transform_with_models\n');
    expect(result.stdout).toContain('  transform_with_models --> quality_report\n');
  });

  it("--help prints the command's own usage and exits 0 without config, database or server", async () => {
    // Unreachable URLs and an invalid config value: any attempt to use them would fail the command.
    const nothing = {
      SOURCE_DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
      WAREHOUSE_DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none',
      MONGODB_URL: 'mongodb://127.0.0.1:1/none',
      REELHOUSE_SEED: 'not-a-number',
    };
    for (const args of [
      ['--help'],
      ['models', 'build', '--help'],
      ['models', '--help'],
      ['task', '--help'],
      ['status', '-h'],
    ]) {
      const result = await runCli(args, nothing);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
      expect(result.stdout).toContain(`Usage: pnpm pipeline ${args.slice(0, -1).join(' ')}`.trim());
      expect(result.stderr).toBe('');
    }
    // Five CLI processes one after another: slow on a loaded machine, not a timing assertion.
  }, 300_000);

  it('exits 2 with the flag named on bad arguments', async () => {
    const bad = await runCli(['run', '--seed', 'x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('error (invalid_input): run: --seed:');
  });

  it('generate writes a data set with its manifest', async () => {
    const result = await runCli(
      [
        'generate',
        '--scale',
        'tiny',
        '--users',
        '40',
        '--sessions',
        '100',
        '--titles',
        '10',
        '--seed',
        '3',
      ],
      environment.env(),
    );
    expect(result.code, result.stderr).toBe(0);
    const manifest = JSON.parse(
      await readFile(
        join(environment.dir, 'data', 'tiny-u40-s100-t10-seed3', 'manifest.json'),
        'utf8',
      ),
    ) as { seed: number; counts: { users: number } };
    expect([manifest.seed, manifest.counts.users]).toEqual([3, 40]);
  });

  it('models build --dry-run compiles the selected models offline; models docs writes docs and lineage', async () => {
    const dryRun = await runCli(['models', 'build', '--dry-run', '--select', '+dim_user']);
    expect(dryRun.code, dryRun.stderr).toBe(0);
    // dim_user reads raw.users__history itself (issue 13); its upstream model is dim_date.
    expect(dryRun.stdout).toMatch(/^-- dim_date \(incremental\) depends on: /m);
    expect(dryRun.stdout).toMatch(/^-- dim_user \(incremental\) depends on: /m);
    expect(dryRun.stdout).not.toContain('-- fact_viewing_session');

    const out = join(environment.dir, 'docs');
    const docs = await runCli(['models', 'docs', '--out', out]);
    expect(docs.code, docs.stderr).toBe(0);
    expect(await readFile(join(out, 'lineage.mmd'), 'utf8')).toContain('fact_viewing_session');
    expect(await readFile(join(out, 'models.md'), 'utf8')).toContain('dim_user');
  });

  it('task makes one attempt per call under the given run id, as Airflow calls it', async () => {
    const args = [
      'task',
      'create_postgres_tables',
      '--run-id',
      'scheduled__2026-01-01',
      ...targetArgs(environment),
    ];
    expect((await runCli(args, environment.env())).code).toBe(0);
    expect((await runCli(args, environment.env())).code).toBe(0);

    const attempts = await environment
      .warehousePool()
      .query(
        "select task_id, attempt, state from ops.task_attempts where run_id = 'scheduled__2026-01-01' order by attempt",
      );
    expect(attempts.rows).toEqual([
      { task_id: 'create_postgres_tables', attempt: 1, state: 'success' },
      { task_id: 'create_postgres_tables', attempt: 2, state: 'success' },
    ]);
    const run = await environment
      .warehousePool()
      .query("select state from ops.dag_runs where run_id = 'scheduled__2026-01-01'");
    expect(run.rows).toEqual([{ state: 'running' }]);
  });
});

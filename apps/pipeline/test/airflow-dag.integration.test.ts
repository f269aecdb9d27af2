import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { offlineResources } from '../src/offline-resources.ts';
import { createPipelineDag } from '../src/pipeline-dag.ts';
import { workspaceRoot } from '../src/workspace-paths.ts';

import { recordDag, writeAirflowStandIn, type RecordedDag } from './airflow-standin.ts';
import { runCli } from './cli-process.ts';
import { usePipelineEnvironment } from './pipeline-environment.ts';
import { fingerprintSchemas } from './warehouse-fingerprint.ts';

const airflow = usePipelineEnvironment('airflow_tasks');
const reference = usePipelineEnvironment('airflow_reference');
const dag = createPipelineDag(offlineResources);

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rh-airflow-'));
  await writeAirflowStandIn(join(dir, 'airflow2'), 'airflow2');
  await writeAirflowStandIn(join(dir, 'airflow3'), 'airflow3');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function generateDag(name: string, args: readonly string[]): Promise<string> {
  const file = join(dir, `${name}.py`);
  const result = await runCli(['airflow-dag', '--out', file, ...args]);
  expect(result.code, result.stderr).toBe(0);
  return file;
}

/** Runs one rendered bash_command in its own process, as an Airflow worker does. */
function runBash(command: string, env: Record<string, string>) {
  // eslint-disable-next-line no-restricted-properties -- the worker's own PATH and HOME
  const inherited = process.env;
  const child = spawn('bash', ['-c', command], {
    env: { ...inherited, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/**
 * Airflow's part, played by the test: each task in dependency order once its trigger rule is met,
 * in its own process, retried as the file declares.
 */
async function runRecordedDag(recorded: RecordedDag, env: Record<string, string>) {
  const states = new Map<string, 'success' | 'failed' | 'upstream_failed'>();
  const attempts = new Map<string, number>();
  const failures: Record<string, string> = {};
  const upstream = (id: string) => recorded.edges.filter(([, to]) => to === id).map(([f]) => f);
  const pending = new Set(Object.keys(recorded.tasks));
  while (pending.size > 0) {
    const id = [...pending].find((t) => upstream(t).every((u) => states.has(u)));
    if (id === undefined) throw new Error(`cycle among ${[...pending].join(', ')}`);
    pending.delete(id);
    const task = recorded.tasks[id]!;
    const ups = upstream(id).map((u) => states.get(u));
    const rule = task.kwargs['trigger_rule'];
    const allowed =
      rule === 'all_done' ||
      (rule === 'none_failed' && ups.every((s) => s === 'success')) ||
      (rule === 'all_success' && ups.every((s) => s === 'success'));
    if (!allowed) {
      states.set(id, 'upstream_failed');
      continue;
    }
    const retries = task.kwargs['retries'] as number;
    let state: 'success' | 'failed' = 'failed';
    for (let attempt = 1; attempt <= retries + 1 && state === 'failed'; attempt += 1) {
      attempts.set(id, attempt);
      const result = await runBash(task.rendered['bash_command'] as string, env);
      if (result.code === 0) state = 'success';
      else failures[`${id}#${attempt}`] = result.output;
    }
    states.set(id, state);
  }
  return {
    states: Object.fromEntries(states),
    attempts: Object.fromEntries(attempts),
    failures,
  };
}

describe('pipeline airflow-dag', () => {
  it('declares the same tasks, dependencies, retries, pools and params on Airflow 2 and Airflow 3', async () => {
    const file = await generateDag('bash', ['--scale', 'tiny', '--seed', '7']);
    const airflow2 = await recordDag({ standIn: join(dir, 'airflow2'), file, runId: 'r1' });
    const airflow3 = await recordDag({ standIn: join(dir, 'airflow3'), file, runId: 'r1' });
    expect(airflow3).toEqual(airflow2);

    expect(airflow2.dag_id).toBe('video_streaming_elt_pipeline');
    expect(airflow2.kwargs).toMatchObject({ schedule: null, catchup: false, max_active_runs: 1 });
    expect(airflow2.kwargs['params']).toMatchObject({
      scale: { default: 'tiny', type: 'string' },
      seed: { default: 7, type: 'integer' },
    });
    expect(Object.keys(airflow2.tasks).sort()).toEqual([...dag.taskIds].sort());
    const edges = dag.taskIds.flatMap((id) => dag.upstreamOf(id).map((u) => [u, id])).sort();
    expect([...airflow2.edges].sort()).toEqual(edges);
    expect(airflow2.pools).toEqual({ reelhouse_source_postgres: 2, reelhouse_warehouse: 1 });
    for (const id of dag.taskIds) {
      const spec = dag.tasks[id];
      const task = airflow2.tasks[id]!;
      expect(task.operator).toBe('BashOperator');
      expect(task.kwargs['retries'], id).toBe(spec.retries ?? 0);
      expect(task.kwargs['trigger_rule'], id).toBe(spec.triggerRule ?? 'all_success');
      expect(task.kwargs['pool'], id).toBe(spec.pool && `reelhouse_${spec.pool}`);
      if (spec.timeoutMs !== undefined)
        expect(task.kwargs['execution_timeout']).toEqual({ seconds: spec.timeoutMs / 1000 });
    }
    // The project folder is never the generating machine's: a Variable, else the worker's environment.
    expect(airflow2.tasks['generate_data']!.rendered['bash_command']).toContain(
      'project_dir=\'\'; project_dir="${project_dir:-$REELHOUSE_PROJECT_DIR}"',
    );
    expect(await readFile(file, 'utf8')).not.toContain(workspaceRoot);
    const withVariable = await recordDag({
      standIn: join(dir, 'airflow3'),
      file,
      runId: 'r1',
      variables: { reelhouse_project_dir: '/srv/reelhouse' },
    });
    expect(withVariable.tasks['quality_report']!.rendered['bash_command']).toBe(
      `project_dir='/srv/reelhouse'; project_dir="\${project_dir:-$REELHOUSE_PROJECT_DIR}"; cd "\${project_dir:?set the Airflow Variable reelhouse_project_dir or the environment variable REELHOUSE_PROJECT_DIR to the project folder}" && pnpm pipeline task quality_report --run-id 'r1' --scale 'tiny' --seed '7'`,
    );
    const nowhere = await runBash(
      airflow2.tasks['generate_data']!.rendered['bash_command'] as string,
      { REELHOUSE_PROJECT_DIR: '' },
    );
    expect(nowhere.code).not.toBe(0);
    expect(nowhere.output).toContain('set the Airflow Variable reelhouse_project_dir');
  });

  it('with --schedule passes {{ ds }} as the logical date; docker and kubernetes tasks run the same command in the image', async () => {
    const bash = await generateDag('scheduled', ['--scale', 'tiny', '--schedule', '0 3 * * *']);
    const docker = await generateDag('docker', [
      '--scale',
      'tiny',
      '--schedule',
      '0 3 * * *',
      '--operator',
      'docker',
    ]);
    const kubernetes = await generateDag('kubernetes', [
      '--scale',
      'tiny',
      '--schedule',
      '0 3 * * *',
      '--operator',
      'kubernetes',
      '--image',
      'registry.example/reelhouse:1',
    ]);
    const record = (file: string, ds?: string) =>
      recordDag({
        standIn: join(dir, 'airflow3'),
        file,
        runId: 'scheduled__x',
        ...(ds ? { ds } : {}),
      });
    const bashDag = await record(bash, '2026-01-02');
    expect(bashDag.kwargs['schedule']).toBe('0 3 * * *');
    expect(bashDag.tasks['extract_to_warehouse']!.rendered['bash_command']).toMatch(
      / && pnpm pipeline task extract_to_warehouse --run-id 'scheduled__x' --scale 'tiny' --seed '42' --logical-date '2026-01-02'$/,
    );
    // Freshness is judged as of the run's data interval: the task gets the logical date too.
    expect(bashDag.tasks['check_source_freshness']!.rendered['bash_command']).toMatch(
      / && pnpm pipeline task check_source_freshness --run-id 'scheduled__x' --scale 'tiny' --seed '42' --logical-date '2026-01-02'$/,
    );
    expect(bashDag.edges).toEqual(
      expect.arrayContaining([
        ['extract_to_warehouse', 'check_source_freshness'],
        ['check_source_freshness', 'transform_with_models'],
      ]),
    );
    const argv = [
      ...['pnpm', 'pipeline', 'task', 'extract_to_warehouse', '--run-id', 'scheduled__x'],
      ...['--scale', 'tiny', '--seed', '42', '--logical-date', '2026-01-02'],
    ];

    const dockerDag = await record(docker, '2026-01-02');
    const dockerTask = dockerDag.tasks['extract_to_warehouse']!;
    expect(dockerTask.operator).toBe('DockerOperator');
    expect(dockerTask.kwargs['image']).toBe('reelhouse-pipeline:latest');
    expect(dockerTask.rendered['command']).toEqual(argv);
    expect(dockerTask.kwargs['pool']).toBe('reelhouse_warehouse');
    expect(dockerTask.kwargs['mounts']).toEqual([
      { class: 'Mount', source: 'reelhouse-data', target: '/app/data', type: 'volume' },
      { class: 'Mount', source: 'reelhouse-target', target: '/app/target', type: 'volume' },
    ]);

    const podDag = await record(kubernetes, '2026-01-02');
    const pod = podDag.tasks['extract_to_warehouse']!;
    expect(pod.operator).toBe('KubernetesPodOperator');
    expect(pod.kwargs['image']).toBe('registry.example/reelhouse:1');
    expect(pod.kwargs['name']).toBe('extract-to-warehouse');
    expect([
      ...(pod.rendered['cmds'] as string[]),
      ...(pod.rendered['arguments'] as string[]),
    ]).toEqual(argv);

    // Airflow 3 may start a manual run with no logical date: the flag is then empty, meaning none.
    const manual = await record(docker);
    expect(manual.tasks['generate_data']!.rendered['command']).toContain('--logical-date');
    expect((manual.tasks['generate_data']!.rendered['command'] as string[]).at(-1)).toBe('');
  });

  it('run task by task, each in its own process, gives the raw and trusted of one pnpm pipeline run', async () => {
    const target = join(dir, 'airflow-target');
    const file = await generateDag('e2e', [
      '--scale',
      'tiny',
      '--seed',
      '7',
      '--target-dir',
      target,
    ]);
    const recorded = await recordDag({
      standIn: join(dir, 'airflow2'),
      file,
      runId: 'manual__airflow_e2e',
    });
    const result = await runRecordedDag(recorded, {
      ...airflow.env(),
      REELHOUSE_PROJECT_DIR: workspaceRoot,
    });
    expect(result.states, JSON.stringify(result.failures, null, 2)).toEqual(
      Object.fromEntries(dag.taskIds.map((id) => [id, 'success'])),
    );

    const runs = await airflow
      .warehousePool()
      .query<{ run_id: string; state: string }>('select run_id, state from ops.dag_runs');
    expect(runs.rows).toEqual([{ run_id: 'manual__airflow_e2e', state: 'success' }]);

    // The same data set: the reference run reads the files the Airflow tasks generated.
    const one = await runCli(
      ['run', '--scale', 'tiny', '--seed', '7', '--target-dir', join(dir, 'reference-target')],
      { ...reference.env(), REELHOUSE_DATA_DIR: airflow.env()['REELHOUSE_DATA_DIR']! },
    );
    expect(one.code, one.stderr).toBe(0);
    const expected = await fingerprintSchemas(reference.warehousePool(), ['raw', 'trusted']);
    expect(Object.keys(expected).length).toBeGreaterThan(10);
    expect(await fingerprintSchemas(airflow.warehousePool(), ['raw', 'trusted'])).toEqual(expected);
  }, 900_000);
});

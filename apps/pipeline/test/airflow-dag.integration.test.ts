import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { offlineResources } from '../src/offline-resources.ts';
import { createPipelineDag } from '../src/pipeline-dag.ts';

import { runCli } from './cli-process.ts';

const exec = promisify(execFile);

// Reads the generated file with Python's own parser: BashOperator task ids, commands and `a >> b` edges.
const inspectDag = `
import ast, json, sys
tree = ast.parse(open(sys.argv[1]).read())
tasks, variables, edges = {}, {}, []
for node in ast.walk(tree):
    if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call) and getattr(node.value.func, 'id', '') == 'BashOperator':
        kwargs = {k.arg: k.value for k in node.value.keywords}
        task_id = kwargs['task_id'].value
        variables[node.targets[0].id] = task_id
        tasks[task_id] = {'command': kwargs['bash_command'].value, 'retries': kwargs['retries'].value}
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.RShift):
        edges.append([node.left.id, node.right.id])
print(json.dumps({'tasks': tasks, 'edges': sorted([variables[a], variables[b]] for a, b in edges)}))
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rh-airflow-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('pipeline airflow-dag', () => {
  it('writes a DAG file that compiles and declares the same tasks, dependencies and retries as the DAG', async () => {
    const file = join(dir, 'video_streaming_elt_pipeline.py');
    const result = await runCli([
      'airflow-dag',
      '--out',
      file,
      '--scale',
      'tiny',
      '--seed',
      '7',
      '--project-dir',
      '/srv/reelhouse',
    ]);
    expect(result.stderr).toContain(`wrote ${file}`);
    expect(result.code, result.stderr).toBe(0);

    await exec('python3', ['-m', 'py_compile', file]);
    const { stdout } = await exec('python3', ['-c', inspectDag, file]);
    const parsed = JSON.parse(stdout) as {
      tasks: Record<string, { command: string; retries: number }>;
      edges: [string, string][];
    };

    const dag = createPipelineDag(offlineResources);
    expect(Object.keys(parsed.tasks).sort()).toEqual([...dag.taskIds].sort());
    const edges = dag.taskIds
      .flatMap((id) => dag.upstreamOf(id).map((upstream) => [upstream, id]))
      .sort();
    expect(parsed.edges).toEqual(edges);
    for (const id of dag.taskIds) {
      expect(parsed.tasks[id]?.retries).toBe(dag.tasks[id].retries ?? 0);
      expect(parsed.tasks[id]?.command).toBe(
        `cd '/srv/reelhouse' && pnpm pipeline task ${id} --run-id '{{ run_id }}' --scale tiny --seed 7 --users 1000 --sessions 10000 --titles 200`,
      );
    }
    const text = await readFile(file, 'utf8');
    expect(text).toContain('dag_id="video_streaming_elt_pipeline"');
    expect(text).toContain('trigger_rule="none_failed"');
  });
});

import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

import { renderAirflowDag } from '@reelhouse/orchestrator';

import type { CliContext } from '../cli-context.ts';
import type { Command } from '../cli-options.ts';
import { exitCodes } from '../exit-codes.ts';
import { offlineResources } from '../offline-resources.ts';
import { createPipelineDag, pipelineDagId } from '../pipeline-dag.ts';
import type { PipelineParams } from '../pipeline-params.ts';
import { resolvePipelineParams } from '../pipeline-params.ts';
import { fromRoot, workspaceRoot } from '../workspace-paths.ts';

type AirflowDagCommand = Extract<Command, { name: 'airflow-dag' }>;

const shellQuote = (value: string): string => `'${value.replaceAll("'", `'\\''`)}'`;

/** The shell command Airflow runs for one task: one attempt through `pnpm pipeline task`, under Airflow's run id. */
export function airflowTaskCommand(options: {
  projectDir: string;
  taskId: string;
  params: PipelineParams;
}): string {
  const { params } = options;
  const flags = [
    `--scale ${params.preset}`,
    `--seed ${params.seed}`,
    `--users ${params.users}`,
    `--sessions ${params.sessions}`,
    `--titles ${params.titles}`,
  ];
  if (params.defectRate > 0) flags.push(`--defects ${params.defectRate}`);
  return `cd ${shellQuote(options.projectDir)} && pnpm pipeline task ${options.taskId} --run-id '{{ run_id }}' ${flags.join(' ')}`;
}

/** `pipeline airflow-dag`: writes the Airflow DAG file that runs each task through `pipeline task`. */
export async function airflowDagCommand(
  command: AirflowDagCommand,
  context: CliContext,
): Promise<number> {
  const params = resolvePipelineParams({
    flags: command.data,
    config: context.config,
    fullRefresh: false,
  });
  const projectDir = command.projectDir ?? workspaceRoot;
  const dag = createPipelineDag(offlineResources);
  const python = renderAirflowDag(dag, {
    generatedBy: '`pnpm pipeline airflow-dag`',
    command: (taskId) => airflowTaskCommand({ projectDir, taskId, params }),
  });
  const path = fromRoot(command.out ?? `target/airflow/${pipelineDagId}.py`);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, python);
  context.stderr.write(`wrote ${path}\n`);
  return exitCodes.success;
}

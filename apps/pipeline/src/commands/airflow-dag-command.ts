import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

import { renderAirflowDag } from '@reelhouse/orchestrator';

import type { CliContext } from '../cli-context.ts';
import { addDataOptions, dataFlags, type DataSetFlags } from '../cli-options.ts';
import type { RegisterCommand } from '../cli-program.ts';
import { exitCodes } from '../exit-codes.ts';
import { offlineResources } from '../offline-resources.ts';
import { createPipelineDag, pipelineDagId } from '../pipeline-dag.ts';
import type { PipelineParams } from '../pipeline-params.ts';
import { resolvePipelineParams } from '../pipeline-params.ts';
import { fromRoot, workspaceRoot } from '../workspace-paths.ts';

export interface AirflowDagOptions {
  readonly data: DataSetFlags;
  readonly out?: string | undefined;
  readonly projectDir?: string | undefined;
}

export const registerAirflowDagCommand: RegisterCommand = (program, select) => {
  const command = program
    .command('airflow-dag')
    .description('write an Airflow DAG file that runs each task through `pipeline task <id>`')
    .option('--out <file>', 'where to write it (default target/airflow/<dag>.py)')
    .option('--project-dir <dir>', 'the project folder on the Airflow workers');
  addDataOptions(command).action((values: Record<string, unknown>) => {
    const options: AirflowDagOptions = {
      data: dataFlags(values, 'airflow-dag'),
      out: values['out'] as string | undefined,
      projectDir: values['projectDir'] as string | undefined,
    };
    select({
      name: 'airflow-dag',
      options,
      execute: (context) => airflowDagCommand(options, context),
    });
  });
};

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
  command: AirflowDagOptions,
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

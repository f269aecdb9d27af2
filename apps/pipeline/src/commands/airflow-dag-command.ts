import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

import { configSchema } from '@reelhouse/config';
import {
  cronSchedule,
  renderAirflowDag,
  type AirflowParam,
  type AirflowRunner,
} from '@reelhouse/orchestrator';
import { Option } from 'commander';
import { z } from 'zod';

import type { CliContext } from '../cli-context.ts';
import { addDataOptions, dataFlags, validated, type DataSetFlags } from '../cli-options.ts';
import type { RegisterCommand } from '../cli-program.ts';
import { exitCodes } from '../exit-codes.ts';
import { offlineResources } from '../offline-resources.ts';
import { createPipelineDag, pipelineDagId } from '../pipeline-dag.ts';
import { resolvePipelineParams } from '../pipeline-params.ts';
import { fromRoot } from '../workspace-paths.ts';

export type AirflowOperatorKind = AirflowRunner['kind'];

export interface AirflowDagOptions {
  readonly data: DataSetFlags;
  readonly out?: string | undefined;
  /** Fallback project folder on the workers, after the Variable and the environment variable. */
  readonly projectDir?: string | undefined;
  /** `--target-dir` of every task (a folder the workers share), else the project's `target`. */
  readonly targetDir?: string | undefined;
  /** Cron expression or preset; none: manual runs only. */
  readonly schedule?: string | undefined;
  readonly catchup: boolean;
  readonly startDate: string;
  readonly operator: AirflowOperatorKind;
  readonly image: string;
  readonly namespace: string;
}

const isoDate = z.iso.date();

export const registerAirflowDagCommand: RegisterCommand = (program, select) => {
  const command = program
    .command('airflow-dag')
    .description('write an Airflow DAG file (Airflow 2.x and 3.x) running each task as `task <id>`')
    .option('--out <file>', 'where to write it (default target/airflow/<dag>.py)')
    .option('--schedule <cron>', 'cron expression or preset such as @daily (default: none, manual)')
    .option('--catchup', 'let Airflow create the runs of missed intervals')
    .option('--start-date <date>', 'first data interval, YYYY-MM-DD', '2024-01-01')
    .addOption(
      new Option('--operator <kind>', 'how each task runs')
        .choices(['bash', 'docker', 'kubernetes'])
        .default('bash'),
    )
    .option(
      '--image <name>',
      "docker/Dockerfile's image (docker, kubernetes)",
      'reelhouse-pipeline:latest',
    )
    .option('--namespace <name>', 'Kubernetes namespace of the pods', 'default')
    .option(
      '--project-dir <dir>',
      'bash: project folder on the workers when neither the Airflow Variable reelhouse_project_dir nor REELHOUSE_PROJECT_DIR is set',
    )
    .option('--target-dir <dir>', 'target folder every task writes to (one the workers share)');
  addDataOptions(command).action((values: Record<string, unknown>) => {
    const schedule = values['schedule'] as string | undefined;
    if (schedule !== undefined) cronSchedule(schedule);
    const options: AirflowDagOptions = {
      data: dataFlags(values, 'airflow-dag'),
      out: values['out'] as string | undefined,
      projectDir: values['projectDir'] as string | undefined,
      targetDir: values['targetDir'] as string | undefined,
      schedule,
      catchup: values['catchup'] === true,
      startDate: validated(isoDate, values['startDate'], 'airflow-dag --start-date'),
      operator: values['operator'] as AirflowOperatorKind,
      image: values['image'] as string,
      namespace: values['namespace'] as string,
    };
    select({
      name: 'airflow-dag',
      options,
      execute: (context) => airflowDagCommand(options, context),
    });
  });
};

/** The settings the containers get: the config's variables, minus the machine-local ones. */
const containerEnvironment = Object.keys(configSchema.shape).filter(
  (name) => !['PORT', 'DOCKER_HOST', 'REELHOUSE_CACHE_DIR', 'REELHOUSE_DATA_DIR'].includes(name),
);

function runner(options: AirflowDagOptions): AirflowRunner {
  switch (options.operator) {
    case 'bash':
      return {
        kind: 'bash',
        projectDir: {
          variable: 'reelhouse_project_dir',
          environment: 'REELHOUSE_PROJECT_DIR',
          fallback: options.projectDir,
        },
      };
    case 'docker':
      return {
        kind: 'docker',
        image: options.image,
        environment: containerEnvironment,
        volumes: [
          { name: 'reelhouse-data', path: '/app/data' },
          { name: 'reelhouse-target', path: '/app/target' },
        ],
      };
    case 'kubernetes':
      return {
        kind: 'kubernetes',
        image: options.image,
        namespace: options.namespace,
        envSecret: 'reelhouse-env',
        volumes: [
          { claim: 'reelhouse-data', path: '/app/data' },
          { claim: 'reelhouse-target', path: '/app/target' },
        ],
      };
  }
}

/** The DAG params: scale and seed always, explicit sizes when given (a trigger may override them). */
export function airflowParams(data: DataSetFlags, defaults: { preset: string; seed: number }) {
  const params: Record<string, AirflowParam> = {
    scale: {
      default: defaults.preset,
      type: 'string',
      pattern: '^[a-z0-9][a-z0-9_-]*$',
      description: 'size preset: tiny, small, medium or large',
    },
    seed: { default: defaults.seed, type: 'integer', minimum: 0, description: 'seed of the data' },
  };
  if (data.users !== undefined)
    params['users'] = { default: data.users, type: 'integer', minimum: 1 };
  if (data.sessions !== undefined)
    params['sessions'] = { default: data.sessions, type: 'integer', minimum: 0 };
  if (data.titles !== undefined)
    params['titles'] = { default: data.titles, type: 'integer', minimum: 1 };
  if (data.defects !== undefined)
    params['defects'] = { default: data.defects, type: 'number', minimum: 0, maximum: 0.5 };
  return params;
}

/**
 * One task's command line under Airflow: one attempt of `pipeline task <id>` under Airflow's run
 * id, the data set from the DAG params and, on a schedule, the run's logical date `{{ ds }}`.
 */
export function airflowTaskArgv(options: {
  taskId: string;
  params: Readonly<Record<string, AirflowParam>>;
  scheduled: boolean;
  targetDir?: string | undefined;
}): string[] {
  return [
    'pnpm',
    'pipeline',
    'task',
    options.taskId,
    '--run-id',
    '{{ run_id }}',
    ...Object.keys(options.params).flatMap((name) => [`--${name}`, `{{ params.${name} }}`]),
    // Airflow 3 may start a manual run without a logical date: `ds` is then empty, meaning none.
    ...(options.scheduled ? ['--logical-date', '{{ ds | default("", true) }}'] : []),
    ...(options.targetDir === undefined ? [] : ['--target-dir', options.targetDir]),
  ];
}

/** `pipeline airflow-dag`: writes the Airflow DAG file that runs each task through `pipeline task`. */
export async function airflowDagCommand(
  command: AirflowDagOptions,
  context: CliContext,
): Promise<number> {
  const resolved = resolvePipelineParams({
    flags: command.data,
    config: context.config,
    fullRefresh: false,
  });
  const params = airflowParams(command.data, resolved);
  const dag = createPipelineDag(offlineResources);
  const python = renderAirflowDag(dag, {
    generatedBy: '`pnpm pipeline airflow-dag`',
    taskArgv: (taskId) =>
      airflowTaskArgv({
        taskId,
        params,
        scheduled: command.schedule !== undefined,
        targetDir: command.targetDir,
      }),
    runner: runner(command),
    schedule: command.schedule ?? null,
    catchup: command.catchup,
    startDate: command.startDate,
    params,
    poolPrefix: 'reelhouse_',
  });
  const path = fromRoot(command.out ?? `target/airflow/${pipelineDagId}.py`);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, python);
  context.stderr.write(`wrote ${path}\n`);
  return exitCodes.success;
}

import { newRunId, runTask } from '@reelhouse/orchestrator';

import type { CliContext } from '../cli-context.ts';
import {
  addDataOptions,
  addDataSetSourceOptions,
  addOutputOptions,
  dataFlags,
  outputFlags,
  taskIdSchema,
  validated,
  type DataSetFlags,
  type OutputFlags,
} from '../cli-options.ts';
import type { RegisterCommand } from '../cli-program.ts';
import { createLogger } from '../create-logger.ts';
import { exitCodes } from '../exit-codes.ts';
import { openResources } from '../open-resources.ts';
import { createPipelineDag } from '../pipeline-dag.ts';
import { resolveRunParams } from '../resolve-run-params.ts';
import { fromRoot } from '../workspace-paths.ts';

export interface TaskOptions {
  readonly taskId: string;
  readonly data: DataSetFlags;
  readonly output: OutputFlags;
  readonly runId?: string | undefined;
  readonly fullRefresh: boolean;
}

export const registerTaskCommand: RegisterCommand = (program, select) => {
  const command = program
    .command('task')
    .description('one attempt of one task, as Airflow calls it')
    .argument('<task-id>', 'the task, e.g. extract_to_warehouse')
    .option('--run-id <id>', 'the run the attempt belongs to (default a new run id)')
    .option('--full-refresh', 'extract everything again and rebuild the models from scratch');
  addOutputOptions(addDataSetSourceOptions(addDataOptions(command))).action(
    (taskId: string, values: Record<string, unknown>) => {
      const options: TaskOptions = {
        taskId: validated(taskIdSchema, taskId, 'task'),
        data: dataFlags(values, 'task'),
        output: outputFlags(values),
        runId: values['runId'] as string | undefined,
        fullRefresh: values['fullRefresh'] === true,
      };
      select({ name: 'task', options, execute: (context) => taskCommand(options, context) });
    },
  );
};

/** `pipeline task <id>`: one attempt of one task under a run id, the unit an external scheduler calls. */
export async function taskCommand(command: TaskOptions, context: CliContext): Promise<number> {
  const { config, stderr } = context;
  const targetDir = fromRoot(command.output.targetDir ?? 'target');
  const logger = createLogger({
    level: config.logLevel,
    file: command.output.logFile === undefined ? undefined : fromRoot(command.output.logFile),
  });
  const params = await resolveRunParams({
    flags: command.data,
    config,
    fullRefresh: command.fullRefresh,
  });
  const resources = await openResources({
    config,
    needs: 'all',
    logger,
    announce: (line) => stderr.write(`using ${line}\n`),
  });
  const { source, mongo } = resources;
  if (source === undefined || mongo === undefined)
    throw new Error('openResources(all) returned no source or mongo');
  try {
    const dag = createPipelineDag(() => ({
      source,
      mongo,
      warehouse: resources.warehouse,
      dataDir: fromRoot(config.dataDir),
      targetDir,
      plausibility: config.plausibility,
    }));
    const runId = command.runId ?? newRunId();
    const result = await runTask(dag, {
      warehouse: resources.history,
      runId,
      taskId: command.taskId,
      params,
      logger,
      signal: context.signal,
    });
    stderr.write(
      `task ${command.taskId} (run ${runId}): ${result.state}${result.error ? `: ${result.error.code}: ${result.error.message}` : ''}\n`,
    );
    if (result.state === 'success' || result.state === 'skipped') return exitCodes.success;
    return result.state === 'interrupted' ? exitCodes.interrupted : exitCodes.failed;
  } finally {
    await resources.close();
  }
}

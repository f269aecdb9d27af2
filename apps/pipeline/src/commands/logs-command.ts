import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { ReelhouseError } from '@reelhouse/core';

import type { CliContext } from '../cli-context.ts';
import {
  addOutputOptions,
  outputFlags,
  taskIdSchema,
  validated,
  type OutputFlags,
} from '../cli-options.ts';
import type { RegisterCommand } from '../cli-program.ts';
import { exitCodes } from '../exit-codes.ts';
import { offlineResources } from '../offline-resources.ts';
import { createPipelineDag } from '../pipeline-dag.ts';
import { fromRoot } from '../workspace-paths.ts';

export interface LogsOptions {
  readonly runId: string;
  readonly taskId?: string | undefined;
  readonly output: OutputFlags;
}

export const registerLogsCommand: RegisterCommand = (program, select) => {
  const command = program
    .command('logs')
    .description("a run's logs, per task and attempt (target/logs/<run>/<task>/<attempt>.jsonl)")
    .argument('<run-id>', 'the run')
    .argument('[task-id]', 'one task only');
  addOutputOptions(command).action(
    (runId: string, taskId: string | undefined, values: Record<string, unknown>) => {
      const options: LogsOptions = {
        runId,
        taskId: taskId === undefined ? undefined : validated(taskIdSchema, taskId, 'logs'),
        output: outputFlags(values),
      };
      select({ name: 'logs', options, execute: (context) => logsCommand(options, context) });
    },
  );
};

const attemptNumber = (file: string) => Number(file.replace(/\.jsonl$/, ''));

/** `pipeline logs RUN [TASK]`: prints the run's log lines, task by task in DAG order, attempt by attempt. */
export async function logsCommand(command: LogsOptions, context: CliContext): Promise<number> {
  const runDir = join(fromRoot(command.output.targetDir ?? 'target'), 'logs', command.runId);
  const entries = await readdir(runDir, { withFileTypes: true }).catch(() => undefined);
  if (entries === undefined)
    throw new ReelhouseError({
      code: 'not_found',
      message: `no logs of run ${command.runId} in ${runDir}`,
      context: { runId: command.runId },
    });
  const found = new Set(entries.filter((e) => e.isDirectory()).map((e) => e.name));
  const order = createPipelineDag(offlineResources).taskIds as readonly string[];
  const tasks = [
    ...order.filter((id) => found.has(id)),
    ...[...found].filter((id) => !order.includes(id)),
  ];
  const wanted = command.taskId === undefined ? tasks : tasks.filter((id) => id === command.taskId);
  if (command.taskId !== undefined && wanted.length === 0)
    throw new ReelhouseError({
      code: 'not_found',
      message: `run ${command.runId} has no logs of task ${command.taskId} (tasks with logs: ${tasks.join(', ') || 'none'})`,
    });
  if (command.taskId === undefined && entries.some((e) => e.name === 'run.jsonl')) {
    context.stdout.write(`== ${command.runId} (run)\n`);
    context.stdout.write(await readFile(join(runDir, 'run.jsonl'), 'utf8'));
  }
  for (const task of wanted) {
    const files = (await readdir(join(runDir, task)))
      .filter((f) => f.endsWith('.jsonl'))
      .sort((a, b) => attemptNumber(a) - attemptNumber(b));
    for (const file of files) {
      context.stdout.write(`== ${command.runId} ${task} attempt ${attemptNumber(file)}\n`);
      context.stdout.write(await readFile(join(runDir, task, file), 'utf8'));
    }
  }
  return exitCodes.success;
}

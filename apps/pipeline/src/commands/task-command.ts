import { dirname } from 'node:path';

import { newRunId, runTask } from '@reelhouse/orchestrator';

import type { CliContext } from '../cli-context.ts';
import type { Command } from '../cli-options.ts';
import { checkFolders } from '../check-folders.ts';
import { createLogger } from '../create-logger.ts';
import { exitCodes } from '../exit-codes.ts';
import { openResources } from '../open-resources.ts';
import { createPipelineDag } from '../pipeline-dag.ts';
import { resolvePipelineParams } from '../pipeline-params.ts';
import { fromRoot } from '../workspace-paths.ts';

type TaskCommand = Extract<Command, { name: 'task' }>;

/** `pipeline task <id>`: one attempt of one task under a run id, the unit an external scheduler calls. */
export async function taskCommand(command: TaskCommand, context: CliContext): Promise<number> {
  const { config, stderr } = context;
  const targetDir = fromRoot(command.output.targetDir ?? 'target');
  const logFile = command.output.logFile;
  await checkFolders([
    { setting: '--target-dir', path: targetDir },
    { setting: 'REELHOUSE_DATA_DIR', path: fromRoot(config.dataDir) },
    ...(logFile === undefined ? [] : [{ setting: '--log-file', path: dirname(fromRoot(logFile)) }]),
  ]);
  const logger = createLogger({
    level: config.logLevel,
    file: command.output.logFile === undefined ? undefined : fromRoot(command.output.logFile),
  });
  const params = resolvePipelineParams({
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

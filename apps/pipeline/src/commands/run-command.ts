import { dirname, join } from 'node:path';

import { Option } from 'commander';

import { runDag, type DagRunResult } from '@reelhouse/orchestrator';
import type { RunType } from '@reelhouse/warehouse';

import type { CliContext } from '../cli-context.ts';
import {
  addDataOptions,
  addLogicalDateOption,
  addDataSetSourceOptions,
  addOutputOptions,
  dataFlags,
  logicalDateFlag,
  optionalTaskId,
  outputFlags,
  type DataSetFlags,
  type OutputFlags,
} from '../cli-options.ts';
import type { RegisterCommand } from '../cli-program.ts';
import { checkFolders } from '../check-folders.ts';
import { createLogger } from '../create-logger.ts';
import { exitCodes } from '../exit-codes.ts';
import { createLiveView } from '../live-view.ts';
import { openResources } from '../open-resources.ts';
import { createPipelineDag, pipelineDagId, type PipelineDag } from '../pipeline-dag.ts';
import { resolveRunParams } from '../resolve-run-params.ts';
import { renderLoadSummary, summarizeLoads } from '../quality/load-summary.ts';
import { fromRoot } from '../workspace-paths.ts';

export interface RunOptions {
  readonly data: DataSetFlags;
  readonly output: OutputFlags;
  readonly runId?: string | undefined;
  readonly resume: boolean;
  readonly from?: string | undefined;
  readonly only?: string | undefined;
  readonly fullRefresh: boolean;
  /** The day batch the run processes (YYYY-MM-DD). */
  readonly logicalDate?: string | undefined;
}

/** `run`, the default command: `pnpm pipeline [run] [options]`. */
export const registerRunCommand: RegisterCommand = (program, select) => {
  const command = program
    .command('run', { isDefault: true })
    .description('run the DAG video_streaming_elt_pipeline (the default command)');
  addDataSetSourceOptions(addDataOptions(command))
    .option(
      '--resume',
      'resume the last run that did not succeed (its params unless new ones are given)',
    )
    .option('--run-id <id>', 'id of the new run (or of the run to resume)')
    .addOption(
      new Option('--from <task>', 'a new run from this task on, reusing earlier data').conflicts(
        'only',
      ),
    )
    .addOption(new Option('--only <task>', 'a new run of this task alone, reusing earlier data'))
    .option('--full-refresh', 'extract everything again and rebuild the models from scratch');
  addOutputOptions(addLogicalDateOption(command)).action((values: Record<string, unknown>) => {
    const options: RunOptions = {
      data: dataFlags(values, 'run'),
      output: outputFlags(values),
      runId: values['runId'] as string | undefined,
      resume: values['resume'] === true,
      from: optionalTaskId(values['from'], 'run --from'),
      only: optionalTaskId(values['only'], 'run --only'),
      fullRefresh: values['fullRefresh'] === true,
      logicalDate: logicalDateFlag(values, 'run'),
    };
    select({ name: 'run', options, execute: (context) => runCommand(options, context) });
  });
};

/** Exit code of a finished run. */
export function runExitCode(state: DagRunResult['state']): number {
  switch (state) {
    case 'success':
      return exitCodes.success;
    case 'interrupted':
      return exitCodes.interrupted;
    case 'failed':
    case 'running':
      return exitCodes.failed;
  }
}

/** `pipeline run`: the whole DAG (or a resume, `--from`, `--only`) with a live view on a terminal. */
export async function runCommand(command: RunOptions, context: CliContext): Promise<number> {
  return runExitCode((await runPipeline(command, context)).state);
}

/** One run of the DAG as `run` makes it; `backfill` and `schedule` call it once per logical date. */
export async function runPipeline(
  command: RunOptions,
  context: CliContext,
  runType: RunType = 'manual',
): Promise<DagRunResult<PipelineDag['taskIds'][number]>> {
  const { config, stdout, stderr } = context;
  const targetDir = fromRoot(command.output.targetDir ?? 'target');
  const dataDir = fromRoot(config.dataDir);
  const live = stdout.isTTY;
  const logFile =
    command.output.logFile ?? (live ? join(targetDir, 'logs', 'pipeline.jsonl') : undefined);
  await checkFolders([
    { setting: '--target-dir', path: targetDir },
    { setting: 'the data folder', path: dataDir },
    ...(logFile === undefined ? [] : [{ setting: '--log-file', path: dirname(fromRoot(logFile)) }]),
  ]);
  const logger = createLogger({
    level: config.logLevel,
    file: logFile === undefined ? undefined : fromRoot(logFile),
    runLogsDir: join(targetDir, 'logs'),
  });
  const continuing = command.resume || command.from !== undefined || command.only !== undefined;
  const explicitParams =
    Object.values(command.data).some((value) => value !== undefined) ||
    command.fullRefresh ||
    command.logicalDate !== undefined;
  // A resume keeps the params its run started with unless new ones are given (then they must match).
  const params =
    continuing && !explicitParams
      ? undefined
      : {
          ...(await resolveRunParams({
            flags: command.data,
            config,
            fullRefresh: command.fullRefresh,
          })),
          ...(command.logicalDate === undefined ? {} : { logicalDate: command.logicalDate }),
        };
  const note = (line: string) => (live ? stdout : stderr).write(`${line}\n`);
  const resources = await openResources({
    config,
    needs: 'all',
    logger,
    announce: (line) => note(`using ${line}`),
  });
  const { source, mongo } = resources;
  if (source === undefined || mongo === undefined)
    throw new Error('openResources(all) returned no source or mongo');
  const dag = createPipelineDag(() => ({
    source,
    mongo,
    warehouse: resources.warehouse,
    dataDir,
    targetDir,
    extractLookbackSeconds: config.extractLookbackSeconds,
    plausibility: config.plausibility,
  }));
  const view = live
    ? createLiveView({ out: stdout, title: pipelineDagId, taskIds: dag.taskIds })
    : undefined;
  try {
    if (logFile !== undefined && live) note(`logs: ${fromRoot(logFile)}`);
    const result = await runDag(dag, {
      warehouse: resources.history,
      ...(command.runId === undefined ? {} : { runId: command.runId }),
      resume: command.resume,
      ...(command.from === undefined ? {} : { from: command.from }),
      ...(command.only === undefined ? {} : { only: command.only }),
      ...(params === undefined ? {} : { params }),
      ...(params?.logicalDate === undefined ? {} : { logicalDate: params.logicalDate }),
      runType,
      logger,
      signal: context.signal,
      ...(view === undefined ? {} : { onEvent: (event) => view.onEvent(event) }),
    });
    view?.stop();
    note(`run ${result.runId}: ${result.state}`);
    for (const id of dag.taskIds) {
      const task = result.tasks[id];
      const error = task.result?.error;
      if (error !== undefined) note(`  ${id}: ${task.state}: ${error.code}: ${error.message}`);
    }
    // The sources' state, so a resumed or partial run reports too; a failure here must not hide the run's.
    const summary = await summarizeLoads({
      source,
      mongo,
      reports: {
        csv: result.tasks.load_csvs_to_postgres.result?.report,
        json: result.tasks.load_json_to_mongo.result?.report,
      },
    }).catch(() => undefined);
    if (summary !== undefined) for (const line of renderLoadSummary(summary)) note(line);
    if (result.tasks.quality_report.state === 'success')
      note(`quality report: ${join(targetDir, 'quality', 'quality-report.md')}`);
    return result;
  } finally {
    view?.stop();
    await resources.close();
  }
}

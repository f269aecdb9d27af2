import { createKysely, type OpsSchema } from '@reelhouse/warehouse';

import type { CliContext } from '../cli-context.ts';
import {
  addOutputOptions,
  countSchema,
  outputFlags,
  validated,
  type OutputFlags,
} from '../cli-options.ts';
import type { RegisterCommand } from '../cli-program.ts';
import { createLogger } from '../create-logger.ts';
import { exitCodes } from '../exit-codes.ts';
import { offlineResources } from '../offline-resources.ts';
import { openResources } from '../open-resources.ts';
import { createPipelineDag, pipelineDagId } from '../pipeline-dag.ts';
import { renderStatusGrid } from '../status-grid.ts';
import { fromRoot } from '../workspace-paths.ts';

export interface StatusOptions {
  readonly output: OutputFlags;
  readonly limit: number;
  readonly runId?: string | undefined;
}

export const registerStatusCommand: RegisterCommand = (program, select) => {
  const command = program
    .command('status')
    .description('recent runs and their task states, from ops')
    .option('--limit <n>', 'how many runs, 1 to 50', '5')
    .option('--run-id <id>', 'this run only');
  addOutputOptions(command).action((values: Record<string, unknown>) => {
    const options: StatusOptions = {
      output: outputFlags(values),
      limit: validated(countSchema.min(1).max(50), values['limit'], 'status --limit'),
      runId: values['runId'] as string | undefined,
    };
    select({ name: 'status', options, execute: (context) => statusCommand(options, context) });
  });
};

/** `pipeline status`: the recent runs and their task states as a grid, read from `ops`. */
export async function statusCommand(command: StatusOptions, context: CliContext): Promise<number> {
  const { config, stdout, stderr } = context;
  const logger = createLogger({
    level: config.logLevel,
    file: command.output.logFile === undefined ? undefined : fromRoot(command.output.logFile),
    stream: 'stderr',
  });
  const resources = await openResources({
    config,
    needs: 'warehouse',
    logger,
    announce: (line) => stderr.write(`using ${line}\n`),
  });
  try {
    const db = createKysely<OpsSchema>(resources.history);
    const { rows } = await resources.history.query<{ found: boolean }>(
      "select to_regclass('ops.dag_runs') is not null as found",
    );
    const hasHistory = rows[0]?.found === true;
    let query = db.selectFrom('ops.dag_runs').selectAll().where('dag_id', '=', pipelineDagId);
    if (command.runId !== undefined) query = query.where('run_id', '=', command.runId);
    const runs = hasHistory
      ? await query.orderBy('started_at', 'desc').limit(command.limit).execute()
      : [];
    const taskRuns =
      runs.length === 0
        ? []
        : await db
            .selectFrom('ops.task_runs')
            .selectAll()
            .where(
              'run_id',
              'in',
              runs.map((r) => r.run_id),
            )
            .execute();
    stdout.write(
      renderStatusGrid({ runs, taskRuns, taskIds: createPipelineDag(offlineResources).taskIds }),
    );
    return exitCodes.success;
  } finally {
    await resources.close();
  }
}

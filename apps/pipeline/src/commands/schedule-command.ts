import { setTimeout as sleep } from 'node:timers/promises';

import { cronSchedule, type DataInterval } from '@reelhouse/orchestrator';
import { z } from 'zod';

import type { CliContext } from '../cli-context.ts';
import {
  addDataOptions,
  addOutputOptions,
  dataFlags,
  outputFlags,
  validated,
  type DataSetFlags,
  type OutputFlags,
} from '../cli-options.ts';
import type { RegisterCommand } from '../cli-program.ts';
import { exitCodes } from '../exit-codes.ts';
import { notifyFailure } from '../notify-failure.ts';
import { pipelineDagId } from '../pipeline-dag.ts';
import { readRunHistory } from '../read-run-history.ts';
import { pendingIntervals, scheduledRunId } from '../scheduled-intervals.ts';
import { runPipeline } from './run-command.ts';

export interface ScheduleOptions {
  readonly cron: string;
  readonly catchup: boolean;
  readonly startDate?: string | undefined;
  readonly data: DataSetFlags;
  readonly output: OutputFlags;
}

export const registerScheduleCommand: RegisterCommand = (program, select) => {
  const command = program
    .command('schedule')
    .description(
      'start runs on a cron schedule, one at a time, until SIGTERM (Airflow data intervals, UTC)',
    )
    .requiredOption('--cron <expr>', 'cron expression (5 fields, 6 with seconds) or @daily etc.')
    .option('--catchup', 'also run the intervals missed since the last scheduled run')
    .option(
      '--start-date <date>',
      'with --catchup and no scheduled run yet: first interval, YYYY-MM-DD',
    );
  addOutputOptions(addDataOptions(command)).action((values: Record<string, unknown>) => {
    const cron = values['cron'] as string;
    cronSchedule(cron);
    const startDate = values['startDate'];
    const options: ScheduleOptions = {
      cron,
      catchup: values['catchup'] === true,
      startDate:
        startDate === undefined
          ? undefined
          : validated(z.iso.date(), startDate, 'schedule --start-date'),
      data: dataFlags(values, 'schedule'),
      output: outputFlags(values),
    };
    select({ name: 'schedule', options, execute: (context) => scheduleCommand(options, context) });
  });
};

/** Start of the latest interval a scheduled run exists for (from its run id). */
async function lastScheduledStart(context: CliContext): Promise<Date | undefined> {
  const last = await readRunHistory(context, (db) =>
    db
      .selectFrom('ops.dag_runs')
      .select('run_id')
      .where('dag_id', '=', pipelineDagId)
      .where('run_type', '=', 'scheduled')
      .orderBy('run_id', 'desc')
      .limit(1)
      .executeTakeFirst(),
  );
  const iso = last?.run_id.replace(/^scheduled__/, '');
  return iso === undefined || Number.isNaN(Date.parse(iso)) ? undefined : new Date(iso);
}

/** `pipeline schedule`: a long-running scheduler; SIGTERM finishes by interrupting the current run (130) or at once when idle (0). */
export async function scheduleCommand(
  command: ScheduleOptions,
  context: CliContext,
): Promise<number> {
  const { config, stderr, signal } = context;
  const cron = cronSchedule(command.cron);
  const startDate =
    command.startDate === undefined ? undefined : new Date(`${command.startDate}T00:00:00Z`);
  stderr.write(
    `schedule ${command.cron} (UTC)${command.catchup ? ' with catchup' : ''}: SIGTERM stops it\n`,
  );
  const runInterval = async (interval: DataInterval) => {
    const runId = scheduledRunId(interval);
    const logicalDate = interval.start.toISOString().slice(0, 10);
    stderr.write(
      `${runId}: interval ${interval.start.toISOString()} .. ${interval.end.toISOString()}\n`,
    );
    const result = await runPipeline(
      {
        data: command.data,
        output: command.output,
        runId,
        resume: false,
        fullRefresh: false,
        logicalDate,
      },
      context,
      'scheduled',
    );
    if (result.state === 'failed') {
      const failed = Object.entries(result.tasks).find(([, t]) => t.state === 'failed');
      await notifyFailure(
        config,
        {
          dagId: pipelineDagId,
          runId,
          runType: 'scheduled',
          logicalDate,
          state: result.state,
          taskId: failed?.[0],
          error: failed?.[1].result?.error?.message,
        },
        (line) => stderr.write(`${line}\n`),
      );
    }
    return result.state;
  };
  while (!signal.aborted) {
    const now = new Date();
    const pending = pendingIntervals({
      cron,
      now,
      lastStart: await lastScheduledStart(context),
      catchup: command.catchup,
      startDate,
    });
    for (const interval of pending) {
      if (signal.aborted) break;
      if ((await runInterval(interval)) === 'interrupted') return exitCodes.interrupted;
    }
    const wait = cron.nextFire(new Date()).getTime() - Date.now();
    await sleep(Math.max(0, wait), undefined, { signal }).catch(() => undefined);
  }
  stderr.write('schedule stopped\n');
  return exitCodes.success;
}

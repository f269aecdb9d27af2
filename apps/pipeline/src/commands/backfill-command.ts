import { ReelhouseError } from '@reelhouse/core';
import { z } from 'zod';

import type { CliContext } from '../cli-context.ts';
import {
  addDataOptions,
  addOutputOptions,
  countSchema,
  dataFlags,
  outputFlags,
  validated,
  type DataSetFlags,
  type OutputFlags,
} from '../cli-options.ts';
import type { RegisterCommand } from '../cli-program.ts';
import { exitCodes } from '../exit-codes.ts';
import { daysAfterBase, daysBetween } from '../logical-dates.ts';
import { notifyFailure } from '../notify-failure.ts';
import { pipelineDagId } from '../pipeline-dag.ts';
import { readRunHistory } from '../read-run-history.ts';
import { dataSetDir, resolvePipelineParams } from '../pipeline-params.ts';
import { fromRoot } from '../workspace-paths.ts';
import { runExitCode, runPipeline } from './run-command.ts';

export interface BackfillOptions {
  readonly data: DataSetFlags;
  readonly output: OutputFlags;
  readonly days: { readonly from: string; readonly to: string } | { readonly count: number };
}

const isoDate = z.iso.date();

export const registerBackfillCommand: RegisterCommand = (program, select) => {
  const command = program
    .command('backfill')
    .description(
      'one run per logical date, in order; resumable: a failed day is resumed, successful days are skipped',
    )
    .option('--from <date>', 'first logical date, YYYY-MM-DD')
    .option('--to <date>', 'last logical date, YYYY-MM-DD (default --from)')
    .option('--days <k>', "the K days after the base data set's last day");
  addOutputOptions(addDataOptions(command)).action((values: Record<string, unknown>) => {
    const count = values['days'];
    const from = values['from'];
    if ((count === undefined) === (from === undefined))
      throw new ReelhouseError({
        code: 'invalid_input',
        message: 'backfill: give either --from D1 [--to D2] or --days K',
      });
    const days: BackfillOptions['days'] =
      count === undefined
        ? {
            from: validated(isoDate, from, 'backfill --from'),
            to: validated(isoDate, values['to'] ?? from, 'backfill --to'),
          }
        : { count: validated(countSchema.min(1), count, 'backfill --days') };
    const options: BackfillOptions = {
      data: dataFlags(values, 'backfill'),
      output: outputFlags(values),
      days,
    };
    select({ name: 'backfill', options, execute: (context) => backfillCommand(options, context) });
  });
};

/** The backfill's run id of a logical date: the same on every attempt, so a rerun resumes it. */
export const backfillRunId = (date: string): string => `backfill__${date}`;

async function runStates(context: CliContext, runIds: readonly string[]) {
  const runs = await readRunHistory(context, (db) =>
    db
      .selectFrom('ops.dag_runs')
      .select(['run_id', 'state'])
      .where('run_id', 'in', runIds)
      .execute(),
  );
  return new Map((runs ?? []).map((r) => [r.run_id, r.state]));
}

/** `pipeline backfill`: runs the DAG once per logical date, in order, stopping at the first failed day. */
export async function backfillCommand(
  command: BackfillOptions,
  context: CliContext,
): Promise<number> {
  const { config, stderr } = context;
  const base = resolvePipelineParams({ flags: command.data, config, fullRefresh: false });
  const days =
    'count' in command.days
      ? await daysAfterBase(fromRoot(dataSetDir(config.dataDir, base)), command.days.count)
      : daysBetween(command.days.from, command.days.to);
  const states = await runStates(context, days.map(backfillRunId));
  stderr.write(`backfill ${days[0]} .. ${days.at(-1)}: ${days.length} days\n`);
  for (const date of days) {
    const runId = backfillRunId(date);
    const state = states.get(runId);
    if (state === 'success') {
      stderr.write(`${date}: already successful (${runId}), skipped\n`);
      continue;
    }
    const result = await runPipeline(
      {
        data: command.data,
        output: command.output,
        runId,
        resume: state !== undefined,
        fullRefresh: false,
        logicalDate: date,
      },
      context,
      'backfill',
    );
    stderr.write(
      `${date}: ${result.state}${state === undefined ? '' : ` (resumed ${state} run)`}\n`,
    );
    if (result.state !== 'success') {
      const failed = Object.entries(result.tasks).find(([, t]) => t.state === 'failed');
      await notifyFailure(
        config,
        {
          dagId: pipelineDagId,
          runId,
          runType: 'backfill',
          logicalDate: date,
          state: result.state,
          taskId: failed?.[0],
          error: failed?.[1].result?.error?.message,
        },
        (line) => stderr.write(`${line}\n`),
      );
      stderr.write(`backfill stopped at ${date}: rerun the same command to resume it\n`);
      return runExitCode(result.state);
    }
  }
  return exitCodes.success;
}

import { ReelhouseError } from '@reelhouse/core';
import { generateDataSet } from '@reelhouse/generators';

import type { CliContext } from '../cli-context.ts';
import {
  addDataOptions,
  addOutputOptions,
  countSchema,
  dataFlags,
  outputFlags,
  type DataSetFlags,
  type OutputFlags,
} from '../cli-options.ts';
import type { RegisterCommand } from '../cli-program.ts';
import { createLogger } from '../create-logger.ts';
import { exitCodes } from '../exit-codes.ts';
import { dataSetDir, resolvePipelineParams } from '../pipeline-params.ts';
import { fromRoot } from '../workspace-paths.ts';

export interface GenerateOptions {
  readonly data: DataSetFlags;
  readonly output: OutputFlags;
  readonly out?: string | undefined;
  /** Day batches after the base set (`days/<YYYY-MM-DD>/`). */
  readonly days?: number | undefined;
}

export const registerGenerateCommand: RegisterCommand = (program, select) => {
  const command = program.command('generate').description('write a data set (no database needed)');
  addDataOptions(command)
    .option('--out <dir>', 'folder of the data set (default data/<scale>-seed<seed>)')
    .option('--days <n>', 'also write one batch per day for the n days after the base set');
  addOutputOptions(command).action((values: Record<string, unknown>) => {
    const options: GenerateOptions = {
      data: dataFlags(values, 'generate'),
      output: outputFlags(values),
      out: values['out'] as string | undefined,
      days: values['days'] === undefined ? undefined : parseDays(values['days']),
    };
    select({ name: 'generate', options, execute: (context) => generateCommand(options, context) });
  });
};

function parseDays(value: unknown): number {
  const parsed = countSchema.max(3_650).safeParse(value);
  if (parsed.success) return parsed.data;
  throw new ReelhouseError({
    code: 'invalid_input',
    message: `generate --days: ${JSON.stringify(value)} ${parsed.error.issues[0]?.message ?? 'is not a number of days'}`,
    context: { flag: '--days' },
  });
}

/** `pipeline generate`: writes a data set (no database needed). */
export async function generateCommand(
  command: GenerateOptions,
  context: CliContext,
): Promise<number> {
  const { config, stderr } = context;
  const logger = createLogger({
    level: config.logLevel,
    file: command.output.logFile === undefined ? undefined : fromRoot(command.output.logFile),
  });
  const params = resolvePipelineParams({ flags: command.data, config, fullRefresh: false });
  const outDir = fromRoot(command.out ?? dataSetDir(config.dataDir, params));
  const report = await generateDataSet({
    outDir,
    seed: params.seed,
    scale: params.scale,
    users: params.users,
    sessions: params.sessions,
    titles: params.titles,
    ...(params.defectRate > 0 ? { defectRate: params.defectRate } : {}),
    ...(command.days === undefined ? {} : { days: command.days }),
    signal: context.signal,
    logger,
  });
  const { counts } = report.manifest;
  const days = report.manifest.days ?? [];
  stderr.write(
    `generated ${outDir}: ${counts.users} users, ${counts.viewing_sessions} sessions, ${counts.titles} titles${days.length > 0 ? `, day batches ${days[0]} to ${days.at(-1)}` : ''} in ${(report.durationMs / 1000).toFixed(1)} s\n`,
  );
  return exitCodes.success;
}

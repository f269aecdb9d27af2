import { generateDataSet } from '@reelhouse/generators';

import type { CliContext } from '../cli-context.ts';
import {
  addDataOptions,
  addOutputOptions,
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
}

export const registerGenerateCommand: RegisterCommand = (program, select) => {
  const command = program.command('generate').description('write a data set (no database needed)');
  addDataOptions(command).option(
    '--out <dir>',
    'folder of the data set (default data/<scale>-seed<seed>)',
  );
  addOutputOptions(command).action((values: Record<string, unknown>) => {
    const options: GenerateOptions = {
      data: dataFlags(values, 'generate'),
      output: outputFlags(values),
      out: values['out'] as string | undefined,
    };
    select({ name: 'generate', options, execute: (context) => generateCommand(options, context) });
  });
};

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
    signal: context.signal,
    logger,
  });
  const { counts } = report.manifest;
  stderr.write(
    `generated ${outDir}: ${counts.users} users, ${counts.viewing_sessions} sessions, ${counts.titles} titles in ${(report.durationMs / 1000).toFixed(1)} s\n`,
  );
  return exitCodes.success;
}

import { generateDataSet } from '@reelhouse/generators';

import type { CliContext } from '../cli-context.ts';
import type { Command } from '../cli-options.ts';
import { createLogger } from '../create-logger.ts';
import { exitCodes } from '../exit-codes.ts';
import { dataSetDir, resolvePipelineParams } from '../pipeline-params.ts';
import { fromRoot } from '../workspace-paths.ts';

type GenerateCommand = Extract<Command, { name: 'generate' }>;

/** `pipeline generate`: writes a data set (no database needed). */
export async function generateCommand(
  command: GenerateCommand,
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

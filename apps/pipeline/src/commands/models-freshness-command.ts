import type { Command } from 'commander';

import { checkSourceFreshness, type FreshnessResult } from '@reelhouse/model-compiler';
import { sourceFreshness } from '@reelhouse/models';
import { createKysely } from '@reelhouse/warehouse';

import type { CliContext } from '../cli-context.ts';
import type { SelectCommand } from '../cli-program.ts';
import { createLogger } from '../create-logger.ts';
import { exitCodes } from '../exit-codes.ts';
import { openResources } from '../open-resources.ts';

/** `models freshness`: dbt's `source freshness` over the rules of `@reelhouse/models`. */
export function registerFreshnessCommand(models: Command, select: SelectCommand): void {
  models
    .command('freshness')
    .description('age of each raw source against its warn and error thresholds (exit 1 on error)')
    .action(() => {
      select({
        name: 'models freshness',
        options: {},
        execute: (context) => modelsFreshnessCommand(context),
      });
    });
}

export async function modelsFreshnessCommand(context: CliContext): Promise<number> {
  const logger = createLogger({ level: context.config.logLevel, file: undefined });
  const resources = await openResources({
    config: context.config,
    needs: 'warehouse',
    logger,
    announce: (line) => context.stderr.write(`using ${line}\n`),
  });
  try {
    const results = await checkSourceFreshness(createKysely(resources.warehouse), {
      rules: sourceFreshness,
    });
    context.stdout.write(renderFreshness(results));
    return results.some((r) => r.status === 'error' || r.status === 'runtime error')
      ? exitCodes.failed
      : exitCodes.success;
  } finally {
    await resources.close();
  }
}

export function renderFreshness(results: readonly FreshnessResult[]): string {
  const width = Math.max(6, ...results.map((r) => r.source.length));
  return results
    .map((r) => {
      const age =
        r.ageSeconds === null
          ? 'no rows'
          : `${(r.ageSeconds / 3600).toFixed(1)} h old (${r.maxLoadedAt ?? ''})`;
      return `  ${r.status.padEnd(13)} ${r.source.padEnd(width)}  ${r.message ?? age}`;
    })
    .join('\n')
    .concat('\n');
}

import type { Command } from 'commander';
import { z } from 'zod';

import { ReelhouseError } from '@reelhouse/core';
import {
  columnLineage,
  diffEnvironment,
  promoteEnvironment,
  type ModelDiff,
} from '@reelhouse/model-compiler';
import { dashboardExposures } from '@reelhouse/metrics';
import { models } from '@reelhouse/models';
import { createKysely } from '@reelhouse/warehouse';

import type { CliContext } from '../cli-context.ts';
import type { SelectCommand } from '../cli-program.ts';
import { createLogger } from '../create-logger.ts';
import { exitCodes } from '../exit-codes.ts';
import { openResources } from '../open-resources.ts';

const targetName = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, 'must be a lower-case name such as dev or alice');

/** The schema of a dev target: `trusted__<name>`. */
export function targetSchemaOf(name: string): string {
  const parsed = targetName.safeParse(name);
  if (!parsed.success)
    throw new ReelhouseError({
      code: 'invalid_input',
      message: `--target ${name}: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
    });
  return `trusted__${parsed.data}`;
}

export interface ModelsEnvironmentOptions {
  /** The dev target's name; its schema is `trusted__<name>`. */
  readonly target: string;
}

/** `models promote --target NAME` and `models diff --target NAME`, under the `models` command. */
export function registerEnvironmentCommands(models: Command, select: SelectCommand): void {
  for (const [name, description, run] of [
    [
      'promote',
      'swap what a dev target built into trusted, in one transaction',
      modelsPromoteCommand,
    ],
    [
      'diff',
      'row and column differences of a dev target against trusted, breaking changes',
      modelsDiffCommand,
    ],
  ] as const)
    models
      .command(name)
      .description(description)
      .requiredOption('--target <name>', 'the dev target (built with models build --target NAME)')
      .action((values: Record<string, unknown>) => {
        const options: ModelsEnvironmentOptions = { target: String(values['target']) };
        targetSchemaOf(options.target);
        select({
          name: `models ${name}`,
          options,
          execute: (context) => run(options, context),
        });
      });
}

async function withWarehouse<T>(
  context: CliContext,
  work: (
    db: ReturnType<typeof createKysely>,
    logger: ReturnType<typeof createLogger>,
  ) => Promise<T>,
): Promise<T> {
  const logger = createLogger({ level: context.config.logLevel, file: undefined });
  const resources = await openResources({
    config: context.config,
    needs: 'warehouse',
    logger,
    announce: (line) => context.stderr.write(`using ${line}\n`),
  });
  try {
    return await work(createKysely(resources.warehouse), logger);
  } finally {
    await resources.close();
  }
}

/** `models promote`: the target's built models replace trusted's; the target schema is dropped. */
export async function modelsPromoteCommand(
  options: ModelsEnvironmentOptions,
  context: CliContext,
): Promise<number> {
  const from = targetSchemaOf(options.target);
  const { promoted } = await withWarehouse(context, (db, logger) =>
    promoteEnvironment(db, { models, from, logger }),
  );
  context.stderr.write(
    promoted.length === 0
      ? `${from}: nothing to promote (no such target, or it built nothing)\n`
      : `promoted ${from} into trusted: ${promoted.join(', ')}\n`,
  );
  return exitCodes.success;
}

/** `models diff`: one block per model the target built. */
export async function modelsDiffCommand(
  options: ModelsEnvironmentOptions,
  context: CliContext,
): Promise<number> {
  const from = targetSchemaOf(options.target);
  const exposures = await dashboardExposures();
  const lineage = await columnLineage(models);
  const diffs = await withWarehouse(context, (db) =>
    diffEnvironment(db, { models, from, exposures, lineage }),
  );
  context.stdout.write(renderDiff(from, diffs));
  return exitCodes.success;
}

export function renderDiff(from: string, diffs: readonly ModelDiff[]): string {
  if (diffs.length === 0) return `${from}: no model built (everything is a view over trusted)\n`;
  return diffs
    .map((diff) => {
      const lines = [
        `${diff.model}: ${diff.rows.environment} rows in ${from}, ${diff.rows.target ?? 'no relation'} in trusted` +
          (diff.onlyInEnvironment === null
            ? ''
            : `; ${diff.onlyInEnvironment} rows only in ${from}, ${diff.onlyInTarget} only in trusted`),
      ];
      if (diff.addedColumns.length > 0)
        lines.push(`  added columns: ${diff.addedColumns.join(', ')}`);
      if (diff.droppedColumns.length > 0)
        lines.push(`  dropped columns: ${diff.droppedColumns.join(', ')}`);
      for (const retyped of diff.retypedColumns)
        lines.push(`  retyped: ${retyped.column} ${retyped.from} -> ${retyped.to}`);
      if (diff.breaking !== null)
        lines.push(
          `  BREAKING: ${diff.breaking.columns.join(', ')} read downstream by ${[...diff.breaking.readers, ...diff.breaking.exposures.map((name) => `exposure ${name}`)].join(', ')}`,
        );
      return lines.join('\n');
    })
    .join('\n')
    .concat('\n');
}

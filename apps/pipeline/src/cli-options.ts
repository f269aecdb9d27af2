import type { Command } from 'commander';

import { ReelhouseError } from '@reelhouse/core';
import { z } from 'zod';

/** Size and seed of the data set, when given on the command line (defaults come from config). */
export interface DataSetFlags {
  readonly scale?: string | undefined;
  readonly seed?: number | undefined;
  readonly users?: number | undefined;
  readonly sessions?: number | undefined;
  readonly titles?: number | undefined;
  readonly defects?: number | undefined;
  /** `--data-dir`: run the existing data set in this folder (checked against its manifest). */
  readonly dataDir?: string | undefined;
  /** `--allow-empty`: a source file without records loads instead of failing. */
  readonly allowEmpty?: boolean | undefined;
}

export interface OutputFlags {
  /** Folder of reports, artifacts and logs (default `target` at the repository root). */
  readonly targetDir?: string | undefined;
  /** Structured logs go there instead of stdout. */
  readonly logFile?: string | undefined;
}

/** Adds `--scale --seed --users --sessions --titles --defects` (values are checked by `dataFlags`). */
export function addDataOptions(command: Command): Command {
  return command
    .option('--scale <preset>', 'tiny, small, medium or large (default from config: small)')
    .option('--seed <n>', 'seed of the data set (default from config: 42)')
    .option('--users <n>', 'number of users (instead of the preset)')
    .option('--sessions <n>', 'number of viewing sessions (instead of the preset)')
    .option('--titles <n>', 'number of titles (instead of the preset)')
    .option('--defects <rate>', 'share of deliberately bad rows, 0 to 0.5 (default 0)');
}

/** Adds `--data-dir --allow-empty`, for the commands that load a data set (`run`, `task`). */
export function addDataSetSourceOptions(command: Command): Command {
  return command
    .option(
      '--data-dir <dir>',
      'run the existing data set in this folder (its manifest.json checksums are checked first)',
    )
    .option('--allow-empty', 'load a source file without records instead of failing');
}

/** Adds `--target-dir --log-file`. */
export function addOutputOptions(command: Command): Command {
  return command
    .option('--target-dir <dir>', 'reports, artifacts and logs (default target)')
    .option('--log-file <file>', 'write the JSON logs there instead of stdout');
}

const count = z.coerce.number().int().nonnegative();
const dataSchema = z.object({
  scale: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]*$/, 'must be a preset name: tiny, small, medium or large')
    .optional(),
  seed: count.optional(),
  users: count.min(1).optional(),
  sessions: count.optional(),
  titles: count.min(1).optional(),
  defects: z.coerce.number().min(0).max(0.5).optional(),
  dataDir: z.string().min(1).optional(),
  allowEmpty: z.boolean().optional(),
});

/** A DAG task id as the CLI accepts it. */
export const taskIdSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, 'must be a task id such as extract_to_warehouse');

/** A positive whole number given as a flag value. */
export const countSchema = count;

/** Validates one CLI value with zod; a problem becomes `invalid_input` naming `label` (e.g. `status --limit`). */
export function validated<T>(schema: z.ZodType<T>, value: unknown, label: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) =>
    issue.path.length > 0 ? `--${issue.path.join('.')}: ${issue.message}` : issue.message,
  );
  throw new ReelhouseError({
    code: 'invalid_input',
    message: `${label}: ${problems.join('; ')}`,
    context: { command: label },
  });
}

/** The data-set flags of a parsed command, validated. */
export function dataFlags(values: Record<string, unknown>, command: string): DataSetFlags {
  return validated(
    dataSchema,
    {
      scale: values['scale'],
      seed: values['seed'],
      users: values['users'],
      sessions: values['sessions'],
      titles: values['titles'],
      defects: values['defects'],
      dataDir: values['dataDir'],
      allowEmpty: values['allowEmpty'],
    },
    command,
  );
}

/** The output flags of a parsed command. */
export function outputFlags(values: Record<string, unknown>): OutputFlags {
  return {
    targetDir: values['targetDir'] as string | undefined,
    logFile: values['logFile'] as string | undefined,
  };
}

/** A task-id flag value (`--from`, `--only`), validated when given. */
export function optionalTaskId(value: unknown, label: string): string | undefined {
  return value === undefined ? undefined : validated(taskIdSchema, value, label);
}

import { parseArgs, type ParseArgsConfig } from 'node:util';

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

export type Command =
  | {
      readonly name: 'run';
      readonly data: DataSetFlags;
      readonly output: OutputFlags;
      readonly runId?: string | undefined;
      readonly resume: boolean;
      readonly from?: string | undefined;
      readonly only?: string | undefined;
      readonly fullRefresh: boolean;
    }
  | {
      readonly name: 'generate';
      readonly data: DataSetFlags;
      readonly output: OutputFlags;
      readonly out?: string | undefined;
    }
  | {
      readonly name: 'task';
      readonly taskId: string;
      readonly data: DataSetFlags;
      readonly output: OutputFlags;
      readonly runId?: string | undefined;
      readonly fullRefresh: boolean;
    }
  | {
      readonly name: 'status';
      readonly output: OutputFlags;
      readonly limit: number;
      readonly runId?: string | undefined;
    }
  | { readonly name: 'graph'; readonly out?: string | undefined }
  | {
      readonly name: 'airflow-dag';
      readonly data: DataSetFlags;
      readonly out?: string | undefined;
      readonly projectDir?: string | undefined;
    }
  | {
      readonly name: 'models-build';
      readonly output: OutputFlags;
      readonly select: readonly string[];
      readonly dryRun: boolean;
      readonly validate: boolean;
      readonly fullRefresh: boolean;
      /** Also rebuild models protected by `allowFullRefresh: false` (dim_user's SCD2 history). */
      readonly forceFullRefresh: boolean;
      /** Build every selected model, even those whose sources and code did not change since their last build. */
      readonly rebuildUpToDate: boolean;
    }
  | { readonly name: 'models-docs'; readonly out?: string | undefined }
  | { readonly name: 'help' };

type Options = NonNullable<ParseArgsConfig['options']>;

const dataOptions = {
  scale: { type: 'string' },
  seed: { type: 'string' },
  users: { type: 'string' },
  sessions: { type: 'string' },
  titles: { type: 'string' },
  defects: { type: 'string' },
} as const satisfies Options;
const outputOptions = {
  'target-dir': { type: 'string' },
  'log-file': { type: 'string' },
} as const satisfies Options;
const help = { help: { type: 'boolean', short: 'h' } } as const satisfies Options;

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
});
const taskId = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, 'must be a task id such as extract_to_warehouse');

function parse<O extends Options>(args: readonly string[], options: O) {
  try {
    return parseArgs({
      args: [...args],
      options: { ...options, ...help },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new ReelhouseError({
      code: 'invalid_input',
      message: error instanceof Error ? error.message : String(error),
    });
  }
}

function validated<T>(schema: z.ZodType<T>, value: unknown, command: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map(
    (issue) => `--${issue.path.join('.')}: ${issue.message}`,
  );
  throw new ReelhouseError({
    code: 'invalid_input',
    message: `${command}: ${problems.join('; ')}`,
    context: { command },
  });
}

function dataFlags(values: Record<string, unknown>, command: string): DataSetFlags {
  return validated(
    dataSchema,
    {
      scale: values['scale'],
      seed: values['seed'],
      users: values['users'],
      sessions: values['sessions'],
      titles: values['titles'],
      defects: values['defects'],
    },
    command,
  );
}

function outputFlags(values: Record<string, unknown>): OutputFlags {
  return {
    targetDir: values['target-dir'] as string | undefined,
    logFile: values['log-file'] as string | undefined,
  };
}

function noPositionals(positionals: readonly string[], command: string): void {
  if (positionals.length > 0)
    throw new ReelhouseError({
      code: 'invalid_input',
      message: `${command}: unexpected argument '${positionals.join(' ')}'`,
    });
}

/** Parses the CLI's argv (after the script name) into a validated command; bad input → `invalid_input`. */
export function parseCommand(argv: readonly string[]): Command {
  // `pnpm pipeline -- --scale tiny` passes the separator through.
  const args = argv[0] === '--' ? argv.slice(1) : argv;
  const first = args[0];
  const [name, rest] =
    first === undefined || first.startsWith('-') ? ['run', args] : [first, args.slice(1)];
  switch (name) {
    case 'run': {
      const { values, positionals } = parse(rest, {
        ...dataOptions,
        ...outputOptions,
        'run-id': { type: 'string' },
        resume: { type: 'boolean' },
        from: { type: 'string' },
        only: { type: 'string' },
        'full-refresh': { type: 'boolean' },
      });
      if (values.help === true) return { name: 'help' };
      noPositionals(positionals, 'run');
      if (values.from !== undefined && values.only !== undefined)
        throw new ReelhouseError({
          code: 'invalid_input',
          message: 'run: --from and --only exclude each other',
        });
      return {
        name: 'run',
        data: dataFlags(values, 'run'),
        output: outputFlags(values),
        runId: values['run-id'],
        resume: values.resume === true,
        from: values.from === undefined ? undefined : validated(taskId, values.from, 'run --from'),
        only: values.only === undefined ? undefined : validated(taskId, values.only, 'run --only'),
        fullRefresh: values['full-refresh'] === true,
      };
    }
    case 'generate': {
      const { values, positionals } = parse(rest, {
        ...dataOptions,
        ...outputOptions,
        out: { type: 'string' },
      });
      if (values.help === true) return { name: 'help' };
      noPositionals(positionals, 'generate');
      return {
        name: 'generate',
        data: dataFlags(values, 'generate'),
        output: outputFlags(values),
        out: values.out,
      };
    }
    case 'task': {
      const { values, positionals } = parse(rest, {
        ...dataOptions,
        ...outputOptions,
        'run-id': { type: 'string' },
        'full-refresh': { type: 'boolean' },
      });
      if (values.help === true) return { name: 'help' };
      if (positionals.length !== 1)
        throw new ReelhouseError({
          code: 'invalid_input',
          message: 'task: give exactly one task id, e.g. `task extract_to_warehouse`',
        });
      return {
        name: 'task',
        taskId: validated(taskId, positionals[0], 'task'),
        data: dataFlags(values, 'task'),
        output: outputFlags(values),
        runId: values['run-id'],
        fullRefresh: values['full-refresh'] === true,
      };
    }
    case 'status': {
      const { values, positionals } = parse(rest, {
        ...outputOptions,
        limit: { type: 'string' },
        'run-id': { type: 'string' },
      });
      if (values.help === true) return { name: 'help' };
      noPositionals(positionals, 'status');
      return {
        name: 'status',
        output: outputFlags(values),
        limit: validated(count.min(1).max(50), values.limit ?? '5', 'status --limit'),
        runId: values['run-id'],
      };
    }
    case 'graph': {
      const { values, positionals } = parse(rest, { out: { type: 'string' } });
      if (values.help === true) return { name: 'help' };
      noPositionals(positionals, 'graph');
      return { name: 'graph', out: values.out };
    }
    case 'airflow-dag': {
      const { values, positionals } = parse(rest, {
        ...dataOptions,
        out: { type: 'string' },
        'project-dir': { type: 'string' },
      });
      if (values.help === true) return { name: 'help' };
      noPositionals(positionals, 'airflow-dag');
      return {
        name: 'airflow-dag',
        data: dataFlags(values, 'airflow-dag'),
        out: values.out,
        projectDir: values['project-dir'],
      };
    }
    case 'models':
      return parseModels(rest);
    case 'help':
      return { name: 'help' };
    default:
      throw new ReelhouseError({
        code: 'invalid_input',
        message: `unknown command '${name}' (commands: run, generate, task, status, graph, airflow-dag, models build, models docs)`,
      });
  }
}

function parseModels(args: readonly string[]): Command {
  const [sub, ...rest] = args;
  if (sub === 'build') {
    const { values, positionals } = parse(rest, {
      ...outputOptions,
      select: { type: 'string', multiple: true, short: 's' },
      'dry-run': { type: 'boolean' },
      validate: { type: 'boolean' },
      'full-refresh': { type: 'boolean' },
      'force-full-refresh': { type: 'boolean' },
      'rebuild-up-to-date': { type: 'boolean' },
    });
    if (values.help === true) return { name: 'help' };
    // dbt style: `--select a b` and `--select a,b` both work.
    const select = [...(values.select ?? []), ...positionals]
      .flatMap((s) => s.split(/[\s,]+/))
      .filter((s) => s !== '');
    if (values['dry-run'] === true && values.validate === true)
      throw new ReelhouseError({
        code: 'invalid_input',
        message: 'models build: --dry-run and --validate exclude each other',
      });
    return {
      name: 'models-build',
      output: outputFlags(values),
      select,
      dryRun: values['dry-run'] === true,
      validate: values.validate === true,
      fullRefresh: values['full-refresh'] === true || values['force-full-refresh'] === true,
      forceFullRefresh: values['force-full-refresh'] === true,
      rebuildUpToDate: values['rebuild-up-to-date'] === true,
    };
  }
  if (sub === 'docs') {
    const { values, positionals } = parse(rest, { out: { type: 'string' } });
    if (values.help === true) return { name: 'help' };
    noPositionals(positionals, 'models docs');
    return { name: 'models-docs', out: values.out };
  }
  throw new ReelhouseError({
    code: 'invalid_input',
    message: `models: unknown subcommand '${sub ?? ''}' (build, docs)`,
  });
}

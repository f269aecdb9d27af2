import { ReelhouseError } from '@reelhouse/core';
import { Command, CommanderError } from 'commander';
import { z } from 'zod';

/** Stages in the order they run: each one leaves the databases as the next one needs them. */
export const stageNames = [
  'generate',
  'load_csv',
  'extract',
  'transform',
  'incremental',
  'daily',
  'end_to_end',
  'dashboard',
] as const;
export type StageName = (typeof stageNames)[number];

/** `pnpm bench [--sessions N] [--stage name ...] [--runs N] [--db-prefix p] [--name label]`, validated. */
export const benchOptions = z.strictObject({
  sessions: z.coerce.number().int().min(1_000).max(100_000_000).default(1_000_000),
  stage: z
    .array(z.enum(stageNames))
    .min(1)
    .default([...stageNames]),
  runs: z.coerce.number().int().min(1).max(10).default(3),
  /** One unmeasured run of every contender before the measured ones (page cache, catalog caches, JIT). */
  warmup: z.boolean().default(true),
  /** Runs each Reelhouse child once more under `node --cpu-prof` and writes the profiles beside the results. */
  profile: z.boolean().default(false),
  /**
   * Loads auto_explain in the scratch warehouse database: every statement over 500 ms is logged with
   * its EXPLAIN ANALYZE plan in the PostgreSQL server log (the SQL side of a profile).
   */
  explain: z.boolean().default(false),
  /** Folder of bench data sets and results, relative to the repository root. */
  out: z.string().min(1).default('bench'),
  seed: z.coerce.number().int().nonnegative().default(7),
  /** Prefix of the scratch database names, so two benches on one server never share databases. */
  dbPrefix: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,39}$/, 'lower-case letters, digits and _, starting with a letter')
    .default('rh_bench'),
  /**
   * Names the report `sessions-<n>-<name>.{md,json}` instead of `latest` and `sessions-<n>`: a run
   * of some stages, kept beside the full bench's results without replacing them.
   */
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,59}$/, 'lower-case letters, digits and -')
    .optional(),
  /**
   * Keeps the scratch databases of an earlier invocation with the same prefix instead of recreating
   * them: a warehouse already built is brought up to date by an incremental build (new models
   * included) rather than set up again (18 min at 10M sessions).
   */
  reuse: z.boolean().default(false),
});

export type BenchOptions = z.output<typeof benchOptions>;

/** The `pnpm bench` command line, for parsing and for `--help`. */
function benchCommand(): Command {
  // The defaults the help names are the schema's own.
  const defaults = benchOptions.parse({});
  return new Command('pnpm bench')
    .description(
      'Every stage against its baseline in the same run; writes bench/results/latest.{md,json} and sessions-<n>.{md,json} (or sessions-<n>-<name>.*).',
    )
    .argument('[stages...]', 'stages, as with --stage')
    .option('--sessions <n>', `viewing sessions in the data set (default ${defaults.sessions})`)
    .option(
      '--stage <names...>',
      `stages to run, repeated or comma-separated, always in this order: ${stageNames.join(', ')} (default: all)`,
    )
    .option('--runs <n>', `measured runs of each contender (default ${defaults.runs})`)
    .option('--no-warmup', 'skip the unmeasured run of every contender before the measured ones')
    .option('--profile', 'run each Reelhouse child once more under node --cpu-prof')
    .option('--explain', 'log EXPLAIN ANALYZE of statements over 500 ms (auto_explain)')
    .option('--out <dir>', `folder of data sets and results (default ${defaults.out})`)
    .option('--seed <n>', `data set seed (default ${defaults.seed})`)
    .option(
      '--db-prefix <prefix>',
      `prefix of the scratch database names (default ${defaults.dbPrefix})`,
    )
    .option('--name <label>', 'name the report sessions-<n>-<label> instead of latest')
    .option('--reuse', 'keep the scratch databases of an earlier run with the same prefix')
    .helpOption('-h, --help', 'show this help')
    .exitOverride()
    .configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
}

/** The usage text when argv asks for help (`--help`, `-h`), else undefined. */
export function benchHelp(argv: readonly string[]): string | undefined {
  return argv.some((arg) => arg === '--help' || arg === '-h')
    ? benchCommand().helpInformation()
    : undefined;
}

/**
 * Parses command-line arguments into options. Stages may repeat `--stage` or list names after it,
 * comma- or space-separated; an unknown flag or value fails with every problem named.
 */
export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  const command = benchCommand();
  try {
    command.parse([...argv], { from: 'user' });
  } catch (error) {
    const message =
      error instanceof CommanderError ? error.message.replace(/^error: /, '') : String(error);
    throw new ReelhouseError({
      code: 'invalid_input',
      message: `pnpm bench: ${message} (see --help)`,
    });
  }
  const values = command.opts<RawOptions>();
  const stages = [...(values.stage ?? []), ...command.args]
    .flatMap((s) => s.split(','))
    .filter((s) => s !== '');
  const result = benchOptions.safeParse({
    ...(values.sessions === undefined ? {} : { sessions: values.sessions }),
    ...(stages.length === 0 ? {} : { stage: stages }),
    ...(values.runs === undefined ? {} : { runs: values.runs }),
    warmup: values.warmup,
    ...(values.profile === true ? { profile: true } : {}),
    ...(values.explain === true ? { explain: true } : {}),
    ...(values.out === undefined ? {} : { out: values.out }),
    ...(values.seed === undefined ? {} : { seed: values.seed }),
    ...(values.dbPrefix === undefined ? {} : { dbPrefix: values.dbPrefix }),
    ...(values.name === undefined ? {} : { name: values.name }),
    ...(values.reuse === true ? { reuse: true } : {}),
  });
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `--${issue.path.join('.')}: ${issue.message}`,
    );
    throw new ReelhouseError({
      code: 'invalid_input',
      message: `pnpm bench: ${problems.join('; ')}`,
    });
  }
  // Stages always run in pipeline order, whatever order they were named in.
  return { ...result.data, stage: stageNames.filter((name) => result.data.stage.includes(name)) };
}

/** What commander gives: every value a string, booleans for the flags. */
interface RawOptions {
  sessions?: string;
  stage?: string[];
  runs?: string;
  warmup: boolean;
  profile?: boolean;
  explain?: boolean;
  out?: string;
  seed?: string;
  dbPrefix?: string;
  name?: string;
  reuse?: boolean;
}

import { parseArgs } from 'node:util';

import { ReelhouseError } from '@reelhouse/core';
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

/**
 * Parses command-line arguments into options. Stages may repeat `--stage` or list names after it,
 * comma- or space-separated; an unknown flag or value fails with every problem named.
 */
export function parseBenchArgs(argv: readonly string[]): BenchOptions {
  let parsed: ReturnType<typeof parseRaw>;
  try {
    parsed = parseRaw(argv);
  } catch (error) {
    throw new ReelhouseError({
      code: 'invalid_input',
      message: `pnpm bench: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
  const { values, positionals } = parsed;
  const stages = [...(values.stage ?? []), ...positionals]
    .flatMap((s) => s.split(','))
    .filter((s) => s !== '');
  const result = benchOptions.safeParse({
    ...(values.sessions === undefined ? {} : { sessions: values.sessions }),
    ...(stages.length === 0 ? {} : { stage: stages }),
    ...(values.runs === undefined ? {} : { runs: values.runs }),
    ...(values['no-warmup'] === true ? { warmup: false } : {}),
    ...(values.profile === true ? { profile: true } : {}),
    ...(values.explain === true ? { explain: true } : {}),
    ...(values.out === undefined ? {} : { out: values.out }),
    ...(values.seed === undefined ? {} : { seed: values.seed }),
    ...(values['db-prefix'] === undefined ? {} : { dbPrefix: values['db-prefix'] }),
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

function parseRaw(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      sessions: { type: 'string' },
      stage: { type: 'string', multiple: true },
      runs: { type: 'string' },
      'no-warmup': { type: 'boolean' },
      profile: { type: 'boolean' },
      explain: { type: 'boolean' },
      out: { type: 'string' },
      seed: { type: 'string' },
      'db-prefix': { type: 'string' },
      name: { type: 'string' },
      reuse: { type: 'boolean' },
    },
  });
}

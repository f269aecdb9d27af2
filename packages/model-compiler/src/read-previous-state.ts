import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { z } from 'zod';

import { ReelhouseError } from '@reelhouse/core';

import type { PreviousState } from './selector-methods.ts';

const manifestSchema = z.object({
  kind: z.literal('reelhouse_manifest'),
  targetSchema: z.string(),
  models: z.array(z.object({ name: z.string(), fingerprint: z.string() })),
});

const runResultsSchema = z.object({
  kind: z.literal('reelhouse_run_results'),
  sourceVersions: z.record(z.string(), z.string()).optional(),
  models: z.array(
    z.object({
      name: z.string(),
      status: z.enum(['success', 'error', 'skipped']),
      error: z.object({ code: z.string() }).optional(),
      tests: z.array(z.object({ status: z.string() })),
    }),
  ),
});

/**
 * Reads the artifacts an earlier build wrote (`manifest.json`, and `run_results.json` when
 * present) for `--state DIR`; a missing or malformed file is an `invalid_input` error naming it.
 */
export async function readPreviousState(dir: string): Promise<PreviousState> {
  const manifest = await readJson(join(dir, 'manifest.json'), manifestSchema, true);
  if (manifest === undefined) throw new Error('unreachable: a required file was read');
  const runResults = await readJson(join(dir, 'run_results.json'), runResultsSchema, false);
  return {
    models: manifest.models,
    targetSchema: manifest.targetSchema,
    results: runResults?.models,
    sourceVersions: runResults?.sourceVersions,
  };
}

async function readJson<T>(
  path: string,
  schema: z.ZodType<T>,
  required: boolean,
): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (!required && (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ReelhouseError({
      code: 'invalid_input',
      message: `--state: cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ReelhouseError({
      code: 'invalid_input',
      message: `--state: ${path} is not JSON: ${error instanceof Error ? error.message : String(error)}`,
    });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new ReelhouseError({
      code: 'invalid_input',
      message: `--state: ${path} is not a Reelhouse artifact: ${parsed.error.issues
        .slice(0, 3)
        .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
        .join('; ')}`,
    });
  return parsed.data;
}

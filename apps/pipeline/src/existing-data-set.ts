import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { dataFiles, dataManifest, type DataManifest } from '@reelhouse/contracts';
import { ReelhouseError } from '@reelhouse/core';

import type { PipelineParams } from './pipeline-params.ts';

/**
 * The manifest of a complete data set in `dir`, or `undefined` when there is none (a folder
 * without a manifest is incomplete). A manifest for another seed or size is an error, not a reuse.
 */
export async function existingDataSet(
  dir: string,
  params: PipelineParams,
): Promise<DataManifest | undefined> {
  const path = join(dir, dataFiles.manifest);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = dataManifest.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new ReelhouseError({
      code: 'file_malformed',
      message: `${path}: not a data-set manifest (${parsed.error.issues[0]?.message ?? 'invalid'}); delete the folder to regenerate it`,
      context: { file: path },
    });
  }
  const { seed, counts } = parsed.data;
  const expected = {
    seed: params.seed,
    users: params.users,
    viewing_sessions: params.sessions,
    titles: params.titles,
  };
  const actual = {
    seed,
    users: counts.users,
    viewing_sessions: counts.viewing_sessions,
    titles: counts.titles,
  };
  if (JSON.stringify(expected) !== JSON.stringify(actual)) {
    throw new ReelhouseError({
      code: 'invalid_input',
      message: `${path} describes ${JSON.stringify(actual)}, the run asks for ${JSON.stringify(expected)}; delete the folder to regenerate it`,
      context: { file: path, expected, actual },
    });
  }
  return parsed.data;
}

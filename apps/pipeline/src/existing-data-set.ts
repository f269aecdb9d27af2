import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { dataFiles, dataManifest, type DataManifest } from '@reelhouse/contracts';
import { ReelhouseError } from '@reelhouse/core';

import type { PipelineParams } from './pipeline-params.ts';

/** The manifest of `dir`, parsed, or `undefined` when the folder has none (an incomplete data set). */
export async function readDataManifest(dir: string): Promise<DataManifest | undefined> {
  const path = join(dir, dataFiles.manifest);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    json = error;
  }
  const parsed = dataManifest.safeParse(json);
  if (!parsed.success) {
    throw new ReelhouseError({
      code: 'file_malformed',
      message: `${path}: not a data-set manifest (${parsed.error.issues[0]?.message ?? 'invalid'}); delete the folder to regenerate it`,
      context: { file: path },
    });
  }
  return parsed.data;
}

async function digest(path: string): Promise<{ bytes: number; sha256: string } | undefined> {
  const hash = createHash('sha256');
  let bytes = 0;
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
      const buffer = chunk as Buffer;
      bytes += buffer.length;
      hash.update(buffer);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  return { bytes, sha256: hash.digest('hex') };
}

/**
 * Checks every file the manifest lists against its size and SHA-256: a folder with a manifest is
 * never reused unchecked, so an edited file stops the run (`invalid_input`, exit 2) with its name.
 */
export async function verifyDataSet(dir: string, manifest: DataManifest): Promise<void> {
  for (const [name, expected] of Object.entries(manifest.files)) {
    const path = join(dir, name);
    const actual = await digest(path);
    if (actual === undefined)
      throw new ReelhouseError({
        code: 'invalid_input',
        message: `${path}: listed in ${dataFiles.manifest} but missing; regenerate the data set`,
        context: { file: path },
      });
    if (actual.bytes !== expected.bytes || actual.sha256 !== expected.sha256)
      throw new ReelhouseError({
        code: 'invalid_input',
        message: `${path} does not match ${dataFiles.manifest}: ${actual.bytes} bytes, sha256 ${actual.sha256}; the manifest says ${expected.bytes} bytes, sha256 ${expected.sha256}. The file was changed after generation: regenerate the data set, or restore the file`,
        context: { file: path, expected, actual },
      });
  }
}

/**
 * The manifest of a complete, unchanged data set in `dir`, or `undefined` when there is none (a
 * folder without a manifest is incomplete). A manifest for another seed or size, or a file that
 * differs from its checksum, is an error, not a reuse.
 */
export async function existingDataSet(
  dir: string,
  params: PipelineParams,
): Promise<DataManifest | undefined> {
  const manifest = await readDataManifest(dir);
  if (manifest === undefined) return undefined;
  const path = join(dir, dataFiles.manifest);
  const { seed, counts } = manifest;
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
  await verifyDataSet(dir, manifest);
  return manifest;
}

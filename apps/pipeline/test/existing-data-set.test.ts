import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { loadConfig } from '@reelhouse/config';
import { generateDataSet } from '@reelhouse/generators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { existingDataSet } from '../src/existing-data-set.ts';
import { resolvePipelineParams } from '../src/pipeline-params.ts';

const params = resolvePipelineParams({
  flags: { scale: 'tiny', users: 30, sessions: 100, titles: 10, seed: 4 },
  config: loadConfig({}),
  fullRefresh: false,
});
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rh-existing-'));
  await generateDataSet({
    outDir: dir,
    seed: 4,
    scale: params.scale,
    users: 30,
    sessions: 100,
    titles: 10,
  });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('existingDataSet (issue 16: a folder with a manifest is never reused unchecked)', () => {
  it('returns the manifest of an unchanged data set', async () => {
    expect(await existingDataSet(dir, params)).toMatchObject({ seed: 4, counts: { users: 30 } });
  });

  it('refuses a data set with one byte changed, naming the file', async () => {
    const path = join(dir, 'viewing_sessions.csv');
    const original = await readFile(path);
    const edited = Buffer.from(original);
    edited[200] = edited[200] === 0x30 ? 0x31 : 0x30;
    await writeFile(path, edited);
    try {
      await expect(existingDataSet(dir, params)).rejects.toMatchObject({
        code: 'invalid_input',
        message: expect.stringContaining(`${path} does not match manifest.json`) as string,
      });
    } finally {
      await writeFile(path, original);
    }
  });

  it('refuses a data set with a listed file missing', async () => {
    const path = join(dir, 'content.json');
    const original = await readFile(path);
    await rm(path);
    try {
      await expect(existingDataSet(dir, params)).rejects.toMatchObject({
        message: expect.stringContaining(`${path}: listed in manifest.json but missing`) as string,
      });
    } finally {
      await writeFile(path, original);
    }
  });
});

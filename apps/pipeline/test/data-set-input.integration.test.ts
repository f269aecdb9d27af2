import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { userColumns } from '@reelhouse/contracts';
import { describe, expect, it } from 'vitest';

import { runCli } from './cli-process.ts';
import { targetArgs, usePipelineEnvironment } from './pipeline-environment.ts';

const environment = usePipelineEnvironment('data_set_input');

interface Manifest {
  defect_rate: number;
  files: Record<string, { bytes: number; sha256: string }>;
}

const readManifest = async (dir: string) =>
  JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Manifest;

async function generate(dir: string, extra: readonly string[] = []) {
  const size = ['--scale', 'tiny', '--users', '60', '--sessions', '400', '--titles', '20'];
  return runCli(['generate', ...size, '--seed', '5', ...extra, '--out', dir], environment.env());
}

describe('data sets given to the pipeline (issue 16)', () => {
  it('generate --defects writes a data set whose manifest names the defect rate', async () => {
    const dir = join(environment.dir, 'defects');
    const result = await generate(dir, ['--defects', '0.01']);
    expect(result.code, result.stderr).toBe(0);
    expect((await readManifest(dir)).defect_rate).toBe(0.01);
  });

  it('--data-dir stops with exit 2 naming the file when one byte differs from the manifest', async () => {
    const dir = join(environment.dir, 'edited');
    expect((await generate(dir)).code).toBe(0);
    const users = join(dir, 'users.csv');
    const bytes = await readFile(users);
    bytes[400] = bytes[400] === 0x41 ? 0x42 : 0x41;
    await writeFile(users, bytes);
    const result = await runCli(['--data-dir', dir, ...targetArgs(environment)], environment.env());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`error (invalid_input): ${users} does not match manifest.json`);
  });

  it('--data-dir refuses an empty users.csv unless --allow-empty, and the end of the run says what loaded', async () => {
    const dir = join(environment.dir, 'empty-users');
    expect((await generate(dir)).code).toBe(0);
    // A hand-made data set: its manifest is updated, so only the files' contents are wrong.
    const manifest = await readManifest(dir);
    const replace = async (file: string, text: string) => {
      await writeFile(join(dir, file), text);
      manifest.files[file] = {
        bytes: Buffer.byteLength(text),
        sha256: createHash('sha256').update(text).digest('hex'),
      };
    };
    await replace('users.csv', `${userColumns.join(',')}\n`);
    // One broken catalogue document (1 of 20, within the 5% limit).
    const content = (await readFile(join(dir, 'content.json'), 'utf8')).split('\n');
    content[1] = (content[1] ?? '').slice(1);
    await replace('content.json', content.join('\n'));
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
    const result = await runCli(['--data-dir', dir, ...targetArgs(environment)], environment.env());
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'load_csvs_to_postgres: failed: file_malformed: users.csv: the file has a header but no data lines',
    );
    expect(result.stderr).toContain('Pass --allow-empty');
    expect(result.stderr).toMatch(/ {2}content\.json +19 loaded, 1 quarantined/);
    expect(result.stderr).toContain('reasons: table public.load_rejects of the source database');
    // The quality report's Rejects table has content.json beside the CSV files.
    const report = await readFile(
      join(environment.dir, 'target', 'quality', 'quality-report.md'),
      'utf8',
    );
    expect(report).toContain('| content.json | parse | 1 |');
  });
});

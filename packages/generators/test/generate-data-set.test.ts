import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { writeToString } from 'fast-csv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  contentDocument,
  dataFiles,
  dataManifest,
  userColumns,
  viewingSessionColumns,
} from '@reelhouse/contracts';
import { ReelhouseError, silentLogger, type Logger } from '@reelhouse/core';

import { generateDataSet, scalePresets, type GenerateOptions } from '../src/index.ts';
import { splitCsvLine } from '../src/csv-row.ts';
import { parseCsvLine } from './csv-line.ts';
import { documentText, readLines } from './data-set-files.ts';

const size = { users: 400, sessions: 3_000, titles: 80 };
let root = '';

async function generate(name: string, options: Partial<GenerateOptions> = {}): Promise<string> {
  const outDir = join(root, name);
  await generateDataSet({ outDir, seed: 7, scale: 'test', ...size, ...options });
  return outDir;
}

async function fileBytes(dir: string, file: string): Promise<Buffer> {
  return readFile(join(dir, file));
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'reelhouse-generate-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('scalePresets', () => {
  it('grows users, sessions and titles together from tiny to large', () => {
    expect(scalePresets.tiny).toEqual({ users: 1_000, sessions: 10_000, titles: 200 });
    expect(scalePresets.large).toEqual({ users: 1_000_000, sessions: 10_000_000, titles: 20_000 });
    const order = [scalePresets.tiny, scalePresets.small, scalePresets.medium, scalePresets.large];
    for (let i = 1; i < order.length; i++) {
      expect(order[i]!.users).toBeGreaterThan(order[i - 1]!.users);
      expect(order[i]!.sessions).toBeGreaterThan(order[i - 1]!.sessions);
      expect(order[i]!.titles).toBeGreaterThan(order[i - 1]!.titles);
    }
  });
});

describe('generateDataSet', () => {
  it('is deterministic: the same seed and sizes give byte-identical files and manifest', async () => {
    const first = await generate('same-a');
    const second = await generate('same-b');
    for (const file of [
      dataFiles.users,
      dataFiles.viewingSessions,
      dataFiles.content,
      dataFiles.manifest,
    ]) {
      expect((await fileBytes(first, file)).equals(await fileBytes(second, file)), file).toBe(true);
    }
  });

  it('gives different data for another seed', async () => {
    const first = await generate('seed-7');
    const other = await generate('seed-8', { seed: 8 });
    for (const file of [dataFiles.users, dataFiles.viewingSessions, dataFiles.content]) {
      expect((await fileBytes(first, file)).equals(await fileBytes(other, file)), file).toBe(false);
    }
  });

  it('keeps users and catalogue unchanged when only the session count changes', async () => {
    const base = await generate('sessions-3000');
    const more = await generate('sessions-5000', { sessions: 5_000 });
    expect(
      (await fileBytes(base, dataFiles.users)).equals(await fileBytes(more, dataFiles.users)),
    ).toBe(true);
    expect(
      (await fileBytes(base, dataFiles.content)).equals(await fileBytes(more, dataFiles.content)),
    ).toBe(true);
  });

  it('writes a manifest with counts, fixed reference time and the true size and SHA-256 of each file', async () => {
    const dir = await generate('manifest');
    const manifest = dataManifest.parse(
      JSON.parse(await readFile(join(dir, dataFiles.manifest), 'utf8')),
    );
    expect(manifest).toMatchObject({
      seed: 7,
      scale: 'test',
      reference_time: '2025-07-01T00:00:00.000Z',
      defect_rate: 0,
    });
    expect(manifest.counts).toMatchObject({
      users: size.users,
      viewing_sessions: size.sessions,
      titles: size.titles,
    });
    expect(manifest.counts.movies + manifest.counts.series).toBe(size.titles);
    expect(Object.keys(manifest.files).sort()).toEqual(
      [dataFiles.content, dataFiles.users, dataFiles.viewingSessions].sort(),
    );
    for (const [file, digest] of Object.entries(manifest.files)) {
      const bytes = await fileBytes(dir, file);
      expect(digest).toEqual({
        bytes: bytes.length,
        sha256: createHash('sha256').update(bytes).digest('hex'),
      });
    }
  });

  it('writes one record per physical line: CSV with a header and LF endings, content.json one document a line', async () => {
    const dir = await generate('layout');
    const users = readLines(dir, dataFiles.users);
    const sessions = readLines(dir, dataFiles.viewingSessions);
    expect(users[0]).toBe(userColumns.join(','));
    expect(sessions[0]).toBe(viewingSessionColumns.join(','));
    expect(users).toHaveLength(size.users + 1);
    expect(sessions).toHaveLength(size.sessions + 1);
    for (const line of users)
      expect(parseCsvLine(line, userColumns.length), line).toMatchObject({ ok: true });
    for (const line of sessions)
      expect(parseCsvLine(line, viewingSessionColumns.length), line).toMatchObject({ ok: true });
    // Cities such as "Washington, D.C." and names such as O'Brien travel through RFC 4180 quoting.
    expect(users.some((line) => line.includes('"'))).toBe(true);
    const content = readLines(dir, dataFiles.content);
    expect(content[0]).toBe('[');
    expect(content.at(-1)).toBe(']');
    expect(content).toHaveLength(size.titles + 2);
    const documents = content.slice(1, -1);
    documents.forEach((line, index) => {
      expect(line.endsWith(','), `document ${index}`).toBe(index < documents.length - 1);
      expect(contentDocument.safeParse(JSON.parse(documentText(line))).success).toBe(true);
    });
    expect(JSON.parse(content.join('\n'))).toHaveLength(size.titles);
  });

  it('writes both CSV files byte for byte as fast-csv formats the same records', async () => {
    const dir = await generate('fast-csv-oracle');
    for (const file of [dataFiles.users, dataFiles.viewingSessions]) {
      const [header = '', ...lines] = readLines(dir, file);
      const expected = await writeToString(lines.map(splitCsvLine), {
        headers: header.split(','),
        includeEndRowDelimiter: true,
      });
      expect((await fileBytes(dir, file)).toString('utf8') === expected, file).toBe(true);
    }
  });

  it('writes a header-only sessions file when no sessions are asked for', async () => {
    const dir = await generate('no-sessions', { sessions: 0 });
    expect(readLines(dir, dataFiles.viewingSessions)).toEqual([viewingSessionColumns.join(',')]);
    expect(readLines(dir, dataFiles.users)).toHaveLength(size.users + 1);
  });

  it('leaves no temporary files behind', async () => {
    const dir = await generate('temporary');
    for (const file of [
      dataFiles.users,
      dataFiles.viewingSessions,
      dataFiles.content,
      dataFiles.manifest,
    ]) {
      await expect(stat(join(dir, `${file}.partial`))).rejects.toThrow();
    }
  });

  it('rejects invalid options before writing anything', async () => {
    const outDir = join(root, 'invalid');
    const error: unknown = await generateDataSet({
      outDir,
      seed: -1,
      scale: 'Bad Scale',
      users: 0,
      sessions: 10,
      titles: 5,
    }).catch((e: unknown) => e);
    expect(ReelhouseError.is(error) && error.code).toBe('invalid_input');
    expect(String(error)).toMatch(/seed.*scale.*users/);
    await expect(stat(outDir)).rejects.toThrow();
  });

  it('reports a folder it cannot write as a ReelhouseError naming it', async () => {
    const blocker = join(root, 'a-file');
    await writeFile(blocker, 'not a folder');
    const outDir = join(blocker, 'data');
    const error: unknown = await generateDataSet({ outDir, seed: 1, scale: 'test', ...size }).catch(
      (e: unknown) => e,
    );
    expect(ReelhouseError.is(error) && error.context).toMatchObject({ outDir });
  });

  it('stops in the middle of the sessions when aborted, leaving neither partial files nor a manifest', async () => {
    const controller = new AbortController();
    const outDir = join(root, 'aborted-midway');
    const logger: Logger = {
      ...silentLogger,
      info: (_fields, message) => {
        if (message === 'users written') controller.abort();
      },
      child: () => logger,
    };
    const error: unknown = await generateDataSet({
      outDir,
      seed: 1,
      scale: 'test',
      ...size,
      signal: controller.signal,
      logger,
    }).catch((e: unknown) => e);
    expect(ReelhouseError.is(error) && error.code).toBe('aborted');
    expect((await readdir(outDir)).sort()).toEqual([]);
  });

  it('stops with an aborted error and no manifest when the signal fires', async () => {
    const controller = new AbortController();
    controller.abort();
    const outDir = join(root, 'aborted');
    const error: unknown = await generateDataSet({
      outDir,
      seed: 1,
      scale: 'test',
      ...size,
      signal: controller.signal,
    }).catch((e: unknown) => e);
    expect(ReelhouseError.is(error) && error.code).toBe('aborted');
    await expect(stat(join(outDir, dataFiles.manifest))).rejects.toThrow();
    await expect(stat(join(outDir, `${dataFiles.viewingSessions}.partial`))).rejects.toThrow();
  });
});

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';

import { loadConfig } from '@reelhouse/config';
import { silentLogger } from '@reelhouse/core';
import {
  cacheDir,
  cachedFerretdbPath,
  dropDatabase,
  readServiceState,
  stopPersistentServer,
  withDatabase,
} from '@reelhouse/services';

import { openResources } from '../src/open-resources.ts';
import { runCli } from './cli-process.ts';

const suffix = randomBytes(4).toString('hex');
const missing = `rh_pipeline_missing_${suffix}`;
const role = `rh_pipeline_nocreate_${suffix}`;
const cache = mkdtempSync(join(tmpdir(), 'rh-pipeline-cache-'));
const ferretdbVersionDir = dirname(dirname(cachedFerretdbPath(cacheDir(loadConfig().cacheDir))));
symlinkSync(ferretdbVersionDir, join(cache, ferretdbVersionDir.split('/').at(-1)!));

function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
}

async function onServer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: inject('postgresServerUrl') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  await stopPersistentServer({ cache, purge: true });
  rmSync(cache, { recursive: true, force: true });
  await dropDatabase(inject('postgresServerUrl'), missing);
  await onServer((client) => client.query(`drop role if exists ${role}`));
});

describe('databases named by URLs (issue 12)', () => {
  it('creates a missing warehouse database, as without URLs', async () => {
    const result = await runCli(['status'], {
      WAREHOUSE_DATABASE_URL: withDatabase(inject('postgresServerUrl'), missing),
    });
    expect(result.stderr).not.toMatch(/does not exist/);
    expect(result.code).toBe(0);
    const { rowCount } = await onServer((client) =>
      client.query('select 1 from pg_database where datname = $1', [missing]),
    );
    expect(rowCount).toBe(1);
  });

  it('exits 69 with the reason and the fix when the database cannot be created', async () => {
    await onServer((client) => client.query(`create role ${role} login nocreatedb`));
    const url = new URL(withDatabase(inject('postgresServerUrl'), `rh_never_${suffix}`));
    url.username = role;
    url.password = '';
    const result = await runCli(['status'], { WAREHOUSE_DATABASE_URL: url.toString() });
    expect(result.code).toBe(69);
    expect(result.stderr).toMatch(/does not exist and could not be created: permission denied/);
    expect(result.stderr).toContain(`ALTER ROLE ${role} CREATEDB`);
  });
});

describe('a persistent MongoDB-wire server that dies (issue 12)', () => {
  it('is restarted on its data and the open client reconnects', async () => {
    const config = loadConfig({
      SOURCE_DATABASE_URL: withDatabase(inject('postgresServerUrl'), missing),
      WAREHOUSE_DATABASE_URL: withDatabase(inject('postgresServerUrl'), missing),
      REELHOUSE_CACHE_DIR: cache,
      DOCKER_HOST: 'unix:///nonexistent.sock',
    });
    const resources = await openResources({
      config,
      needs: 'all',
      logger: silentLogger,
      announce: () => undefined,
    });
    try {
      const titles = resources.mongo!.collection<{ _id: string }>('titles');
      await titles.insertOne({ _id: 'before' });
      const first = readServiceState(cache).mongodb!;
      process.kill(first.pid, 'SIGKILL');
      await expect.poll(() => processGone(first.pid), { timeout: 10_000 }).toBe(true);
      // The same client, as a task's retry would use it: the server comes back on the same port.
      await expect
        .poll(
          () =>
            titles.insertOne({ _id: `after` }).then(
              () => 'written',
              () => 'failed',
            ),
          { timeout: 60_000, interval: 500 },
        )
        .toBe('written');
      // The state file is written once the restarted server answered, a moment after the client saw it.
      await expect.poll(() => readServiceState(cache).mongodb?.pid).not.toBe(first.pid);
      expect(readServiceState(cache).mongodb).toMatchObject({ port: first.port });
      expect(await titles.find().sort({ _id: 1 }).toArray()).toEqual([
        { _id: 'after' },
        { _id: 'before' },
      ]);
    } finally {
      await resources.close();
    }
  }, 120_000);
});

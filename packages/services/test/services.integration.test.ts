import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';

import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';

import { loadConfig } from '@reelhouse/config';
import { ReelhouseError, createMemoryLogger } from '@reelhouse/core';

import {
  cacheDir,
  cachedFerretdbPath,
  createIsolatedDatabase,
  resolveMongo,
  resolvePostgres,
  resolveServices,
} from '../src/index.ts';
import { useMongoDatabase, usePostgresDatabase } from '../src/testing/index.ts';

// eslint-disable-next-line no-restricted-properties -- tests locate executables the same way the code does
const path = process.env['PATH'];
const packageRoot = new URL('..', import.meta.url).pathname;

/** The environment of the process serving `port` on 127.0.0.1, read from /proc. */
function environmentOfServerOn(port: string): string[] {
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (cmdline.includes(`--listen-addr=127.0.0.1:${port}\0`))
      return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
  }
  throw new Error(`no process serves port ${port}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('isolated PostgreSQL databases', () => {
  const database = usePostgresDatabase('services');

  it('gives each test file its own database, reachable at its URL', async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const { rows } = await client.query<{ db: string }>('select current_database() as db');
    await client.end();
    expect(rows[0]?.db).toBe(database.name);
  });

  it('creates and drops a database on the server', async () => {
    const isolated = await createIsolatedDatabase(database.serverUrl, 'rh_drop_me');
    const server = new pg.Client({ connectionString: database.serverUrl });
    await server.connect();
    const count = async () =>
      (await server.query('select 1 from pg_database where datname = $1', [isolated.name]))
        .rowCount;
    expect(await count()).toBe(1);
    await isolated.drop();
    expect(await count()).toBe(0);
    await server.end();
  });
});

describe('MongoDB-wire server through the official driver', () => {
  const mongo = useMongoDatabase('services');

  it('writes and reads documents', async () => {
    const content = mongo.db.collection<{ _id: string; title: string; seasons: { n: number }[] }>(
      'content',
    );
    await content.insertMany([
      { _id: 'ser_1', title: 'Night Shift', seasons: [{ n: 1 }, { n: 2 }] },
      { _id: 'mov_1', title: 'Low Tide', seasons: [] },
    ]);
    const found = await content.find({}, { sort: { _id: 1 } }).toArray();
    expect(found).toEqual([
      { _id: 'mov_1', title: 'Low Tide', seasons: [] },
      { _id: 'ser_1', title: 'Night Shift', seasons: [{ n: 1 }, { n: 2 }] },
    ]);
  });
});

describe('resolution order', () => {
  it('uses a configured URL before anything else and says so', async () => {
    const logger = createMemoryLogger();
    const url = inject('postgresServerUrl');
    const config = loadConfig({
      WAREHOUSE_DATABASE_URL: url,
      DOCKER_HOST: 'unix:///nonexistent.sock',
    });
    const service = await resolvePostgres({ url: config.warehouseDatabaseUrl, config, logger });
    expect(service.source).toBe('config');
    expect(logger.records[0]?.fields).toMatchObject({ service: 'postgres', source: 'config' });
  });

  it('falls back to the local server when nothing is configured and no container engine answers', async () => {
    const config = loadConfig({ DOCKER_HOST: 'unix:///nonexistent.sock' });
    const service = await resolvePostgres({
      config,
      localCandidates: ['postgres://postgres@127.0.0.1:5432/postgres'],
    });
    expect(service.source).toBe('local-postgres');
  });

  it('fails with every way to provide PostgreSQL listed when nothing answers', async () => {
    const config = loadConfig({ DOCKER_HOST: 'unix:///nonexistent.sock' });
    const error = await resolvePostgres({
      config,
      localCandidates: ['postgres://postgres@127.0.0.1:1/postgres'],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReelhouseError);
    expect((error as ReelhouseError).message).toMatch(
      /SOURCE_DATABASE_URL[\s\S]*container engine[\s\S]*127\.0\.0\.1:5432/,
    );
  });

  it('prefers MONGODB_URL over starting a server', async () => {
    const config = loadConfig({
      MONGODB_URL: inject('mongoServerUrl'),
      DOCKER_HOST: 'unix:///nonexistent.sock',
    });
    expect((await resolveMongo({ config, path })).source).toBe('config');
  });

  it('starts a throwaway FerretDB when no MongoDB URL, container engine or mongod is there, and stops it', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'rh-throwaway-cache-'));
    const versionDir = dirname(dirname(cachedFerretdbPath(cacheDir(loadConfig().cacheDir))));
    symlinkSync(versionDir, join(cache, basename(versionDir)));
    const config = loadConfig({
      DOCKER_HOST: 'unix:///nonexistent.sock',
      REELHOUSE_CACHE_DIR: cache,
    });
    const service = await resolveMongo({ config, path, lifetime: 'process' });
    expect(readdirSync(join(cache, 'run'))).toHaveLength(1);
    expect(service.source).toBe('ferretdb');
    expect(service.url.toString()).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+\/$/);
    const port = new URL(service.url.expose()).port;
    // The collector target that makes FerretDB's catalogue reads faster (see serverEnv).
    expect(environmentOfServerOn(port)).toContain('GOGC=400');
    await service.stop();
    expect(() =>
      execFileSync('sh', ['-c', `exec 3<>/dev/tcp/127.0.0.1/${port}`], { stdio: 'ignore' }),
    ).toThrow();
    // Its state folder goes with it: nothing accumulates in the cache.
    expect(readdirSync(join(cache, 'run'))).toEqual([]);
    rmSync(cache, { recursive: true, force: true });
  });

  it('fails with every way to provide MongoDB listed when nothing can be found or built', async () => {
    const config = loadConfig({
      DOCKER_HOST: 'unix:///nonexistent.sock',
      REELHOUSE_CACHE_DIR: mkdtempSync(join(tmpdir(), 'rh-empty-cache-')),
    });
    const error = await resolveMongo({ config, path: '/nonexistent', lifetime: 'process' }).catch(
      (e: unknown) => e,
    );
    expect((error as ReelhouseError).code).toBe('service_unavailable');
    expect((error as ReelhouseError).message).toMatch(/MONGODB_URL[\s\S]*mongod[\s\S]*FerretDB/);
  });

  it('resolves source, warehouse and MongoDB together for the pipeline', async () => {
    const config = loadConfig({
      WAREHOUSE_DATABASE_URL: inject('postgresServerUrl'),
      SOURCE_DATABASE_URL: inject('postgresServerUrl'),
      MONGODB_URL: inject('mongoServerUrl'),
    });
    const services = await resolveServices({ config, path });
    expect(services.descriptions).toHaveLength(3);
    expect(services.mongoUrl.expose()).toBe(inject('mongoServerUrl'));
    await services.stop();
  });
});

describe('no orphans', () => {
  it('stops a FerretDB it started even when its parent process is killed', async () => {
    // A child process resolves MongoDB (starting FerretDB), prints the server pid, then is SIGKILLed.
    const script = `
      import { loadConfig } from '@reelhouse/config';
      import { resolveMongo } from './src/index.ts';
      const service = await resolveMongo({ config: loadConfig({ DOCKER_HOST: 'unix:///nonexistent.sock' }), path: process.env.PATH, lifetime: 'process' });
      const { execSync } = await import('node:child_process');
      const port = new URL(service.url.expose()).port;
      const pid = execSync(\`ss -ltnpH 'sport = :\${port}'\`).toString().match(/pid=(\\d+)/)[1];
      process.stdout.write(pid + '\\n');
      setInterval(() => undefined, 1000);
    `;
    // Node itself with tsx's loader, not the tsx CLI, which would add a process between us and the parent.
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: packageRoot, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const serverPid = await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
      child.on('exit', (code) => reject(new Error(`child exited ${code}`)));
    });
    expect(isAlive(serverPid)).toBe(true);
    child.kill('SIGKILL');
    const deadline = Date.now() + 10_000;
    while (isAlive(serverPid) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    expect(isAlive(serverPid)).toBe(false);
    expect(existsSync(`/proc/${serverPid}`)).toBe(false);
  });
});

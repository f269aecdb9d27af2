import { execFile, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

import { MongoClient } from 'mongodb';
import { afterEach, describe, expect, it } from 'vitest';

import { loadConfig } from '@reelhouse/config';

import {
  cacheDir,
  cachedFerretdbPath,
  ensureMongo,
  readServiceState,
  removeStaleStateFolders,
  serviceStatePath,
  stopPersistentServer,
} from '../src/index.ts';

const run = promisify(execFile);
const packageRoot = new URL('..', import.meta.url).pathname;
// eslint-disable-next-line no-restricted-properties -- tests locate executables the same way the code does
const path = process.env['PATH'];
const caches: string[] = [];

/** A cache folder of its own, sharing the built FerretDB binary of the real cache. */
function freshCache(): string {
  const cache = mkdtempSync(join(tmpdir(), 'rh-services-cache-'));
  const versionDir = dirname(dirname(cachedFerretdbPath(cacheDir(loadConfig().cacheDir))));
  symlinkSync(versionDir, join(cache, versionDir.split('/').at(-1)!));
  caches.push(cache);
  return cache;
}

function configFor(cache: string) {
  return loadConfig({ REELHOUSE_CACHE_DIR: cache, DOCKER_HOST: 'unix:///nonexistent.sock' });
}

/** Runs a script in a new Node process (tsx's loader), as a separate command would. */
async function inNewProcess(cache: string, script: string): Promise<string> {
  const { stdout } = await run(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script],
    {
      cwd: packageRoot,
      env: { PATH: path, REELHOUSE_CACHE_DIR: cache, DOCKER_HOST: 'unix:///nonexistent.sock' },
    },
  );
  return stdout.trim();
}

const resolveAndUse = (body: string) => `
  import { loadConfig } from '@reelhouse/config';
  import { MongoClient } from 'mongodb';
  import { resolveServices } from './src/index.ts';
  const services = await resolveServices({ config: loadConfig(), path: process.env.PATH });
  const client = new MongoClient(services.mongoUrl.expose());
  const db = client.db('persist_check');
  ${body}
  await client.close();
  await services.stop();
`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

afterEach(async () => {
  for (const cache of caches.splice(0)) {
    await stopPersistentServer({ cache, purge: true });
    rmSync(cache, { recursive: true, force: true });
  }
});

// Each test starts new Node processes and servers: slow on a busy 2-core machine, never a hang.
describe('persistent local MongoDB-wire server', { timeout: 240_000 }, () => {
  it('keeps what one command wrote for the next command, and restarts a killed server on its data and port', async () => {
    const cache = freshCache();
    await inNewProcess(
      cache,
      resolveAndUse(`await db.collection('titles').insertMany([{ _id: 'a' }, { _id: 'b' }]);`),
    );
    const first = readServiceState(cache).mongodb!;
    expect(alive(first.pid)).toBe(true);
    expect(readFileSync(`/proc/${first.pid}/environ`, 'utf8').split('\0')).toContain('GOGC=400');
    const read = await inNewProcess(
      cache,
      resolveAndUse(
        `process.stdout.write(JSON.stringify(await db.collection('titles').find().sort({ _id: 1 }).toArray()));`,
      ),
    );
    expect(JSON.parse(read)).toEqual([{ _id: 'a' }, { _id: 'b' }]);
    expect(readServiceState(cache).mongodb?.pid).toBe(first.pid);

    process.kill(first.pid, 'SIGKILL');
    while (alive(first.pid)) await new Promise((resolve) => setTimeout(resolve, 50));
    const revived = await ensureMongo({ config: configFor(cache), path });
    const second = readServiceState(cache).mongodb!;
    expect(second.pid).not.toBe(first.pid);
    expect(second).toMatchObject({ port: first.port, stateDir: first.stateDir });
    const client = new MongoClient(revived.url.expose());
    try {
      expect(await client.db('persist_check').collection('titles').countDocuments()).toBe(2);
    } finally {
      await client.close();
    }
  });

  it('starts one server when two commands start at once', async () => {
    const cache = freshCache();
    const script = resolveAndUse(`process.stdout.write(services.mongoUrl.expose());`);
    const urls = await Promise.all([inNewProcess(cache, script), inNewProcess(cache, script)]);
    expect(urls[0]).toBe(urls[1]);
    const ferretdbs = readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .filter((pid) => {
        try {
          return readFileText(`/proc/${pid}/cmdline`).includes(join(cache, 'services'));
        } catch {
          return false;
        }
      });
    expect(ferretdbs).toHaveLength(1);
  });

  it('services:down stops it, forgets it and leaves no state folder of a gone server', async () => {
    const cache = freshCache();
    const server =
      (await ensureMongo({ config: configFor(cache), path }), readServiceState(cache).mongodb!);
    const root = join(cache, 'run');
    const deadOwner = join(root, 'ferretdb-dead');
    const live = join(root, 'ferretdb-live');
    const legacy = join(root, 'ferretdb-legacy');
    const legacyInUse = join(root, 'ferretdb-legacy-in-use');
    for (const folder of [deadOwner, live, legacy, legacyInUse])
      mkdirSync(folder, { recursive: true });
    writeFileSync(join(deadOwner, 'owner.pid'), '999999\n');
    writeFileSync(join(live, 'owner.pid'), `${process.pid}\n`);
    await run('touch', ['-d', '2 hours ago', legacy, legacyInUse]);
    // A server from before owner files names its folder on its command line.
    const user = spawn('sh', ['-c', 'sleep 60', `--state-dir=${legacyInUse}`], { stdio: 'ignore' });
    await run(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'down'], {
      cwd: packageRoot,
      env: { PATH: path, REELHOUSE_CACHE_DIR: cache },
    });
    expect(alive(server.pid)).toBe(false);
    expect(existsSync(serviceStatePath(cache))).toBe(false);
    expect(readdirSync(root).sort()).toEqual(['ferretdb-legacy-in-use', 'ferretdb-live']);
    expect(removeStaleStateFolders(cache)).toEqual([]);
    user.kill();
  });

  it('services:up --help prints its own usage and starts nothing', async () => {
    const cache = freshCache();
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', 'src/cli.ts', 'up', '--help'],
      {
        cwd: packageRoot,
        env: { PATH: path, REELHOUSE_CACHE_DIR: cache },
      },
    );
    expect(stdout).toMatch(/^Usage: services up/);
    expect(existsSync(serviceStatePath(cache))).toBe(false);
    expect(existsSync(join(cache, 'services'))).toBe(false);
  });
});

function readFileText(file: string): string {
  return readFileSync(file, 'utf8');
}

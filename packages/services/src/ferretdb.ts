import { execFile } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { ReelhouseError, type Logger } from '@reelhouse/core';

import { findExecutable } from './find-executable.ts';
import { serverArgs, serverEnv } from './persistent/server-process.ts';
import { ownerPidFile } from './persistent/stale-state-folders.ts';
import { freePort } from './free-port.ts';
import { startWatchedProcess, type WatchedProcess } from './watched-process.ts';

const run = promisify(execFile);

export const ferretdbVersion = 'v1.24.2';
// The pinned Go module (go.mod + go.sum) that builds FerretDB; shipped with this package.
const buildModuleDir = new URL('../ferretdb-build/', import.meta.url).pathname;

export interface FerretdbLocation {
  readonly path: string;
  readonly origin: 'path' | 'cache' | 'built';
}

/** The cached binary's path for the pinned version. */
export function cachedFerretdbPath(cache: string): string {
  return join(cache, `ferretdb-${ferretdbVersion}`, 'bin', 'ferretdb');
}

/**
 * Builds FerretDB from the Go module proxy into the cache. Go 1.24+ records a tool's own module as
 * the main module, so FerretDB's version check wants `build/version/version.txt`: we vendor the
 * pinned module and write that file, which `go install -mod=vendor` then embeds.
 */
export async function buildFerretdb(options: {
  cache: string;
  path: string | undefined;
  logger: Logger;
}): Promise<string> {
  const target = cachedFerretdbPath(options.cache);
  if (existsSync(target)) return target;
  const go = findExecutable('go', options.path);
  if (go === undefined) {
    throw new ReelhouseError({
      code: 'service_unavailable',
      message: 'Go is not on PATH, so FerretDB cannot be built',
      retryable: false,
    });
  }
  mkdirSync(options.cache, { recursive: true });
  const work = mkdtempSync(join(options.cache, 'ferretdb-build-'));
  try {
    cpSync(buildModuleDir, work, { recursive: true });
    options.logger.info(
      { version: ferretdbVersion, work },
      'building FerretDB from the Go module proxy (once; takes a minute or two)',
    );
    await run(go, ['mod', 'vendor'], { cwd: work, maxBuffer: 16 * 1024 * 1024 });
    writeFileSync(
      join(work, 'vendor/github.com/FerretDB/FerretDB/build/version/version.txt'),
      `${ferretdbVersion}\n`,
    );
    const bin = join(work, 'bin');
    await run(go, ['install', '-mod=vendor', 'github.com/FerretDB/FerretDB/cmd/ferretdb'], {
      cwd: work,
      env: { ...sanitizedEnv(options.path), GOBIN: bin },
      maxBuffer: 16 * 1024 * 1024,
    });
    // Rename is atomic: concurrent builders never see a half-written binary.
    const versionDir = join(target, '..', '..');
    rmSync(join(work, 'vendor'), { recursive: true, force: true });
    try {
      renameSync(work, versionDir);
    } catch {
      // Another process published it first; theirs is as good as ours.
    }
    return target;
  } finally {
    if (existsSync(work)) rmSync(work, { recursive: true, force: true });
  }
}

// go needs HOME/GOPATH/GOCACHE from the environment it inherits; only GOBIN is ours.
function sanitizedEnv(path: string | undefined): NodeJS.ProcessEnv {
  // eslint-disable-next-line no-restricted-properties -- passing the environment through to a child, not reading config
  return { ...process.env, PATH: path ?? '' };
}

/** Finds FerretDB on PATH or in the cache, or builds it when Go is there. */
export async function locateFerretdb(options: {
  cache: string;
  path: string | undefined;
  logger: Logger;
  build: boolean;
}): Promise<FerretdbLocation | undefined> {
  const onPath = findExecutable('ferretdb', options.path);
  if (onPath !== undefined) return { path: onPath, origin: 'path' };
  const cached = cachedFerretdbPath(options.cache);
  if (existsSync(cached)) return { path: cached, origin: 'cache' };
  if (!options.build || findExecutable('go', options.path) === undefined) return undefined;
  return { path: await buildFerretdb(options), origin: 'built' };
}

export interface RunningFerretdb {
  readonly url: string;
  readonly stateDir: string;
  readonly process: WatchedProcess;
}

/**
 * Starts a FerretDB (SQLite backend) that lives as long as this process, on a free port with its
 * own state folder under `stateRoot`; the folder is removed when the server stops.
 */
export async function startFerretdb(binary: string, stateRoot: string): Promise<RunningFerretdb> {
  mkdirSync(stateRoot, { recursive: true });
  const stateDir = mkdtempSync(join(stateRoot, 'ferretdb-'));
  const port = await freePort();
  const process = startWatchedProcess(binary, serverArgs({ kind: 'ferretdb', port, stateDir }), {
    removeOnExit: stateDir,
    env: serverEnv('ferretdb', globalThis.process.env),
  });
  writeFileSync(join(stateDir, ownerPidFile), `${process.pid}\n`);
  return { url: `mongodb://127.0.0.1:${port}/`, stateDir, process };
}

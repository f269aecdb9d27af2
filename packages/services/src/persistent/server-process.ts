import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

import type { PersistentServer } from './service-state.ts';

/**
 * FerretDB's garbage-collector target (Go's GOGC). FerretDB v1.24 decodes every document a query
 * reads, and at Go's default (100) a read of the 5,000-title catalogue spends much of its time
 * collecting: streamed in batches of 500, 5.0–6.1 s at 100 and 3.9–4.6 s at 400, peak RSS 66 MB
 * against 105 MB (four reads, twice each; 1,600 was faster still but peaked at 345 MB).
 */
const ferretdbGogc = '400';

/** The environment a server starts with: the caller's, plus FerretDB's GOGC unless one is set. */
export function serverEnv(
  kind: PersistentServer['kind'],
  inherited: NodeJS.ProcessEnv,
): NodeJS.ProcessEnv {
  if (kind !== 'ferretdb' || inherited['GOGC'] !== undefined) return inherited;
  return { ...inherited, GOGC: ferretdbGogc };
}

/** The command line that serves `stateDir` on `port`, for each kind of server. */
export function serverArgs(server: Pick<PersistentServer, 'kind' | 'port' | 'stateDir'>): string[] {
  switch (server.kind) {
    case 'ferretdb':
      return [
        `--listen-addr=127.0.0.1:${server.port}`,
        // FerretDB's debug listener is off: a second port would be one more thing to collide.
        '--debug-addr=-',
        '--handler=sqlite',
        `--sqlite-url=file:${server.stateDir}/`,
        `--state-dir=${server.stateDir}`,
        '--telemetry=disable',
        '--log-level=error',
      ];
    case 'mongod':
      return [
        '--port',
        String(server.port),
        '--bind_ip',
        '127.0.0.1',
        '--dbpath',
        server.stateDir,
        '--quiet',
      ];
  }
}

/**
 * Starts a server in its own session (detached): it outlives this process and a signal to this
 * process group, until `services:down`. Its output goes to `<stateDir>/server.log`.
 */
export function spawnDetached(
  server: Pick<PersistentServer, 'kind' | 'port' | 'stateDir' | 'binary'>,
): number {
  mkdirSync(server.stateDir, { recursive: true });
  const log = openSync(join(server.stateDir, 'server.log'), 'a');
  try {
    const child = spawn(server.binary, serverArgs(server), {
      // eslint-disable-next-line no-restricted-properties -- passing the environment through to a child, not reading config
      env: serverEnv(server.kind, process.env),
      detached: true,
      stdio: ['ignore', log, log],
    });
    child.unref();
    if (child.pid === undefined) throw new Error(`could not start ${server.binary}`);
    return child.pid;
  } finally {
    closeSync(log);
  }
}

/** True when `pid` is alive and, where /proc tells, still the server of `stateDir` (pids get reused). */
export function serverProcessAlive(pid: number, stateDir: string): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(stateDir);
  } catch {
    return true;
  }
}

/** True when nothing listens on 127.0.0.1:`port`, so a restarted server can take it back. */
export async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

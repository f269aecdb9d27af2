import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

import type { PersistentServer } from './service-state.ts';

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

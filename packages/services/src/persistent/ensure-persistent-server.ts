import { setTimeout as sleep } from 'node:timers/promises';

import { ReelhouseError, type Logger } from '@reelhouse/core';

import { freePort } from '../free-port.ts';
import { probeMongo } from '../probe.ts';
import { waitUntilReady } from '../wait-until-ready.ts';
import { portFree, serverProcessAlive, spawnDetached } from './server-process.ts';
import {
  persistentDataDir,
  readServiceState,
  writeServiceState,
  type PersistentServer,
} from './service-state.ts';
import { withStateLock } from './state-lock.ts';
import { removeStaleStateFolders } from './stale-state-folders.ts';

export interface EnsurePersistentServerOptions {
  readonly cache: string;
  readonly kind: PersistentServer['kind'];
  readonly binary: string;
  readonly version: string;
  readonly logger: Logger;
}

export interface EnsuredServer {
  readonly server: PersistentServer;
  /** What this call did: found it answering, restarted it on its data, or started it first. */
  readonly action: 'reused' | 'restarted' | 'started';
}

/** The URL clients use for a persistent server. */
export function persistentServerUrl(server: Pick<PersistentServer, 'port'>): string {
  return `mongodb://127.0.0.1:${server.port}/`;
}

async function answers(server: PersistentServer, timeoutMs: number): Promise<boolean> {
  try {
    await waitUntilReady(() => probeMongo(persistentServerUrl(server), 1_000), timeoutMs);
    return true;
  } catch {
    return false;
  }
}

/** Stops a recorded server: SIGTERM, then SIGKILL when it has not gone within 10 s. */
export async function stopServerProcess(server: PersistentServer): Promise<void> {
  if (!serverProcessAlive(server.pid, server.stateDir)) return;
  process.kill(server.pid, 'SIGTERM');
  for (let waited = 0; waited < 10_000; waited += 100) {
    if (!serverProcessAlive(server.pid, server.stateDir)) return;
    await sleep(100);
  }
  process.kill(server.pid, 'SIGKILL');
}

async function start(
  options: EnsurePersistentServerOptions,
  previous: PersistentServer | undefined,
): Promise<PersistentServer> {
  const stateDir = previous?.stateDir ?? persistentDataDir(options.cache, options.kind);
  // The same port when it is free, so clients that already hold the URL reconnect by themselves.
  const port =
    previous !== undefined && (await portFree(previous.port)) ? previous.port : await freePort();
  const pid = spawnDetached({ kind: options.kind, binary: options.binary, port, stateDir });
  const server: PersistentServer = {
    kind: options.kind,
    pid,
    port,
    stateDir,
    binary: options.binary,
    version: options.version,
    startedAt: new Date().toISOString(),
  };
  if (!(await answers(server, 30_000))) {
    await stopServerProcess(server);
    throw new ReelhouseError({
      code: 'service_unavailable',
      message: `${options.kind} (${options.binary}) did not answer on port ${port} within 30 s; see ${stateDir}/server.log`,
      context: { stateDir, port },
    });
  }
  return server;
}

/**
 * Finds the persistent MongoDB-wire server recorded in the state file, restarts it on the same
 * data (and port, when free) when it is gone or stuck, or starts it the first time. Runs under
 * the state lock, then removes state folders no live server uses.
 */
export async function ensurePersistentServer(
  options: EnsurePersistentServerOptions,
): Promise<EnsuredServer> {
  const ensured = await withStateLock(options.cache, async (): Promise<EnsuredServer> => {
    const state = readServiceState(options.cache);
    const recorded = state.mongodb;
    if (recorded !== undefined && serverProcessAlive(recorded.pid, recorded.stateDir)) {
      if (await answers(recorded, 15_000)) return { server: recorded, action: 'reused' };
      options.logger.warn(
        { pid: recorded.pid, port: recorded.port },
        `${recorded.kind} (pid ${recorded.pid}) runs but does not answer: restarting it`,
      );
      await stopServerProcess(recorded);
    }
    const previous = recorded?.kind === options.kind ? recorded : undefined;
    const server = await start(options, previous);
    writeServiceState(options.cache, { ...state, mongodb: server });
    return { server, action: previous === undefined ? 'started' : 'restarted' };
  });
  removeStaleStateFolders(options.cache);
  return ensured;
}

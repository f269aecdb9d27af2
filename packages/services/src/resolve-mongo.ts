import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { Redacted, type ReelhouseConfig } from '@reelhouse/config';
import { ReelhouseError, silentLogger, type Logger } from '@reelhouse/core';

import { cacheDir } from './cache-dir.ts';
import { containerEngineAvailable } from './container-engine.ts';
import { ferretdbVersion, locateFerretdb, startFerretdb } from './ferretdb.ts';
import { findExecutable } from './find-executable.ts';
import { freePort } from './free-port.ts';
import {
  ensurePersistentServer,
  persistentServerUrl,
} from './persistent/ensure-persistent-server.ts';
import { ownerPidFile, temporaryStateRoot } from './persistent/stale-state-folders.ts';
import { probeMongo } from './probe.ts';
import { startMongoContainer } from './persistent/named-containers.ts';
import type { ResolvedService, ServiceSource } from './resolved-service.ts';
import { waitUntilReady } from './wait-until-ready.ts';
import { startWatchedProcess, type WatchedProcess } from './watched-process.ts';

export interface ResolveMongoOptions {
  readonly config: ReelhouseConfig;
  readonly logger?: Logger;
  /** PATH to search for `mongod`, `ferretdb` and `go`. */
  readonly path: string | undefined;
  /** Build FerretDB with Go when no MongoDB-wire server is found (default true). */
  readonly buildFerretdb?: boolean;
  /**
   * `persistent` (default): a server Reelhouse starts runs detached with its data in the cache,
   * recorded in the state file and reused by every later command; a dead one is restarted.
   * `process`: a throwaway server stopped with this process (tests).
   */
  readonly lifetime?: 'persistent' | 'process';
}

function resolved(source: ServiceSource, url: string, stop: () => Promise<void>): ResolvedService {
  const redacted = Redacted.url(url);
  return {
    kind: 'mongodb',
    source,
    url: redacted,
    description: `MongoDB-wire server via ${source} at ${redacted.toString()}`,
    stop,
  };
}

const keepRunning = () => Promise.resolve();

async function persistentServer(
  options: { cache: string; kind: 'ferretdb' | 'mongod'; binary: string; version: string },
  logger: Logger,
): Promise<ResolvedService> {
  const { server, action } = await ensurePersistentServer({ ...options, logger });
  const url = persistentServerUrl(server);
  return {
    ...resolved(options.kind, url, keepRunning),
    description: `MongoDB-wire server via ${options.kind} (persistent, ${action}, pid ${server.pid}, data in ${server.stateDir}) at ${url}`,
  };
}

async function startAndWait(
  source: ServiceSource,
  url: string,
  process: WatchedProcess,
): Promise<ResolvedService> {
  try {
    await waitUntilReady(() => probeMongo(url, 500), 30_000);
  } catch (error) {
    await process.stop();
    throw new ReelhouseError({
      code: 'service_unavailable',
      message: `${source} did not start: ${String(error)}`,
      cause: error,
      retryable: false,
    });
  }
  return resolved(source, url, () => process.stop());
}

async function tryMemoryServer(): Promise<ResolvedService | undefined> {
  // Optional: used only when the package is installed and can fetch its mongod binary.
  const moduleName = 'mongodb-memory-server';
  try {
    const module = (await import(moduleName)) as {
      MongoMemoryServer: { create(): Promise<{ getUri(): string; stop(): Promise<boolean> }> };
    };
    const server = await module.MongoMemoryServer.create();
    return resolved('mongodb-memory-server', server.getUri(), async () => {
      await server.stop();
    });
  } catch {
    return undefined;
  }
}

/**
 * Finds a MongoDB-wire server: the configured URL; a testcontainers MongoDB when a container engine
 * answers; a `mongod` on PATH; mongodb-memory-server where it can download; else FerretDB (on PATH,
 * cached, or built once with Go). Says which through the logger.
 */
export async function resolveMongo(options: ResolveMongoOptions): Promise<ResolvedService> {
  const logger = options.logger ?? silentLogger;
  const service = await findMongo(options, logger);
  logger.info(
    { service: 'mongodb', source: service.source, url: service.url.toString() },
    service.description,
  );
  return service;
}

/**
 * Checks the MongoDB-wire server before (re)connecting: a persistent local server that died is
 * restarted on its data and port, so a client of the URL reconnects by itself. With MONGODB_URL
 * the configured server is used as it is.
 */
export async function ensureMongo(
  options: Omit<ResolveMongoOptions, 'lifetime'>,
): Promise<ResolvedService> {
  return resolveMongo({ ...options, lifetime: 'persistent' });
}

async function findMongo(options: ResolveMongoOptions, logger: Logger): Promise<ResolvedService> {
  if (options.config.mongodbUrl !== undefined)
    return resolved('config', options.config.mongodbUrl.expose(), () => Promise.resolve());
  const persistent = (options.lifetime ?? 'persistent') === 'persistent';
  const cache = cacheDir(options.config.cacheDir);
  if (await containerEngineAvailable(options.config.dockerHost)) {
    const container = await startMongoContainer(persistent);
    return resolved(
      'testcontainers',
      `${container.getConnectionString()}?directConnection=true`,
      persistent
        ? keepRunning
        : async () => {
            await container.stop();
          },
    );
  }
  const mongod = findExecutable('mongod', options.path);
  if (mongod !== undefined) {
    if (persistent)
      return persistentServer(
        { cache, kind: 'mongod', binary: mongod, version: 'mongod on PATH' },
        logger,
      );
    const port = await freePort();
    const root = temporaryStateRoot(cache);
    mkdirSync(root, { recursive: true });
    const dbPath = mkdtempSync(join(root, 'mongod-'));
    const process = startWatchedProcess(
      mongod,
      ['--port', String(port), '--bind_ip', '127.0.0.1', '--dbpath', dbPath, '--quiet'],
      { removeOnExit: dbPath },
    );
    writeFileSync(join(dbPath, ownerPidFile), `${process.pid}\n`);
    return startAndWait('mongod', `mongodb://127.0.0.1:${port}/`, process);
  }
  // mongodb-memory-server keeps nothing between processes: for throwaway servers only.
  const memory = persistent ? undefined : await tryMemoryServer();
  if (memory !== undefined) return memory;
  const ferretdb = await locateFerretdb({
    cache,
    path: options.path,
    logger,
    build: options.buildFerretdb ?? true,
  });
  if (ferretdb !== undefined) {
    if (persistent)
      return persistentServer(
        { cache, kind: 'ferretdb', binary: ferretdb.path, version: ferretdbVersion },
        logger,
      );
    const running = await startFerretdb(ferretdb.path, temporaryStateRoot(cache));
    return startAndWait('ferretdb', running.url, running.process);
  }
  throw new ReelhouseError({
    code: 'service_unavailable',
    retryable: false,
    message: [
      'No MongoDB-wire server found. Provide one of:',
      '  1. MONGODB_URL (mongodb://host:27017/)',
      '  2. a container engine (Docker or Podman) for testcontainers',
      '  3. mongod on PATH',
      '  4. mongodb-memory-server installed, where it can download mongod',
      '  5. ferretdb on PATH, or Go on PATH to build FerretDB v1.24.2 from the Go module proxy',
    ].join('\n'),
  });
}

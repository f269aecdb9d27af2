/**
 * `pnpm services:up` starts (or finds) the databases for development and prints their URLs;
 * `pnpm services:down` stops what `up` started; `build-ferretdb` builds FerretDB into the cache.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { loadConfig } from '@reelhouse/config';
import { ReelhouseError, type Logger } from '@reelhouse/core';

import { cacheDir } from './cache-dir.ts';
import { buildFerretdb, cachedFerretdbPath, locateFerretdb } from './ferretdb.ts';
import { freePort } from './free-port.ts';
import { probeMongo } from './probe.ts';
import { resolvePostgres } from './resolve-postgres.ts';
import { waitUntilReady } from './wait-until-ready.ts';

const stderrLogger: Logger = {
  debug: () => undefined,
  info: (_fields, message) => process.stderr.write(`${message}\n`),
  warn: (_fields, message) => process.stderr.write(`warning: ${message}\n`),
  error: (_fields, message) => process.stderr.write(`error: ${message}\n`),
  child: () => stderrLogger,
};

const config = loadConfig();
const cache = cacheDir(config.cacheDir);
const stateFile = join(cache, 'services-up.json');
// eslint-disable-next-line no-restricted-properties -- PATH locates executables, it is not configuration
const path = process.env['PATH'];

async function up(): Promise<void> {
  const postgres = await resolvePostgres({
    url: config.warehouseDatabaseUrl,
    config,
    logger: stderrLogger,
  });
  let mongoUrl = config.mongodbUrl?.toString();
  if (mongoUrl === undefined) {
    if (existsSync(stateFile)) {
      mongoUrl = (JSON.parse(readFileSync(stateFile, 'utf8')) as { mongoUrl: string }).mongoUrl;
    } else {
      const ferretdb = await locateFerretdb({ cache, path, logger: stderrLogger, build: true });
      if (ferretdb === undefined)
        throw new ReelhouseError({
          code: 'service_unavailable',
          message: 'no FerretDB and no Go to build it; set MONGODB_URL',
        });
      const stateDir = join(cache, 'dev-ferretdb');
      mkdirSync(stateDir, { recursive: true });
      const port = await freePort();
      // Detached on purpose: a development server outlives this command until `services:down`.
      const child = spawn(
        ferretdb.path,
        [
          `--listen-addr=127.0.0.1:${port}`,
          `--debug-addr=127.0.0.1:${await freePort()}`,
          '--handler=sqlite',
          `--sqlite-url=file:${stateDir}/`,
          `--state-dir=${stateDir}`,
          '--telemetry=disable',
          '--log-level=error',
        ],
        { detached: true, stdio: 'ignore' },
      );
      child.unref();
      mongoUrl = `mongodb://127.0.0.1:${port}/`;
      const started = mongoUrl;
      await waitUntilReady(() => probeMongo(started, 500), 30_000);
      writeFileSync(stateFile, JSON.stringify({ pid: child.pid, mongoUrl }));
    }
  }
  process.stdout.write(
    `WAREHOUSE_DATABASE_URL=${postgres.url.toString()}\nMONGODB_URL=${mongoUrl}\n`,
  );
}

function down(): void {
  if (!existsSync(stateFile)) {
    process.stderr.write('nothing to stop: services:up started no server\n');
    return;
  }
  const { pid } = JSON.parse(readFileSync(stateFile, 'utf8')) as { pid: number };
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // already gone
  }
  rmSync(stateFile);
  process.stderr.write(`stopped FerretDB (pid ${pid})\n`);
}

const command = process.argv[2];
try {
  if (command === 'up') await up();
  else if (command === 'down') down();
  else if (command === 'build-ferretdb')
    process.stdout.write(
      `${existsSync(cachedFerretdbPath(cache)) ? cachedFerretdbPath(cache) : await buildFerretdb({ cache, path, logger: stderrLogger })}\n`,
    );
  else
    throw new ReelhouseError({
      code: 'invalid_input',
      message: `unknown command ${String(command)}; use up, down or build-ferretdb`,
    });
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}

/**
 * `pnpm services:up` finds or starts the databases (the MongoDB-wire server as the persistent
 * local one) and prints their URLs; `services:status` says what runs; `services:down` stops the
 * persistent server; `build-ferretdb` builds FerretDB into the cache.
 */
import { existsSync } from 'node:fs';

import { Command } from 'commander';

import { loadConfig } from '@reelhouse/config';
import { classifyError, type Logger } from '@reelhouse/core';

import { cacheDir } from './cache-dir.ts';
import { buildFerretdb, cachedFerretdbPath } from './ferretdb.ts';
import { persistentServerStatus } from './persistent/service-status.ts';
import { serviceStatePath } from './persistent/service-state.ts';
import { stopPersistentServer } from './persistent/stop-persistent-server.ts';
import { probePostgres } from './probe.ts';
import { ensureMongo } from './resolve-mongo.ts';
import { resolvePostgres } from './resolve-postgres.ts';

const stderrLogger: Logger = {
  debug: () => undefined,
  info: (_fields, message) => process.stderr.write(`${message}\n`),
  warn: (_fields, message) => process.stderr.write(`warning: ${message}\n`),
  error: (_fields, message) => process.stderr.write(`error: ${message}\n`),
  child: () => stderrLogger,
};

// eslint-disable-next-line no-restricted-properties -- PATH locates executables, it is not configuration
const path = process.env['PATH'];

async function up(): Promise<void> {
  const config = loadConfig();
  const postgres = await resolvePostgres({
    url: config.warehouseDatabaseUrl,
    config,
    logger: stderrLogger,
  });
  const mongo = await ensureMongo({ config, path, logger: stderrLogger });
  process.stdout.write(
    `WAREHOUSE_DATABASE_URL=${postgres.url.toString()}\nMONGODB_URL=${mongo.url.toString()}\n`,
  );
}

async function status(): Promise<void> {
  const config = loadConfig();
  const cache = cacheDir(config.cacheDir);
  const postgresUrl =
    config.warehouseDatabaseUrl?.expose() ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const postgresAnswers = await probePostgres(postgresUrl).then(
    () => 'answers',
    (error: unknown) => `does not answer (${classifyError(error).message})`,
  );
  const lines = [
    `PostgreSQL ${config.warehouseDatabaseUrl?.toString() ?? postgresUrl}: ${postgresAnswers}`,
  ];
  if (config.mongodbUrl !== undefined)
    lines.push(`MongoDB: MONGODB_URL=${config.mongodbUrl.toString()} (not managed here)`);
  const mongo = await persistentServerStatus(cache);
  if (mongo === undefined) {
    lines.push(`persistent MongoDB-wire server: none recorded in ${serviceStatePath(cache)}`);
  } else {
    const { server } = mongo;
    const health = mongo.answers ? 'running' : mongo.processAlive ? 'not answering' : 'stopped';
    lines.push(
      `persistent MongoDB-wire server: ${health}`,
      `  ${server.kind} ${server.version} (${server.binary})`,
      `  url ${mongo.url}, pid ${server.pid}, started ${server.startedAt}`,
      `  data ${server.stateDir}`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function down(options: { purge: boolean }): Promise<void> {
  const cache = cacheDir(loadConfig().cacheDir);
  const { stopped, removedFolders } = await stopPersistentServer({ cache, purge: options.purge });
  process.stderr.write(
    stopped === undefined
      ? 'nothing to stop: no persistent server recorded\n'
      : `stopped ${stopped.kind} (pid ${stopped.pid}); data ${options.purge ? 'removed' : `kept in ${stopped.stateDir}`}\n`,
  );
  if (removedFolders.length > 0)
    process.stderr.write(
      `removed ${removedFolders.length} state folders of servers that are gone\n`,
    );
}

async function buildFerretdbCommand(): Promise<void> {
  const cache = cacheDir(loadConfig().cacheDir);
  const cached = cachedFerretdbPath(cache);
  const built = existsSync(cached)
    ? cached
    : await buildFerretdb({ cache, path, logger: stderrLogger });
  process.stdout.write(`${built}\n`);
}

const program = new Command('services')
  .description(
    'Local databases for Reelhouse: PostgreSQL found, a MongoDB-wire server kept running',
  )
  .showHelpAfterError();
program
  .command('up')
  .description(
    'find PostgreSQL, find or start the persistent MongoDB-wire server, print their URLs',
  )
  .action(up);
program
  .command('status')
  .description('say which servers are recorded, running and answering')
  .action(status);
program
  .command('down')
  .description(
    'stop the persistent MongoDB-wire server and remove state folders of servers that are gone',
  )
  .option('--purge', 'also delete its data folder', false)
  .action(down);
program
  .command('build-ferretdb')
  .description('build FerretDB v1.24.2 into the cache (needs Go)')
  .action(buildFerretdbCommand);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  const classified = classifyError(error);
  process.stderr.write(`error (${classified.code}): ${classified.message}\n`);
  process.exitCode = classified.code === 'service_unavailable' ? 69 : 1;
}

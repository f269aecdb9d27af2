import { loadConfig } from '@reelhouse/config';
import { ReelhouseError } from '@reelhouse/core';
import { Command, InvalidArgumentError } from 'commander';
import pino from 'pino';
import { z } from 'zod';

import { startDashboard } from './start-dashboard.ts';

const portSchema = z.coerce.number().int().min(0).max(65535);

// `pnpm dashboard`: parse flags (commander prints --help and usage errors), then start the server.
const program = new Command('dashboard')
  .description(
    'Serve the Reelhouse dashboard over the warehouse (WAREHOUSE_DATABASE_URL, or the server @reelhouse/services finds).',
  )
  .option('--host <address>', 'interface to listen on (default: HOST, else 127.0.0.1)')
  .option('--port <number>', 'port to listen on (default: PORT, else 3000)', (value: string) => {
    const parsed = portSchema.safeParse(value);
    if (!parsed.success) throw new InvalidArgumentError('must be an integer from 0 to 65535');
    return parsed.data;
  })
  .addHelpText(
    'after',
    "\nEnvironment: HOST, PORT, DASHBOARD_TOKEN, DASHBOARD_BASIC_AUTH (required when HOST is not loopback),\nWAREHOUSE_DATABASE_URL, REELHOUSE_CACHE_DIR (holds the read-only role's password file).",
  );
program.parse();
const flags = program.opts<{ host?: string; port?: number }>();

try {
  const config = loadConfig();
  const logger = pino({
    level: config.logLevel,
    base: { app: 'reelhouse-dashboard' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
  const server = await startDashboard({
    config,
    logger,
    host: flags.host ?? config.host,
    port: flags.port ?? config.port,
  });
  const stop = (signal: string) => {
    logger.info({ signal }, 'stopping');
    void server.close();
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
} catch (error) {
  // Known failures are one line with their fix; anything else keeps its stack for a bug report.
  if (error instanceof ReelhouseError) {
    process.stderr.write(`dashboard: ${error.message}\n`);
    process.exitCode = error.code === 'config_invalid' ? 78 : 69;
  } else throw error;
}

/**
 * Runs before `pnpm check`: makes a fresh machine of this kind ready for the tests. Missing Debian
 * packages are installed with apt-get when running as root (otherwise it stops with the exact
 * command), the machine's PostgreSQL is started when it does not answer, and FerretDB is built
 * into the cache when no MongoDB-wire server is configured or built.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

import { programAvailable, systemRequirements } from './system-requirements.ts';

// eslint-disable-next-line no-restricted-properties -- a set-up script outside the packages, before any config exists
const env = process.env;
const path = env['PATH'] ?? '';
const isRoot = process.getuid?.() === 0;
const root = new URL('../../', import.meta.url).pathname;

function say(line: string): void {
  process.stderr.write(`preflight: ${line}\n`);
}

function stop(reason: string, command: string): never {
  say(`${reason}\n  run: ${command}\n  then run pnpm check again`);
  process.exit(1);
}

function run(
  command: string,
  args: readonly string[],
  extraEnv: Record<string, string> = {},
): boolean {
  say(`$ ${[command, ...args].join(' ')}`);
  const result = spawnSync(command, args, {
    stdio: 'inherit',
    env: { ...env, ...extraEnv },
    cwd: root,
  });
  return result.status === 0;
}

function installMissingPackages(): void {
  const missing = systemRequirements.filter((r) => !programAvailable(r.program, path));
  if (missing.length === 0) return;
  const packages = [...new Set(missing.map((r) => r.debianPackage))];
  say(`missing: ${missing.map((r) => `${r.program} (${r.neededBy})`).join(', ')}`);
  const install = `apt-get update && apt-get install -y ${packages.join(' ')}`;
  if (!isRoot)
    stop('these tests need Debian packages that are not installed', `sudo sh -c '${install}'`);
  const ok =
    run('apt-get', ['update', '-qq']) &&
    run('apt-get', ['install', '-y', '-qq', ...packages], { DEBIAN_FRONTEND: 'noninteractive' });
  if (!ok) stop('apt-get could not install the packages', install);
}

function postgresAnswers(): boolean {
  return spawnSync('pg_isready', ['-q', '-h', '127.0.0.1', '-p', '5432']).status === 0;
}

function startLocalPostgres(): void {
  // Tests use the configured server when there is one; only the machine's own is started here.
  if (env['WAREHOUSE_DATABASE_URL'] !== undefined && env['WAREHOUSE_DATABASE_URL'] !== '') return;
  if (!programAvailable('pg_isready', path) || postgresAnswers()) return;
  const versions = existsSync('/etc/postgresql')
    ? readdirSync('/etc/postgresql').sort((a, b) => Number(a) - Number(b))
    : [];
  const version = versions.at(-1);
  if (version === undefined) return;
  const start = `pg_ctlcluster --skip-systemctl-redirect ${version} main start`;
  if (!isRoot) stop('PostgreSQL on 127.0.0.1:5432 does not answer', `sudo ${start}`);
  if (!run('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start']))
    stop('PostgreSQL did not start', start);
  for (let second = 0; second < 30 && !postgresAnswers(); second += 1) spawnSync('sleep', ['1']);
  if (!postgresAnswers()) stop('PostgreSQL started but does not answer on 127.0.0.1:5432', start);
}

function buildFerretdb(): void {
  if (env['MONGODB_URL'] !== undefined && env['MONGODB_URL'] !== '') return;
  if (programAvailable('mongod', path) || programAvailable('ferretdb', path)) return;
  const configured = env['REELHOUSE_CACHE_DIR'];
  const cache =
    configured !== undefined && configured !== ''
      ? configured
      : join(homedir(), '.cache', 'reelhouse');
  // The cached binary's path of @reelhouse/services' `ferretdbVersion` (this script cannot import it).
  if (existsSync(join(cache, 'ferretdb-v1.24.2', 'bin', 'ferretdb'))) return;
  const build = 'pnpm --filter @reelhouse/services run ferretdb:build';
  if (!programAvailable('go', path))
    stop(
      'no MongoDB-wire server: FerretDB is built with Go, which is not on PATH',
      `install Go 1.24+, then ${build}`,
    );
  if (!run('pnpm', ['--filter', '@reelhouse/services', 'run', 'ferretdb:build']))
    stop('FerretDB did not build', build);
}

installMissingPackages();
startLocalPostgres();
buildFerretdb();
say('ready');

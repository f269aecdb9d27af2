import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { loadConfig } from '@reelhouse/config';
import { silentLogger } from '@reelhouse/core';
import { closeKysely, insertTrustedFixture } from '@reelhouse/metrics/testing';
import { usePostgresDatabase } from '@reelhouse/services/testing';
import { createKysely, createPool, type TrustedSchema } from '@reelhouse/warehouse';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createDashboardApp, dashboardRoleName, startDashboard } from '../src/index.ts';

// Issue 14: security headers, authentication, loopback by default, clear start-up errors, --help.
const pg = usePostgresDatabase('dashboard_issue14_server');
const run = promisify(execFile);
const server = join(import.meta.dirname, '..', 'src', 'server.ts');
const tsx = join(import.meta.dirname, '..', 'node_modules', '.bin', 'tsx');
let db: Kysely<TrustedSchema>;
let cache: string;

beforeAll(async () => {
  db = createKysely<TrustedSchema>(createPool({ url: pg.url, max: 2 }));
  await insertTrustedFixture(db);
  cache = await mkdtemp(join(tmpdir(), 'dashboard-server-'));
});

afterAll(async () => {
  await sql`drop owned by ${sql.id(dashboardRoleName(pg.name))}`.execute(db);
  await sql`drop role if exists ${sql.id(dashboardRoleName(pg.name))}`.execute(db);
  await closeKysely(db, pg);
  await rm(cache, { recursive: true, force: true });
});

describe('responses', () => {
  it('carry a content security policy, nosniff and no framing', async () => {
    const app = await createDashboardApp({ db });
    for (const path of ['/', '/api/panels/device_mix', '/healthz', '/nope']) {
      const response = await app.request(path);
      const policy = response.headers.get('content-security-policy') ?? '';
      expect(policy, path).toContain("script-src 'self'");
      expect(policy, path).toContain("frame-ancestors 'none'");
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(response.headers.get('x-frame-options'), path).toBe('DENY');
    }
  });
});

describe('authentication', () => {
  it('admits a request with the token or the basic credentials, and nothing else', async () => {
    const app = await createDashboardApp({
      db,
      auth: {
        token: 'token-0123456789abcdef',
        basic: { username: 'ana', password: 'pass-word-1' },
      },
    });
    expect((await app.request('/')).status).toBe(401);
    expect(
      (await app.request('/api/panels/device_mix', { headers: { authorization: 'Bearer wrong' } }))
        .status,
    ).toBe(401);
    const bearer = { authorization: 'Bearer token-0123456789abcdef' };
    expect((await app.request('/api/panels/device_mix', { headers: bearer })).status).toBe(200);
    const basic = { authorization: `Basic ${Buffer.from('ana:pass-word-1').toString('base64')}` };
    expect((await app.request('/', { headers: basic })).status).toBe(200);
  });
});

describe('startDashboard', () => {
  it('listens on 127.0.0.1 when HOST is unset', async () => {
    const config = loadConfig({ WAREHOUSE_DATABASE_URL: pg.url, REELHOUSE_CACHE_DIR: cache });
    const started = await startDashboard({
      config,
      logger: silentLogger,
      host: config.host,
      port: 0,
    });
    try {
      expect(started.address.address).toBe('127.0.0.1');
      expect(started.user).toBe(dashboardRoleName(pg.name));
      const response = await fetch(`http://127.0.0.1:${started.address.port}/healthz`);
      expect(response.status).toBe(200);
    } finally {
      await started.close();
    }
  });

  it('refuses a non-loopback HOST without credentials, before opening anything', async () => {
    const config = loadConfig({
      WAREHOUSE_DATABASE_URL: pg.url,
      REELHOUSE_CACHE_DIR: cache,
      HOST: '0.0.0.0',
    });
    await expect(
      startDashboard({ config, logger: silentLogger, host: config.host, port: 0 }),
    ).rejects.toThrow(/HOST=0\.0\.0\.0 exposes the dashboard.*DASHBOARD_TOKEN/);
  });

  it('says in one line that a missing database must be created, without a stack trace', async () => {
    const url = new URL(pg.url);
    url.pathname = '/rh_no_such_database_issue14';
    const result = await run(tsx, [server, '--port', '0'], {
      env: {
        // eslint-disable-next-line no-restricted-properties -- the child inherits PATH, plus its own settings
        ...process.env,
        WAREHOUSE_DATABASE_URL: url.toString(),
        REELHOUSE_CACHE_DIR: cache,
      },
    }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(result.code).toBe(69);
    expect(result.stderr).toMatch(
      /^dashboard: The warehouse database does not exist .*run `pnpm pipeline`/,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('prints its own usage for --help and starts nothing', async () => {
    const { stdout } = await run(tsx, [server, '--help'], {
      // eslint-disable-next-line no-restricted-properties -- the child inherits PATH, plus its own settings
      env: { ...process.env, WAREHOUSE_DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' },
    });
    expect(stdout).toContain('Usage: dashboard [options]');
    expect(stdout).toContain('--host <address>');
    expect(stdout).toContain('DASHBOARD_TOKEN');
  });
});

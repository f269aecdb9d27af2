import { randomBytes } from 'node:crypto';

import pg from 'pg';

import { withDatabase } from './database-url.ts';

const identifier = /^[a-z_][a-z0-9_]{0,62}$/;

function quoteIdent(name: string): string {
  if (!identifier.test(name)) throw new Error(`not a safe database name: ${name}`);
  return `"${name}"`;
}

async function onServer<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Creates database `name` on the server if it does not exist (rerunnable) and returns its URL. */
export async function ensureDatabase(serverUrl: string, name: string): Promise<string> {
  await onServer(serverUrl, async (client) => {
    const exists = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount === 0) {
      try {
        await client.query(`create database ${quoteIdent(name)}`);
      } catch (error) {
        // 42P04: created meanwhile by a concurrent caller: the goal is met.
        if ((error as { code?: string }).code !== '42P04') throw error;
      }
    }
  });
  return withDatabase(serverUrl, name);
}

/**
 * Drops database `name`. Sessions that are closing anyway get a moment to leave first: a pool's
 * `end()` resolves before its sockets close, and terminating such a session (`with (force)`) sends
 * it a FATAL 57P01 that the already-ended pool no longer listens for.
 */
export async function dropDatabase(
  serverUrl: string,
  name: string,
  options: { graceMs?: number } = {},
): Promise<void> {
  await onServer(serverUrl, async (client) => {
    const deadline = Date.now() + (options.graceMs ?? 5_000);
    for (;;) {
      const { rows } = await client.query<{ sessions: number }>(
        'select count(*)::int as sessions from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
        [name],
      );
      if ((rows[0]?.sessions ?? 0) === 0 || Date.now() >= deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await client.query(`drop database if exists ${quoteIdent(name)} with (force)`);
  });
}

export interface IsolatedDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

/** A fresh, uniquely named database for one test file or one benchmark run. */
export async function createIsolatedDatabase(
  serverUrl: string,
  prefix: string,
): Promise<IsolatedDatabase> {
  const name = `${prefix
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .slice(0, 40)}_${randomBytes(4).toString('hex')}`;
  const url = await ensureDatabase(serverUrl, name);
  return { name, url, drop: () => dropDatabase(serverUrl, name) };
}

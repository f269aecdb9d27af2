import pg from 'pg';

import { redactUrl } from '@reelhouse/config';
import { classifyError, ReelhouseError } from '@reelhouse/core';

import { withDatabase } from './database-url.ts';
import { ensureDatabase } from './postgres-databases.ts';

// The databases every PostgreSQL server has, to connect to when creating another one.
const maintenanceDatabases = ['postgres', 'template1'] as const;

function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

async function connects(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } finally {
    await client.end().catch(() => undefined);
  }
}

function unavailable(
  url: string,
  problem: { reason: string; fix: string; cause: unknown },
): ReelhouseError {
  const { reason, fix, cause } = problem;
  return new ReelhouseError({
    code: 'service_unavailable',
    retryable: false,
    message: `${redactUrl(url)}: ${reason}\nFix: ${fix}`,
    context: { url: redactUrl(url) },
    cause,
  });
}

/**
 * Makes sure the database a configured URL names exists: when the server says it does not
 * (3D000), it is created through the same server's maintenance database, as Reelhouse does
 * without URLs. Fails with `service_unavailable` (exit 69), the reason and the fix, when the
 * server cannot be reached or the database cannot be created.
 */
export async function ensureNamedDatabase(url: string): Promise<void> {
  try {
    await connects(url);
    return;
  } catch (error) {
    if (sqlState(error) !== '3D000') {
      throw unavailable(url, {
        reason: `cannot connect: ${classifyError(error).message}`,
        fix: 'start the server or correct the URL (host, port, user, password)',
        cause: error,
      });
    }
  }
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  let lastError: unknown;
  for (const maintenance of maintenanceDatabases) {
    try {
      await ensureDatabase(withDatabase(url, maintenance), name);
      return;
    } catch (error) {
      lastError = error;
      // Without that maintenance database, try the next one; any other failure is the answer.
      if (sqlState(error) !== '3D000') break;
    }
  }
  const user = decodeURIComponent(new URL(url).username) || 'the user';
  throw unavailable(url, {
    reason: `database "${name}" does not exist and could not be created: ${classifyError(lastError).message}`,
    fix:
      sqlState(lastError) === '42501'
        ? `create it as a user allowed to (createdb "${name}"), or let ${user} create databases (ALTER ROLE ${user} CREATEDB)`
        : `create it (createdb "${name}") or name an existing database in the URL`,
    cause: lastError,
  });
}

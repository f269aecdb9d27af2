import { randomBytes } from 'node:crypto';

import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';

import { ReelhouseError } from '@reelhouse/core';

import { dropDatabase, ensureNamedDatabase, withDatabase } from '../src/index.ts';

const suffix = randomBytes(4).toString('hex');
const created = `rh_named_${suffix}`;
const role = `rh_nocreatedb_${suffix}`;

async function onServer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: inject('postgresServerUrl') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function failure(promise: Promise<unknown>): Promise<ReelhouseError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ReelhouseError);
  return error as ReelhouseError;
}

afterAll(async () => {
  await dropDatabase(inject('postgresServerUrl'), created);
  await onServer((client) => client.query(`drop role if exists ${role}`));
});

describe('a database named by a URL', () => {
  it('is created when missing, through the same server, as without URLs', async () => {
    const url = withDatabase(inject('postgresServerUrl'), created);
    await ensureNamedDatabase(url);
    await ensureNamedDatabase(url);
    const { rowCount } = await onServer((client) =>
      client.query('select 1 from pg_database where datname = $1', [created]),
    );
    expect(rowCount).toBe(1);
  });

  it('fails as unavailable, with the reason and the fix, when its user may not create it', async () => {
    await onServer((client) => client.query(`create role ${role} login nocreatedb`));
    const url = new URL(withDatabase(inject('postgresServerUrl'), `rh_never_${suffix}`));
    url.username = role;
    url.password = '';
    const error = await failure(ensureNamedDatabase(url.toString()));
    expect(error.code).toBe('service_unavailable');
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(
      new RegExp(
        `database "rh_never_${suffix}" does not exist and could not be created: permission denied`,
      ),
    );
    expect(error.message).toContain(
      `Fix: create it as a user allowed to (createdb "rh_never_${suffix}"), or let ${role} create databases (ALTER ROLE ${role} CREATEDB)`,
    );
  });

  it('fails as unavailable, with the fix, when the server does not answer', async () => {
    const error = await failure(ensureNamedDatabase('postgres://postgres@127.0.0.1:1/anything'));
    expect(error.code).toBe('service_unavailable');
    expect(error.message).toMatch(/cannot connect: .*\nFix: start the server or correct the URL/);
  });
});

import { MongoClient, type Db } from 'mongodb';
import { afterAll, beforeAll, inject } from 'vitest';

import { createIsolatedDatabase, type IsolatedDatabase } from '../postgres-databases.ts';

/** A lazily filled handle: its fields are set in `beforeAll`, read inside tests. */
export interface TestPostgres {
  /** URL of this test file's own database. */
  readonly url: string;
  readonly name: string;
  /** URL of the server's `postgres` database, for tests that create more databases. */
  readonly serverUrl: string;
}

/** Gives the calling test file its own PostgreSQL database, created before and dropped after its tests. */
export function usePostgresDatabase(prefix = 'test'): TestPostgres {
  let database: IsolatedDatabase | undefined;
  const serverUrl = () => inject('postgresServerUrl');
  beforeAll(async () => {
    database = await createIsolatedDatabase(serverUrl(), `rh_${prefix}`);
  });
  afterAll(async () => {
    await database?.drop();
  });
  const current = () => {
    if (database === undefined)
      throw new Error('usePostgresDatabase: read inside a test or hook, after beforeAll');
    return database;
  };
  return {
    get url() {
      return current().url;
    },
    get name() {
      return current().name;
    },
    get serverUrl() {
      return serverUrl();
    },
  };
}

export interface TestMongo {
  readonly url: string;
  readonly client: MongoClient;
  readonly databaseName: string;
  readonly db: Db;
}

/** Gives the calling test file a connected client and its own MongoDB database, dropped afterwards. */
export function useMongoDatabase(prefix = 'test'): TestMongo {
  let client: MongoClient | undefined;
  const databaseName = `rh_${prefix}_${Math.random().toString(16).slice(2, 10)}`;
  beforeAll(async () => {
    client = new MongoClient(inject('mongoServerUrl'));
    await client.connect();
  });
  afterAll(async () => {
    await client
      ?.db(databaseName)
      .dropDatabase()
      .catch(() => undefined);
    await client?.close();
  });
  const connected = () => {
    if (client === undefined)
      throw new Error('useMongoDatabase: read inside a test or hook, after beforeAll');
    return client;
  };
  return {
    get url() {
      return inject('mongoServerUrl');
    },
    get client() {
      return connected();
    },
    databaseName,
    get db() {
      return connected().db(databaseName);
    },
  };
}

import { MongoClient } from 'mongodb';
import pg from 'pg';

/** Connects, runs `select 1` and disconnects; throws when the server does not answer. */
export async function probePostgres(url: string, timeoutMs = 2_000): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query('select 1');
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Connects and pings; throws when no MongoDB-wire server answers. */
export async function probeMongo(url: string, timeoutMs = 2_000): Promise<void> {
  const client = new MongoClient(url, {
    serverSelectionTimeoutMS: timeoutMs,
    connectTimeoutMS: timeoutMs,
  });
  try {
    await client.connect();
    await client.db('admin').command({ ping: 1 });
  } finally {
    await client.close().catch(() => undefined);
  }
}

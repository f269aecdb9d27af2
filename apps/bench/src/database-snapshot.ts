import type { Db, Document, IndexDescriptionInfo } from 'mongodb';

import { withPool } from './with-pool.ts';

/** The template a PostgreSQL snapshot is kept in, beside the database it copies. */
export function snapshotName(database: string): string {
  return `${database}_base`;
}

function databaseOf(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  // Bench names only (prefix checked by the options), so quoting is enough.
  if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new RangeError(`unexpected database name ${name}`);
  return name;
}

/**
 * Keeps the database at `url` as a template (`<name>_base`), copied file by file: later restores
 * cost a file copy, not a reload. Nothing may be connected to the database meanwhile.
 */
export async function snapshotPostgres(options: { serverUrl: string; url: string }): Promise<void> {
  const name = databaseOf(options.url);
  await withPool(options.serverUrl, async (pool) => {
    await pool.query(`drop database if exists "${snapshotName(name)}" with (force)`);
    await pool.query(
      `create database "${snapshotName(name)}" template "${name}" strategy file_copy`,
    );
  });
}

/** Puts the database at `url` back to its snapshot: dropped (connections ended) and copied from the template. */
export async function restorePostgres(options: { serverUrl: string; url: string }): Promise<void> {
  const name = databaseOf(options.url);
  await withPool(options.serverUrl, async (pool) => {
    await pool.query(`drop database if exists "${name}" with (force)`);
    await pool.query(
      `create database "${name}" template "${snapshotName(name)}" strategy file_copy`,
    );
  });
}

/** Drops the template of the database at `url`. */
export async function dropPostgresSnapshot(options: {
  serverUrl: string;
  url: string;
}): Promise<void> {
  const name = snapshotName(databaseOf(options.url));
  await withPool(options.serverUrl, (pool) =>
    pool.query(`drop database if exists "${name}" with (force)`).then(() => undefined),
  );
}

/** Every collection of a MongoDB database: options, secondary indexes and documents, BSON types kept. */
export interface MongoSnapshot {
  readonly collections: readonly {
    readonly name: string;
    readonly options: Document;
    readonly indexes: readonly IndexDescriptionInfo[];
    readonly documents: readonly Document[];
  }[];
}

/** Reads a whole (small: the catalogue and its bookkeeping) MongoDB database into memory. */
export async function snapshotMongo(db: Db): Promise<MongoSnapshot> {
  const listed = await db.listCollections({}, { nameOnly: false }).toArray();
  const collections = [];
  for (const info of listed) {
    const collection = db.collection(info.name);
    collections.push({
      name: info.name,
      options: 'options' in info ? (info.options ?? {}) : {},
      indexes: (await collection.listIndexes().toArray()).filter(
        (index: IndexDescriptionInfo) => index.name !== '_id_',
      ),
      // Unpromoted values (Long stays Long, Int32 stays Int32) so a restore writes the same types.
      documents: await collection
        .find({}, { promoteValues: false, promoteLongs: false, promoteBuffers: false })
        .toArray(),
    });
  }
  return { collections };
}

/** Replaces the MongoDB database by its snapshot: dropped, then every collection recreated and refilled. */
export async function restoreMongo(db: Db, snapshot: MongoSnapshot): Promise<void> {
  await db.dropDatabase();
  for (const collection of snapshot.collections) {
    await db.createCollection(collection.name, collection.options);
    for (const { key, name, unique } of collection.indexes)
      await db.collection(collection.name).createIndex(key, {
        ...(name === undefined ? {} : { name }),
        ...(unique ? { unique } : {}),
      });
    for (let at = 0; at < collection.documents.length; at += 1_000)
      await db
        .collection(collection.name)
        .insertMany(collection.documents.slice(at, at + 1_000).map((d) => ({ ...d })));
  }
}

import type { Db } from 'mongodb';

import { classifyError, silentLogger, type Logger, type StepReport } from '@reelhouse/core';

import { contentDeletesCollection } from './content-change-markers.ts';
import { contentJsonSchema } from './content-json-schema.ts';

export interface CreateMongoCollectionsOptions {
  readonly logger?: Logger;
}

/** The collections of the `streaming` database. */
export const contentCollection = 'content';
export const contentRejectsCollection = 'content_rejects';

interface ServerError {
  readonly code?: unknown;
  readonly codeName?: unknown;
  readonly message?: unknown;
}

// NotImplemented (238), CommandNotFound (59), or a server that says so in words (FerretDB does).
function validatorsUnsupported(error: unknown): boolean {
  const fields = (typeof error === 'object' && error !== null ? error : {}) as ServerError;
  if (fields.code === 238 || fields.code === 59 || fields.codeName === 'NotImplemented')
    return true;
  return (
    typeof fields.message === 'string' &&
    /not (yet )?(implemented|supported)|unsupported/i.test(fields.message)
  );
}

async function applyValidator(
  db: Db,
  options: { exists: boolean; logger: Logger },
): Promise<string | null> {
  const { exists } = options;
  const validation = {
    validator: { $jsonSchema: contentJsonSchema() },
    validationLevel: 'strict',
    validationAction: 'error',
  } as const;
  try {
    if (exists) await db.command({ collMod: contentCollection, ...validation });
    else await db.createCollection(contentCollection, validation);
    return null;
  } catch (error) {
    if (!validatorsUnsupported(error)) throw error;
    if (!exists) await db.createCollection(contentCollection);
    const fields = error as ServerError;
    options.logger.debug(
      { code: fields.code, message: fields.message },
      'validator refused by the server',
    );
    return `the MongoDB server does not support collection validators (error ${String(fields.codeName ?? fields.code)}); ${db.databaseName}.${contentCollection} has no $jsonSchema validator, the loader's zod check is the only gate`;
  }
}

/**
 * Creates `content` (with a `$jsonSchema` validator derived from the zod contract where the
 * server supports validators, a warning where not) and `content_rejects`, with their indexes.
 */
export async function createMongoCollections(
  db: Db,
  options: CreateMongoCollectionsOptions = {},
): Promise<StepReport> {
  const logger = options.logger ?? silentLogger;
  const started = performance.now();
  const warnings: string[] = [];
  try {
    const existing = new Set(
      (await db.listCollections({}, { nameOnly: true }).toArray()).map(
        (collection) => collection.name,
      ),
    );
    const warning = await applyValidator(db, { exists: existing.has(contentCollection), logger });
    if (warning !== null) {
      warnings.push(warning);
      logger.warn({ collection: contentCollection }, warning);
    }
    if (!existing.has(contentRejectsCollection))
      await db.createCollection(contentRejectsCollection);
    // `_id` is the content id, unique by nature; the cursor index serves incremental extracts.
    await db.collection(contentCollection).createIndex({ updated_at: 1 }, { name: 'updated_at_1' });
    // The extractor's cursor: the loader-maintained change sequence, and the tombstones' own.
    await db
      .collection(contentCollection)
      .createIndex({ _change_seq: 1 }, { name: '_change_seq_1' });
    // Its reconciliation: every document's id and sequence read from this index alone (covered).
    await db
      .collection(contentCollection)
      .createIndex({ _change_seq: 1, _id: 1 }, { name: '_change_seq_1__id_1' });
    // A lookback rereads by change time: with both indexes, its $or stays an index read.
    await db
      .collection(contentCollection)
      .createIndex({ _changed_at: 1 }, { name: '_changed_at_1' });
    await db
      .collection(contentDeletesCollection)
      .createIndex({ _change_seq: 1 }, { name: '_change_seq_1' });
    await db
      .collection(contentRejectsCollection)
      .createIndex({ file: 1, index: 1 }, { name: 'file_1_index_1', unique: true });
  } catch (error) {
    throw classifyError(error, { task: 'create_mongo_collections', database: db.databaseName });
  }
  logger.info(
    { database: db.databaseName, validator: warnings.length === 0 },
    'mongo collections ready',
  );
  return {
    step: 'create_mongo_collections',
    rowsRead: 0,
    rowsWritten: 0,
    rowsRejected: 0,
    durationMs: performance.now() - started,
    warnings,
    details: { validator: warnings.length === 0 },
  };
}

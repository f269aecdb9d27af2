import { classifyError, ReelhouseError } from '@reelhouse/core';
import type { Db } from 'mongodb';

/** A MongoDB driver error as the content stream's error, naming the stream and the collection. */
export function mongoFailure(error: unknown): ReelhouseError {
  if (error instanceof ReelhouseError) return error;
  const failure = classifyError(error);
  return new ReelhouseError({
    code: failure.code,
    message: `stream content: reading MongoDB collection content failed: ${failure.message}`,
    retryable: failure.retryable,
    context: { ...failure.context, stream: 'content', collection: 'content' },
    cause: error,
  });
}

/** Fails when the collection is missing: that means a wrong database, and a full refresh must not empty raw for it. */
export async function requireContentCollection(mongo: Db): Promise<void> {
  const exists = await mongo
    .listCollections({ name: 'content' }, { nameOnly: true })
    .hasNext()
    .catch((error: unknown) => {
      throw mongoFailure(error);
    });
  if (!exists) {
    throw new ReelhouseError({
      code: 'not_found',
      message: `stream content: MongoDB database ${mongo.databaseName} has no collection content`,
      context: { stream: 'content', database: mongo.databaseName, collection: 'content' },
    });
  }
}

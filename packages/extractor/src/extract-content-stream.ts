import { ReelhouseError, type Logger } from '@reelhouse/core';
import type { Db, Document } from 'mongodb';
import type pg from 'pg';

import { mongoFailure, requireContentCollection } from './content-collection.ts';
import { allContentTables, ContentStaging } from './content-staging.ts';
import type { StreamLoadReport } from './extract-report.ts';
import { mergeStagedContent } from './merge-content.ts';
import { runStreamLoad, type StreamLoadContext, type StreamLoadResult } from './stream-load.ts';
import {
  validateContentDocument,
  type ValidatedContentDocument,
} from './validate-content-document.ts';

export interface ExtractContentStreamOptions {
  readonly mongo: Db;
  readonly warehouse: pg.Pool;
  readonly fullRefresh: boolean;
  /** Documents per MongoDB batch and per staging COPY; memory grows with it, not with the collection. */
  readonly batchSize: number;
  readonly signal: AbortSignal | undefined;
  readonly logger: Logger;
}

/** Validates one document; a broken one fails the load and carries its record for `raw._rejected_rows`. */
function validated(raw: Document, position: number): ValidatedContentDocument {
  try {
    return validateContentDocument(raw);
  } catch (error) {
    if (!(error instanceof ReelhouseError)) throw error;
    const rejected = {
      stream: 'content',
      source_file: null,
      position,
      record_key:
        typeof error.context['documentId'] === 'string' ? error.context['documentId'] : null,
      raw_text: JSON.stringify(raw),
      error_code: error.code,
      message: error.message,
    };
    throw new ReelhouseError({
      code: error.code,
      message: error.message,
      context: { ...error.context, rejectedRows: [rejected] },
      cause: error,
    });
  }
}

function driftWarnings(unknownFields: ReadonlyMap<string, number>): string[] {
  return [...unknownFields].map(
    ([field, documents]) =>
      `stream content: new field ${field} (in ${documents} document${documents === 1 ? '' : 's'}) is not in the contract; kept in raw.content._doc`,
  );
}

/** Reads the changed documents batch by batch into staging; an abort closes the MongoDB cursor. */
async function stageDocuments(
  context: StreamLoadContext,
  options: ExtractContentStreamOptions,
): Promise<ContentStaging> {
  const staging = new ContentStaging({
    client: context.client,
    intoRaw: context.disposition === 'replace',
    batchSize: options.batchSize,
    load: context,
  });
  const filter =
    context.cursorFrom === null ? {} : { updated_at: { $gte: new Date(context.cursorFrom) } };
  const cursor = options.mongo.collection('content').find(filter, { batchSize: options.batchSize });
  const closeOnAbort = () => void cursor.close().catch(() => undefined);
  options.signal?.addEventListener('abort', closeOnAbort, { once: true });
  try {
    for (let position = 1; ; position += 1) {
      const raw = await cursor.next().catch((error: unknown) => {
        throw options.signal?.aborted === true ? error : mongoFailure(error);
      });
      options.signal?.throwIfAborted();
      if (raw === null) break;
      if (!staging.add(raw, validated(raw, position))) {
        // A document moved during the scan can show up twice: the first copy is kept, the next run rereads the newer one.
        context.warnings.push(
          `stream content: document _id ${String(raw._id)} returned twice by one cursor pass; the first copy was loaded`,
        );
      }
      if (await staging.flushIfFull())
        context.logger.debug(
          { stream: 'content', documents: staging.documents },
          'content batch staged',
        );
    }
    await staging.flush();
  } finally {
    options.signal?.removeEventListener('abort', closeOnAbort);
    await cursor.close().catch(() => undefined);
  }
  return staging;
}

async function loadContent(
  context: StreamLoadContext,
  options: ExtractContentStreamOptions,
): Promise<StreamLoadResult> {
  const { client } = context;
  if (context.disposition === 'replace') {
    await client.query(`truncate ${allContentTables.map((table) => table.rawTable).join(', ')}`);
  } else {
    for (const table of allContentTables)
      await client.query(
        `create temp table ${table.stage} (like ${table.rawTable}) on commit drop`,
      );
  }
  await requireContentCollection(options.mongo);
  const staging = await stageDocuments(context, options);
  const warnings = driftWarnings(staging.unknownFields);
  context.warnings.push(...warnings);
  for (const warning of warnings) context.logger.warn({ stream: 'content' }, warning);
  const facts = {
    rowsExtracted: staging.documents,
    cursorTo: staging.cursorTo,
    details: {
      childRows: staging.childRows,
      unknownFields: Object.fromEntries(staging.unknownFields),
    },
  };
  if (context.disposition === 'replace')
    return { ...facts, rowsInserted: staging.documents, rowsUpdated: 0 };
  const merged = await mergeStagedContent(client);
  return { ...facts, rowsInserted: merged.inserted, rowsUpdated: merged.updated };
}

/**
 * Lands the MongoDB collection `content` in `raw.content` and its child tables: documents with
 * `updated_at >=` the saved cursor (all on a full refresh) are validated, flattened, staged in
 * batches and merged per document, all in the stream's one warehouse transaction. A document that
 * breaks the expected shape fails the load (nothing lands) and is recorded in `raw._rejected_rows`.
 */
export async function extractContentStream(
  options: ExtractContentStreamOptions,
): Promise<StreamLoadReport> {
  return runStreamLoad({
    warehouse: options.warehouse,
    stream: 'content',
    source: `mongodb:${options.mongo.databaseName}.content`,
    cursorColumn: 'updated_at',
    fullRefresh: options.fullRefresh,
    signal: options.signal,
    logger: options.logger,
    load: (context) => loadContent(context, options),
  });
}

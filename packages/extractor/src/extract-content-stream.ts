import { ReelhouseError, classifyError, type Logger } from '@reelhouse/core';
import type { Db, Document, FindCursor } from 'mongodb';
import type pg from 'pg';

import { contentRows, type ContentRows } from './content-rows.ts';
import { contentChildTables, contentTable, type AnyContentTable } from './content-tables.ts';
import { copyRowsInto } from './copy-text-rows.ts';
import type { StreamLoadReport } from './extract-report.ts';
import { mergeStagedContent } from './merge-content.ts';
import { runStreamLoad, type StreamLoadContext, type StreamLoadResult } from './stream-load.ts';
import { validateContentDocument } from './validate-content-document.ts';

export interface ExtractContentStreamOptions {
  readonly mongo: Db;
  readonly warehouse: pg.Pool;
  readonly fullRefresh: boolean;
  /** Documents per MongoDB batch and per staging COPY; memory grows with it, not with the collection. */
  readonly batchSize: number;
  readonly signal: AbortSignal | undefined;
  readonly logger: Logger;
}

const allTables: readonly AnyContentTable[] = [contentTable, ...contentChildTables];

/** Rows waiting for the next staging COPY, per table part. */
type Pending = { [Part in keyof ContentRows]: ContentRows[Part] extends readonly unknown[] ? ContentRows[Part] : ContentRows[Part][] };

function emptyPending(): Pending {
  return { content: [], genres: [], cast: [], crew: [], seasons: [], episodes: [] };
}

async function flush(client: pg.ClientBase, facts: { pending: Pending; replace: boolean }): Promise<void> {
  for (const table of allTables) {
    const rows: readonly object[] = facts.pending[table.part];
    await copyRowsInto(client, {
      table: facts.replace ? table.rawTable : table.stage,
      columns: table.columns,
      rows: rows as readonly Record<string, unknown>[],
    });
  }
}

function mongoFailure(error: unknown): ReelhouseError {
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

function rejectedDocument(error: unknown, facts: { raw: Document; position: number }): unknown {
  if (!(error instanceof ReelhouseError)) return error;
  const rejected = {
    stream: 'content',
    source_file: null,
    position: facts.position,
    record_key: typeof error.context['documentId'] === 'string' ? error.context['documentId'] : null,
    raw_text: JSON.stringify(facts.raw),
    error_code: error.code,
    message: error.message,
  };
  return new ReelhouseError({ code: error.code, message: error.message, context: { ...error.context, rejectedRows: [rejected] }, cause: error });
}

/** A missing collection means a wrong database, not an empty catalogue: a full refresh must not empty raw for it. */
async function requireCollection(mongo: Db): Promise<void> {
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

function driftWarnings(unknownFields: ReadonlyMap<string, number>): string[] {
  return [...unknownFields].map(
    ([field, documents]) => `stream content: new field ${field} (in ${documents} document${documents === 1 ? '' : 's'}) is not in the contract; kept in raw.content._doc`,
  );
}

async function readDocuments(context: StreamLoadContext, options: ExtractContentStreamOptions): Promise<StreamLoadResult> {
  const { client } = context;
  const replace = context.disposition === 'replace';
  if (replace) {
    await client.query(`truncate ${allTables.map((table) => table.rawTable).join(', ')}`);
  } else {
    for (const table of allTables) await client.query(`create temp table ${table.stage} (like ${table.rawTable}) on commit drop`);
  }
  await requireCollection(options.mongo);
  const filter = context.cursorFrom === null ? {} : { updated_at: { $gte: new Date(context.cursorFrom) } };
  const cursor: FindCursor<Document> = options.mongo.collection('content').find(filter, { batchSize: options.batchSize });
  const closeOnAbort = () => void cursor.close().catch(() => undefined);
  options.signal?.addEventListener('abort', closeOnAbort, { once: true });
  const seen = new Set<string>();
  const unknownFields = new Map<string, number>();
  const counts = { documents: 0, childRows: 0 };
  let maxUpdatedAt = Number.NEGATIVE_INFINITY;
  let pending = emptyPending();
  try {
    let position = 0;
    for (;;) {
      const raw = await cursor.next().catch((error: unknown) => {
        throw options.signal?.aborted === true ? error : mongoFailure(error);
      });
      options.signal?.throwIfAborted();
      if (raw === null) break;
      position += 1;
      const validated = (() => {
        try {
          return validateContentDocument(raw);
        } catch (error) {
          throw rejectedDocument(error, { raw, position });
        }
      })();
      const { document } = validated;
      if (seen.has(document._id)) {
        // A document moved during the scan can show up twice: the first copy is kept, the next run rereads the newer one.
        context.warnings.push(`stream content: document _id ${document._id} returned twice by one cursor pass; the first copy was loaded`);
        continue;
      }
      seen.add(document._id);
      for (const field of validated.unknownFields) unknownFields.set(field, (unknownFields.get(field) ?? 0) + 1);
      const rows = contentRows(raw, { document, load: { loadId: context.loadId, extractedAt: context.extractedAt } });
      pending.content.push(rows.content);
      for (const table of contentChildTables) {
        const childRows: readonly object[] = rows[table.part];
        (pending[table.part] as object[]).push(...childRows);
        counts.childRows += childRows.length;
      }
      counts.documents += 1;
      maxUpdatedAt = Math.max(maxUpdatedAt, document.updated_at.getTime());
      if (pending.content.length >= options.batchSize) {
        await flush(client, { pending, replace });
        pending = emptyPending();
        context.logger.debug({ stream: 'content', documents: counts.documents }, 'content batch staged');
      }
    }
    await flush(client, { pending, replace });
  } finally {
    options.signal?.removeEventListener('abort', closeOnAbort);
    await cursor.close().catch(() => undefined);
  }
  const warnings = driftWarnings(unknownFields);
  context.warnings.push(...warnings);
  for (const warning of warnings) context.logger.warn({ stream: 'content' }, warning);
  const cursorTo = counts.documents === 0 ? null : new Date(maxUpdatedAt).toISOString();
  const details = { childRows: counts.childRows, unknownFields: Object.fromEntries(unknownFields) };
  if (replace) return { rowsExtracted: counts.documents, rowsInserted: counts.documents, rowsUpdated: 0, cursorTo, details };
  const merged = await mergeStagedContent(client);
  return { rowsExtracted: counts.documents, rowsInserted: merged.inserted, rowsUpdated: merged.updated, cursorTo, details };
}

/**
 * Lands the MongoDB collection `content` in `raw.content` and its child tables: documents with
 * `updated_at >=` the saved cursor (all on a full refresh) are validated, flattened, staged in
 * batches and merged per document, all in the stream's one warehouse transaction. A document that
 * breaks the expected shape fails the load (nothing lands) and is recorded in `raw._rejected_rows`.
 */
export async function extractContentStream(options: ExtractContentStreamOptions): Promise<StreamLoadReport> {
  return runStreamLoad({
    warehouse: options.warehouse,
    stream: 'content',
    source: `mongodb:${options.mongo.databaseName}.content`,
    cursorColumn: 'updated_at',
    fullRefresh: options.fullRefresh,
    signal: options.signal,
    logger: options.logger,
    load: (context) => readDocuments(context, options),
  });
}

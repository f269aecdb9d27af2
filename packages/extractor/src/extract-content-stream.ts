import { ReelhouseError, type Logger } from '@reelhouse/core';
import type { Db, Document, Filter } from 'mongodb';
import type pg from 'pg';

import { mongoCursor, parseCursor } from './change-cursor.ts';
import {
  appendContentHistory,
  changedSinceFilter,
  changedSincePredicate,
  deleteTombstonedContent,
  rawContentFingerprint,
  stageContentTombstones,
} from './content-changes.ts';
import { mongoFailure, requireContentCollection } from './content-collection.ts';
import {
  chooseContentReadPlan,
  hasMarkerIndex,
  markerIndexName,
  type ContentReadPlan,
} from './content-read-plan.ts';
import { allContentTables, ContentStaging } from './content-staging.ts';
import { contentTable } from './content-tables.ts';
import type { StreamLoadReport } from './extract-report.ts';
import { mergeStagedContent } from './merge-content.ts';
import { FingerprintAccumulator, requireReconciled, type StreamFingerprint } from './reconcile.ts';
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
  /** Also reread documents changed this long before the last load (default 0). */
  readonly lookbackSeconds?: number;
  /** How an incremental extract reads the collection (default: by server, `chooseContentReadPlan`). */
  readonly readPlan?: ContentReadPlan;
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

/** What one read of the collection stages, and how it tells the changed documents. */
interface DocumentRead {
  readonly filter: Filter<Document>;
  readonly changed: (markers: { seq: number; changedAt: Date }) => boolean;
  /** Gets every document's id and change sequence when the read covers the whole collection. */
  readonly fingerprint?: FingerprintAccumulator;
}

/**
 * Reads the documents `read.filter` selects, once: those `read.changed` accepts go into staging,
 * batch by batch, and every one into `read.fingerprint` when given (a read of the whole
 * collection). An abort closes the cursor.
 */
async function stageDocuments(
  context: StreamLoadContext,
  options: ExtractContentStreamOptions,
  read: DocumentRead,
): Promise<ContentStaging> {
  const staging = new ContentStaging({
    client: context.client,
    intoRaw: context.disposition === 'replace',
    batchSize: options.batchSize,
    load: context,
  });
  const seen = new Set<string>();
  const cursor = options.mongo
    .collection('content')
    .find(read.filter, { batchSize: options.batchSize });
  const closeOnAbort = () => void cursor.close().catch(() => undefined);
  options.signal?.addEventListener('abort', closeOnAbort, { once: true });
  try {
    for (let position = 1; ; position += 1) {
      const raw = await cursor.next().catch((error: unknown) => {
        throw options.signal?.aborted === true ? error : mongoFailure(error);
      });
      options.signal?.throwIfAborted();
      if (raw === null) break;
      // The markers are the source's bookkeeping, not the document: they land in their own columns.
      const { _change_seq: seq, _changed_at: changedAt, ...document } = raw;
      const markers = {
        seq: Number(seq ?? 0),
        changedAt: changedAt instanceof Date ? changedAt : new Date(0),
      };
      const id = String(raw._id);
      const firstCopy = !seen.has(id);
      seen.add(id);
      if (firstCopy) read.fingerprint?.add(id, BigInt(markers.seq));
      if (!read.changed(markers)) continue;
      if (!firstCopy || !staging.add(document, validated(document, position), markers)) {
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

/**
 * Every document's id and change sequence, from the `{_change_seq, _id}` index alone where the
 * collection has it (a covered query); returns the fingerprint and the highest sequence read.
 */
async function readMarkers(
  context: StreamLoadContext,
  options: ExtractContentStreamOptions,
): Promise<{ fingerprint: StreamFingerprint; maxSeq: number }> {
  const covered = await hasMarkerIndex(options.mongo);
  if (!covered)
    context.warnings.push(
      `stream content: the collection has no index ${markerIndexName}, so the reconciliation read every document; the source's collection set-up (create_mongo_collections) creates it`,
    );
  const accumulator = new FingerprintAccumulator();
  const seen = new Set<string>();
  let maxSeq = 0;
  const cursor = options.mongo.collection('content').find(
    {},
    {
      projection: { _id: 1, _change_seq: 1 },
      batchSize: 10_000,
      ...(covered ? { hint: markerIndexName } : {}),
    },
  );
  try {
    for await (const marker of cursor) {
      options.signal?.throwIfAborted();
      const id = String(marker._id);
      if (seen.has(id)) continue;
      seen.add(id);
      const seq = Number(marker['_change_seq'] ?? 0);
      maxSeq = Math.max(maxSeq, seq);
      accumulator.add(id, BigInt(seq));
    }
  } catch (error) {
    throw options.signal?.aborted === true ? error : mongoFailure(error);
  } finally {
    await cursor.close().catch(() => undefined);
  }
  return { fingerprint: accumulator.value, maxSeq };
}

/**
 * Stages what the load takes from the collection and returns it with the source fingerprint: on
 * a full refresh or a `single_pass` plan, one read of every document; on an `indexed` plan, the
 * markers first, then the changed documents up to the highest sequence those markers hold, so
 * the two agree even if the collection changes between them (a later change waits for the next run).
 */
async function readContent(
  context: StreamLoadContext,
  options: ExtractContentStreamOptions,
  since: Pick<DocumentRead, 'filter' | 'changed'>,
): Promise<{ staging: ContentStaging; fingerprint: StreamFingerprint; seqCap?: number }> {
  const { changed } = since;
  const plan =
    context.disposition === 'replace'
      ? 'single_pass'
      : (options.readPlan ?? (await chooseContentReadPlan(options.mongo, context.logger)));
  if (plan === 'single_pass') {
    const fingerprint = new FingerprintAccumulator();
    const staging = await stageDocuments(context, options, { filter: {}, changed, fingerprint });
    return { staging, fingerprint: fingerprint.value };
  }
  const markers = await readMarkers(context, options);
  const filter = { $and: [since.filter, { _change_seq: { $lte: markers.maxSeq } }] };
  const staging = await stageDocuments(context, options, {
    filter,
    changed: (read) => read.seq <= markers.maxSeq && changed(read),
  });
  return { staging, fingerprint: markers.fingerprint, seqCap: markers.maxSeq };
}

async function loadContent(
  context: StreamLoadContext,
  options: ExtractContentStreamOptions,
): Promise<StreamLoadResult> {
  const { client } = context;
  const replace = context.disposition === 'replace';
  if (replace) {
    await client.query(`truncate ${allContentTables.map((table) => table.rawTable).join(', ')}`);
  } else {
    for (const table of allContentTables)
      await client.query(
        `create temp table ${table.stage} (like ${table.rawTable}) on commit drop`,
      );
  }
  await requireContentCollection(options.mongo);
  const from = replace ? null : parseCursor(mongoCursor, context.cursorFrom);
  const lookbackSeconds = options.lookbackSeconds ?? 0;
  const filter = changedSinceFilter(from, lookbackSeconds);
  const readAt = new Date().toISOString();
  const { staging, fingerprint, seqCap } = await readContent(context, options, {
    filter,
    changed: changedSincePredicate(from, lookbackSeconds),
  });
  const tombstones = await stageContentTombstones(client, {
    mongo: options.mongo,
    filter,
    loadId: context.loadId,
    extractedAt: context.extractedAt,
  });
  const warnings = driftWarnings(staging.unknownFields);
  context.warnings.push(...warnings);
  for (const warning of warnings) context.logger.warn({ stream: 'content' }, warning);
  // A newer tombstone must not carry the cursor past a change the capped read left for the next
  // run (see readContent); a tombstone read again later is a no-op.
  const seq = Math.max(
    from?.seq ?? 0,
    staging.maxSeq ?? 0,
    Math.min(tombstones.maxSeq ?? 0, seqCap ?? Number.POSITIVE_INFINITY),
  );
  const cursorTo = JSON.stringify({ seq, at: readAt });
  let counts = { inserted: staging.documents, updated: 0, deleted: 0 };
  if (!replace) {
    const deleted = await deleteTombstonedContent(client);
    const merged = await mergeStagedContent(client);
    counts = { ...merged, deleted };
  }
  const history = await appendContentHistory(
    client,
    replace ? contentTable.rawTable : contentTable.stage,
  );
  // No snapshot spans MongoDB reads: the source side is the scan's (the load task is its only writer, and runs before).
  requireReconciled({
    stream: 'content',
    source: `MongoDB ${options.mongo.databaseName}.content`,
    raw: contentTable.rawTable,
    key: 'content_id',
    sourceFingerprint: fingerprint,
    rawFingerprint: await rawContentFingerprint(client),
  });
  return {
    rowsExtracted: staging.documents,
    rowsInserted: counts.inserted,
    rowsUpdated: counts.updated,
    rowsDeleted: Math.max(counts.deleted, history.tombstones),
    cursorTo,
    details: {
      childRows: staging.childRows,
      unknownFields: Object.fromEntries(staging.unknownFields),
      historyVersions: history.versions,
      tombstones: history.tombstones,
    },
  };
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
    cursorColumn: '_change_seq',
    fullRefresh: options.fullRefresh,
    signal: options.signal,
    logger: options.logger,
    load: (context) => loadContent(context, options),
  });
}

import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Db } from 'mongodb';

import { dataFiles } from '@reelhouse/contracts';
import {
  classifyError,
  ReelhouseError,
  silentLogger,
  type Logger,
  type StepReport,
} from '@reelhouse/core';

import { checkContentDocument, type ContentReject } from './check-content-document.ts';
import { readContentDocuments, type DocumentPosition } from './read-content-documents.ts';
import { markedContentWrites, type StoredContent } from './content-change-markers.ts';
import { detachText } from './detach-text.ts';
import { contentCollection, contentRejectsCollection } from './create-mongo-collections.ts';

export interface LoadJsonToMongoOptions {
  /** The data-set folder holding `content.json`. */
  readonly dataDir: string;
  /** Share of documents that may be rejected before the load fails (default 0.05). */
  readonly maxRejectRate?: number;
  /** Documents per unordered bulk write (default 1000). */
  readonly batchSize?: number;
  /** The file inside `dataDir` (default `content.json`; a day batch's `days/<day>/content.json`). */
  readonly file?: string;
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
}

/** A document of `content_rejects`, keyed by file and index. */
interface StoredContentReject {
  _id: string;
  file: string;
  index: number;
  line: number;
  raw_text: string;
  gate: string;
  error_code: string;
  field: string | null;
  reason: string;
  load_id: string;
  rejected_at: Date;
}

/** One pass over the file: every document checked, duplicates of an earlier `_id` rejected. */
async function pass(options: {
  file: string;
  path: string;
  signal: AbortSignal | undefined;
  onGood: (id: string, document: Record<string, unknown>) => void;
  flush: () => Promise<void>;
}) {
  const { file } = options;
  const rejects: ContentReject[] = [];
  const seen = new Map<string, number>();
  const onDocument = (text: string, position: DocumentPosition) => {
    const checked = checkContentDocument(text, position);
    if (!checked.ok) {
      if (!position.terminated && checked.reject.gate === 'parse') {
        throw new ReelhouseError({
          code: 'file_malformed',
          message: `${file} line ${position.line}: the file is truncated inside document ${position.index}`,
          context: { file, line: position.line, index: position.index },
        });
      }
      rejects.push(checked.reject);
      return;
    }
    const first = seen.get(checked.id);
    if (first !== undefined) {
      rejects.push({
        index: position.index,
        line: position.line,
        rawText: detachText(text.slice(0, 2_000)),
        gate: 'contract',
        code: 'duplicate_key',
        field: '_id',
        reason: `_id ${checked.id} already loaded from document ${first}`,
      });
      return;
    }
    seen.set(checked.id, position.index);
    options.onGood(checked.id, checked.document);
  };
  const read = await readContentDocuments({
    path: options.path,
    file,
    onDocument,
    afterChunk: options.flush,
    signal: options.signal,
  });
  return { ...read, rejects };
}

/**
 * Streams `content.json` (array lines or NDJSON) into `content`: every document checked against
 * the contract, dates stored as BSON dates, upserted by `_id` in unordered bulk writes; bad
 * documents go to `content_rejects` by index. Over the reject threshold nothing is written.
 */
export async function loadJsonToMongo(
  db: Db,
  options: LoadJsonToMongoOptions,
): Promise<StepReport> {
  const file = options.file ?? dataFiles.content;
  const logger = (options.logger ?? silentLogger).child({ task: 'load_json_to_mongo', file });
  const started = performance.now();
  const loadId = randomUUID();
  const path = join(options.dataDir, file);

  const maxRejectRate = options.maxRejectRate ?? 0.05;
  const batchSize = options.batchSize ?? 1_000;
  const { signal } = options;
  try {
    // First pass validates only, so a file over the threshold leaves the collection untouched.
    const check = await pass({
      file,
      path,
      signal,
      onGood: () => undefined,
      flush: () => Promise.resolve(),
    });
    if (check.rejects.length > maxRejectRate * check.documents) {
      const first = check.rejects.slice(0, 5);
      throw new ReelhouseError({
        code: 'reject_threshold_exceeded',
        message: `${file}: ${check.rejects.length} of ${check.documents} documents rejected (> ${(maxRejectRate * 100).toFixed(2)}%); nothing loaded from it. First bad documents: ${first.map((r) => `#${r.index} line ${r.line} (${r.reason})`).join('; ')}`,
        context: {
          file,
          rejected: check.rejects.length,
          documents: check.documents,
          firstBadDocuments: first.map((r) => ({ index: r.index, reason: r.reason })),
        },
      });
    }
    const content = db.collection<StoredContent>(contentCollection);
    // Into an empty collection plain inserts suffice (ids are unique per file, checked above); on
    // FerretDB's SQLite backend an upsert by _id costs a scan, so upserting 5,000 documents took
    // ~20 min where inserts take seconds (measured by the bench).
    const intoEmpty = (await content.findOne({}, { projection: { _id: 1 } })) === null;
    const batch: { id: string; document: Record<string, unknown> }[] = [];
    let upserted = 0;
    let modified = 0;
    const flush = async (): Promise<void> => {
      signal?.throwIfAborted();
      while (batch.length > 0) {
        // Every written document gets fresh change markers; unchanged ones are not written.
        const operations = await markedContentWrites(db, content, {
          documents: batch.splice(0, batchSize),
          intoEmpty,
        });
        if (operations.length === 0) continue;
        const result = await content.bulkWrite(operations, { ordered: false });
        upserted += result.upsertedCount + result.insertedCount;
        modified += result.modifiedCount;
      }
    };
    const load = await pass({
      file,
      path,
      signal,
      onGood: (id, document) => batch.push({ id, document }),
      flush,
    });
    await flush();
    const rejects = db.collection<StoredContentReject>(contentRejectsCollection);
    // Rejects mirror the last load of the file, so a rerun converges there too.
    await rejects.deleteMany({ file });
    if (load.rejects.length > 0) {
      await rejects.insertMany(
        load.rejects.map((r) => ({
          _id: `${file}:${r.index}`,
          file,
          index: r.index,
          line: r.line,
          raw_text: r.rawText,
          gate: r.gate,
          error_code: r.code,
          field: r.field,
          reason: r.reason,
          load_id: loadId,
          rejected_at: new Date(),
        })),
        { ordered: false },
      );
    }
    const accepted = load.documents - load.rejects.length;
    logger.info(
      {
        format: load.format,
        documents: load.documents,
        upserted,
        modified,
        rejected: load.rejects.length,
      },
      'content loaded',
    );
    return {
      step: 'load_json_to_mongo',
      rowsRead: load.documents,
      rowsWritten: upserted + modified,
      rowsRejected: load.rejects.length,
      durationMs: performance.now() - started,
      warnings:
        load.rejects.length === 0
          ? []
          : [
              `${file}: ${load.rejects.length} documents quarantined in ${contentRejectsCollection}`,
            ],
      details: {
        loadId,
        format: load.format,
        mode: intoEmpty ? 'insert_into_empty' : 'upsert',
        accepted,
        upserted,
        modified,
        unchanged: accepted - upserted - modified,
      },
    };
  } catch (error) {
    if (signal?.aborted === true) {
      throw new ReelhouseError({
        code: 'aborted',
        message: `${file}: load aborted`,
        context: { file },
        cause: error,
      });
    }
    throw classifyError(error, { file, task: 'load_json_to_mongo' });
  }
}

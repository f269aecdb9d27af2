import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Db } from 'mongodb';

import type pg from 'pg';

import {
  dataFiles,
  defaultPlausibilityPolicy,
  type PlausibilityPolicy,
} from '@reelhouse/contracts';
import {
  classifyError,
  ReelhouseError,
  silentLogger,
  type Logger,
  type StepReport,
} from '@reelhouse/core';

import { checkContentDocument, type ContentReject } from './check-content-document.ts';
import { readContentDocuments, type DocumentPosition } from './read-content-documents.ts';
import { writeMarkedContent, type StoredContent } from './content-change-markers.ts';
import { detachText } from './detach-text.ts';
import { contentCollection, contentRejectsCollection } from './create-mongo-collections.ts';
import { PlausibilityWarnings } from './plausibility-gate.ts';
import { recordContentRejects } from './record-content-rejects.ts';

export interface LoadJsonToMongoOptions {
  /** The data-set folder holding `content.json`. */
  readonly dataDir: string;
  /** Share of documents that may be rejected before the load fails (default 0.05). */
  readonly maxRejectRate?: number;
  /** Documents per unordered bulk write (default 1000). */
  readonly batchSize?: number;
  /** The file inside `dataDir` (default `content.json`; a day batch's `days/<day>/content.json`). */
  readonly file?: string;
  /** The source database: rejects are kept in its `public.load_rejects` too (they outlive a run's MongoDB-wire server). */
  readonly rejectsPool?: pg.Pool | undefined;
  /** Load a catalogue without documents instead of failing (default false: `--allow-empty`). */
  readonly allowEmpty?: boolean;
  /** How the contracts' plausibility rules apply (default: every rule rejects, 24 h tolerance). */
  readonly plausibility?: PlausibilityPolicy;
  /** The instant future timestamps are measured from (default: now). */
  readonly now?: Date;
  /** Longest document line (default 16 Mi characters); a longer one is quarantined as `line_too_long`. */
  readonly maxLineChars?: number;
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
}

/** One pass over the file: every document checked, duplicates of an earlier `_id` rejected. */
async function pass(options: {
  file: string;
  path: string;
  signal: AbortSignal | undefined;
  plausibility: { readonly policy: PlausibilityPolicy; readonly now: Date };
  maxLineChars: number | undefined;
  onGood: (id: string, document: Record<string, unknown>) => void;
  flush: () => Promise<void>;
}) {
  const { file } = options;
  const rejects: ContentReject[] = [];
  const warnings = new PlausibilityWarnings();
  const seen = new Map<string, number>();
  const onDocument = (text: string, position: DocumentPosition) => {
    const checked = checkContentDocument(text, position, options.plausibility);
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
    warnings.add(checked.warnings, position.index);
    options.onGood(checked.id, checked.document);
  };
  const read = await readContentDocuments({
    path: options.path,
    file,
    onDocument,
    onOversized: (position, chars) =>
      rejects.push({
        index: position.index,
        line: position.line,
        rawText: '',
        gate: 'parse',
        code: 'line_too_long',
        field: null,
        reason: `line ${position.line} is ${chars} characters long, over the limit of ${options.maxLineChars ?? 16 << 20}; the rest of the file is read on`,
      }),
    afterChunk: options.flush,
    maxLineChars: options.maxLineChars,
    signal: options.signal,
  });
  return { ...read, rejects, warnings };
}

/** A one-line JSON object that is no content document (a wrapper like `{"titles": [...]}`), or `undefined`. */
function wrapperKeys(text: string): string[] | undefined {
  try {
    const json: unknown = JSON.parse(text);
    if (typeof json !== 'object' || json === null || Array.isArray(json) || '_id' in json)
      return undefined;
    return Object.keys(json);
  } catch {
    return undefined;
  }
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
    const plausibility = {
      policy: options.plausibility ?? defaultPlausibilityPolicy,
      now: options.now ?? new Date(),
    };
    const passOptions = { path, signal, plausibility, maxLineChars: options.maxLineChars };
    const record = (rejects: readonly ContentReject[]) =>
      recordContentRejects({ db, rejectsPool: options.rejectsPool, file, loadId, rejects });
    // First pass validates only, so a file over the threshold leaves the collection untouched.
    const check = await pass({
      ...passOptions,
      file,
      onGood: () => undefined,
      flush: () => Promise.resolve(),
    });
    const single = check.documents === 1 ? check.rejects[0] : undefined;
    const keys = single?.gate === 'contract' ? wrapperKeys(single.rawText) : undefined;
    if (keys !== undefined)
      throw new ReelhouseError({
        code: 'file_malformed',
        message: `${file} line ${single?.line ?? 1}: the file holds one JSON object (keys: ${keys.join(', ')}), not an array of content documents: write \`[\` on line 1, one document per line, \`]\` last (or NDJSON)`,
        context: { file, line: single?.line ?? 1 },
      });
    if (check.documents === 0 && options.allowEmpty !== true)
      throw new ReelhouseError({
        code: 'file_malformed',
        message: `${file}: the catalogue holds no documents; loading it would orphan every viewing session. Pass --allow-empty (allowEmpty) to load an empty source on purpose`,
        context: { file },
      });
    if (check.rejects.length > maxRejectRate * check.documents) {
      await record(check.rejects);
      const first = check.rejects.slice(0, 5);
      throw new ReelhouseError({
        code: 'reject_threshold_exceeded',
        message: `${file}: ${check.rejects.length} of ${check.documents} documents rejected (> ${(maxRejectRate * 100).toFixed(2)}%); nothing loaded from it, the collection is unchanged. All ${check.rejects.length} rejects with their reasons are in ${contentRejectsCollection}${options.rejectsPool === undefined ? '' : ` and public.load_rejects (file '${file}')`}, load_id '${loadId}'. First: ${first.map((r) => `#${r.index} line ${r.line} (${r.reason})`).join('; ')}`,
        context: {
          file,
          rejected: check.rejects.length,
          documents: check.documents,
          loadId,
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
        const written = await writeMarkedContent(db, content, {
          documents: batch.splice(0, batchSize),
          intoEmpty,
        });
        upserted += written.inserted;
        modified += written.replaced;
      }
    };
    const load = await pass({
      ...passOptions,
      file,
      onGood: (id, document) => batch.push({ id, document }),
      flush,
    });
    await flush();
    await record(load.rejects);
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
      warnings: [
        ...(load.rejects.length === 0
          ? []
          : [
              `${file}: ${load.rejects.length} documents quarantined in ${contentRejectsCollection}`,
            ]),
        ...load.warnings.describe(file, 'document'),
      ],
      details: {
        loadId,
        format: load.format,
        mode: intoEmpty ? 'insert_into_empty' : 'upsert',
        accepted,
        upserted,
        modified,
        unchanged: accepted - upserted - modified,
        plausibilityWarnings: Object.fromEntries(load.warnings.counts),
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

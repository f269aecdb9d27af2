import type { Db } from 'mongodb';
import type pg from 'pg';

import type { ContentReject } from './check-content-document.ts';
import { contentRejectsCollection } from './create-mongo-collections.ts';
import { replaceLoadRejects } from './replace-load-rejects.ts';

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

/**
 * Replaces the file's rejects in `content_rejects` and, given a source pool, in
 * `public.load_rejects` too: there they outlive a MongoDB-wire server started for one run, and sit
 * beside the CSV rejects for the quality report.
 */
export async function recordContentRejects(options: {
  db: Db;
  rejectsPool: pg.Pool | undefined;
  file: string;
  loadId: string;
  rejects: readonly ContentReject[];
}): Promise<void> {
  const { file, loadId, rejects } = options;
  const collection = options.db.collection<StoredContentReject>(contentRejectsCollection);
  // Rejects mirror the last load of the file, so a rerun converges there too.
  await collection.deleteMany({ file });
  if (rejects.length > 0) {
    await collection.insertMany(
      rejects.map((r) => ({
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
  if (options.rejectsPool === undefined) return;
  const client = await options.rejectsPool.connect();
  try {
    await client.query('BEGIN');
    await replaceLoadRejects(client, {
      file,
      loadId,
      rejects: rejects.map((r) => ({ ...r, reason: `document ${r.index}: ${r.reason}` })),
    });
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

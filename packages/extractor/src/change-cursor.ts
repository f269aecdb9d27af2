import { z } from 'zod';

/**
 * Where a PostgreSQL stream's next load starts: `snapshot` is the source snapshot the last load
 * read (`pg_current_snapshot()`: xmin, xmax and the transactions running then). The next load reads
 * exactly the rows written by transactions that snapshot could not see: those still running then
 * (however low their change sequence) and every later one. `at` is the snapshot's time, for an
 * optional lookback.
 */
export const postgresCursor = z.strictObject({
  snapshot: z.string().regex(/^\d+:\d+:(\d+(,\d+)*)?$/),
  at: z.iso.datetime({ offset: true }),
});
export type PostgresCursor = z.output<typeof postgresCursor>;

/** Where the content stream's next load starts: the highest change sequence read, and when. */
export const mongoCursor = z.strictObject({
  seq: z.int().nonnegative(),
  at: z.iso.datetime({ offset: true }),
});
export type MongoCursor = z.output<typeof mongoCursor>;

/**
 * Reads a saved cursor; a cursor of another kind (a business `updated_at` saved before change
 * markers existed) reads as none, so the stream rereads everything once and merges by marker.
 */
export function parseCursor<T>(schema: z.ZodType<T>, text: string | null): T | null {
  if (text === null) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

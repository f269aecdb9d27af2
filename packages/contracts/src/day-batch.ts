import { z } from 'zod';

import { csvUuid } from './csv-fields.ts';

/** A calendar day `YYYY-MM-DD` (UTC): the name of a day batch and a pipeline's logical date. */
export const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day like 2025-07-01')
  .refine(
    (day) =>
      !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) &&
      new Date(`${day}T00:00:00Z`).toISOString().startsWith(day),
    {
      message: 'must be a real calendar day',
    },
  );

/** The folder of day batches inside a data set, and the files of one batch. */
export const dayBatchFiles = {
  folder: 'days',
  users: 'users.csv',
  viewingSessions: 'viewing_sessions.csv',
  content: 'content.json',
  deletes: 'deletes.json',
  manifest: 'manifest.json',
} as const;

/** The relative folder of day `day`'s batch inside its data set: `days/<YYYY-MM-DD>`. */
export function dayBatchFolder(day: string): string {
  return `${dayBatchFiles.folder}/${day}`;
}

/** `deletes.json` of a day batch: the keys its sources delete, per stream. */
export const dayBatchDeletes = z.strictObject({
  users: z.array(csvUuid),
  viewing_sessions: z.array(csvUuid),
  content: z.array(z.string().regex(/^(mov|ser)_\d+$/)),
});
export type DayBatchDeletes = z.output<typeof dayBatchDeletes>;

const count = z.int().nonnegative();

/** `manifest.json` of a day batch: its ground truth (what it adds, changes and deletes) and checksums. */
export const dayBatchManifest = z.strictObject({
  generator_version: z.string(),
  seed: z.int().nonnegative(),
  scale: z.string(),
  day: isoDay,
  /** The day before (the base data set's last day for the first batch): applied first. */
  previous_day: isoDay,
  counts: z.strictObject({
    new_users: count,
    plan_changes: count,
    cancellations: count,
    returns: count,
    erasures: count,
    new_sessions: count,
    /** Of `new_sessions`: started on an earlier day (up to 3 days before), arriving now. */
    late_sessions: count,
    corrected_sessions: count,
    /** Of `corrected_sessions`: corrections that move the session's start to another day. */
    moved_sessions: count,
    deleted_sessions: count,
    new_titles: count,
    new_episodes: count,
    catalogue_edits: count,
    deleted_titles: count,
  }),
  /** Rows per file (`users.csv`, `viewing_sessions.csv`, `content.json`) and keys per stream in `deletes.json`. */
  upserts: z.strictObject({ users: count, viewing_sessions: count, content: count }),
  deletes: z.strictObject({ users: count, viewing_sessions: count, content: count }),
  files: z.record(
    z.string(),
    z.strictObject({ bytes: z.int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
  ),
});
export type DayBatchManifest = z.output<typeof dayBatchManifest>;

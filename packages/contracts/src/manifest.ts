import { z } from 'zod';

/** `manifest.json` beside the generated files: what was generated, from what, and checksums. */
export const dataManifest = z.strictObject({
  generator_version: z.string(),
  seed: z.int().nonnegative(),
  scale: z.string(),
  counts: z.strictObject({
    users: z.int(),
    viewing_sessions: z.int(),
    titles: z.int(),
    movies: z.int(),
    series: z.int(),
    episodes: z.int(),
  }),
  /** Simulated "now" of the data set: fixed, so output never depends on the wall clock. */
  reference_time: z.string(),
  defect_rate: z.number().min(0).max(1),
  /** The last day the base data set covers (`YYYY-MM-DD`): day batches start the day after. */
  last_day: z.string().optional(),
  /** Day batches generated so far under `days/`, in order. */
  days: z.array(z.string()).optional(),
  files: z.record(
    z.string(),
    z.strictObject({ bytes: z.int().nonnegative(), sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
  ),
});

export type DataManifest = z.output<typeof dataManifest>;

/** Where a defect must be caught: parsing, the zod contract, or SQL tests in the warehouse. */
export const qualityGates = ['parse', 'contract', 'relational'] as const;
export type QualityGate = (typeof qualityGates)[number];

/** One line of `defects.jsonl`: the ground truth of an injected defect. */
export const defectRecord = z.strictObject({
  file: z.enum(['users.csv', 'viewing_sessions.csv', 'content.json']),
  /** 1-based physical line for CSV (header is line 1); 0-based document index for content.json. */
  position: z.int().nonnegative(),
  /** Natural key of the record when it survives parsing (user_id, session_id, _id). */
  key: z.string().nullable(),
  field: z.string().nullable(),
  defect: z.enum([
    'exact_duplicate',
    'conflicting_duplicate',
    'empty_required',
    'orphan',
    'out_of_range',
    'end_before_start',
    'bad_date_format',
    'bad_casing',
    'bad_country_code',
    'wrong_type',
    'extra_column',
    'missing_column',
    'unbalanced_quote',
    'bom',
    'nul_byte',
    'crlf_mix',
    'malformed_json',
  ]),
  gate: z.enum(qualityGates),
});

export type DefectRecord = z.output<typeof defectRecord>;

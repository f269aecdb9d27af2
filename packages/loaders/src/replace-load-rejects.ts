import type pg from 'pg';

import type { CsvReject } from './csv-reject.ts';

const batchSize = 5_000;

/**
 * Replaces the quarantined lines of `file` with this load's rejects: `load_rejects` mirrors the
 * last load of each file, as the source tables do, so a rerun converges there too.
 */
export async function replaceLoadRejects(
  client: pg.PoolClient,
  options: { file: string; loadId: string; rejects: readonly CsvReject[] },
): Promise<void> {
  await client.query('DELETE FROM public.load_rejects WHERE file = $1', [options.file]);
  for (let start = 0; start < options.rejects.length; start += batchSize) {
    const batch = options.rejects.slice(start, start + batchSize);
    await client.query(
      `INSERT INTO public.load_rejects (load_id, file, line, raw_text, gate, error_code, field, reason)
SELECT $1, $2, line, raw_text, gate, error_code, field, reason
FROM unnest($3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[]) AS r(line, raw_text, gate, error_code, field, reason)`,
      [
        options.loadId,
        options.file,
        batch.map((r) => r.line),
        // PostgreSQL text cannot hold NUL: the stored raw text shows it as the escape \0.
        batch.map((r) => r.rawText.replaceAll('\0', String.raw`\0`)),
        batch.map((r) => r.gate),
        batch.map((r) => r.code),
        batch.map((r) => r.field),
        batch.map((r) => r.reason),
      ],
    );
  }
}

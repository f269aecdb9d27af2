import type pg from 'pg';

import type { CsvReject } from './csv-reject.ts';
import type { SourceTable } from './source-table.ts';

/** A good line whose key fingerprint was seen before in the file: a duplicate, or a fingerprint collision. */
export interface DuplicateSuspect {
  readonly suspect: true;
  readonly line: number;
  readonly rawText: string;
  readonly key: string;
}

const keysPerQuery = 10_000;

/**
 * Settles the suspects of one file against the rows its COPY wrote (`target` holds only this
 * file's rows): a key already there is a duplicate; otherwise its first suspect line was a
 * fingerprint collision and must still be loaded, and later ones repeat it.
 */
export async function resolveDuplicateSuspects(
  client: pg.PoolClient,
  options: { spec: SourceTable; target: string; suspects: readonly DuplicateSuspect[] },
): Promise<{ duplicates: CsvReject[]; reload: DuplicateSuspect[] }> {
  const { spec, suspects } = options;
  const keys = [...new Set(suspects.map((suspect) => suspect.key))];
  const loaded = new Set<string>();
  for (let start = 0; start < keys.length; start += keysPerQuery) {
    const found = await client.query<{ key: string }>(
      `SELECT ${spec.key}::text AS key FROM ${options.target} WHERE ${spec.key} = ANY($1::uuid[])`,
      [keys.slice(start, start + keysPerQuery)],
    );
    for (const row of found.rows) loaded.add(row.key);
  }
  const firstSuspectLine = new Map<string, number>();
  const duplicates: CsvReject[] = [];
  const reload: DuplicateSuspect[] = [];
  for (const suspect of suspects) {
    const first = firstSuspectLine.get(suspect.key);
    if (!loaded.has(suspect.key) && first === undefined) {
      firstSuspectLine.set(suspect.key, suspect.line);
      reload.push(suspect);
      continue;
    }
    const where = first === undefined ? 'an earlier line' : `line ${first}`;
    duplicates.push({
      line: suspect.line,
      rawText: suspect.rawText,
      gate: 'contract',
      code: 'duplicate_key',
      field: spec.key,
      reason: `${spec.key} ${suspect.key} already loaded from ${where}`,
    });
  }
  return { duplicates, reload };
}

import { dataFiles } from '@reelhouse/contracts';
import { contentCollection } from '@reelhouse/loaders';
import type { Db } from 'mongodb';
import type pg from 'pg';

/** Rows now held in a source for one data file, and how many of its records the last load quarantined. */
export interface FileLoadSummary {
  readonly file: string;
  readonly loaded: number | null;
  readonly quarantined: number;
}

// `table` is a constant of this file, never input.
async function tableRows(source: pg.Pool, table: string): Promise<number | null> {
  const found = await source.query<{ found: boolean }>(
    'select to_regclass($1) is not null as found',
    [table],
  );
  if (found.rows[0]?.found !== true) return null;
  const { rows } = await source.query<{ n: number }>(`select count(*)::int as n from ${table}`);
  return rows[0]?.n ?? 0;
}

/** What each data file put into the sources: rows held and rows quarantined in `public.load_rejects`. */
export async function summarizeLoads(options: {
  source: pg.Pool;
  mongo: Db;
}): Promise<FileLoadSummary[]> {
  const { source, mongo } = options;
  const rejects = new Map<string, number>();
  const hasRejects = await source.query<{ found: boolean }>(
    "select to_regclass('public.load_rejects') is not null as found",
  );
  if (hasRejects.rows[0]?.found === true) {
    const { rows } = await source.query<{ file: string; n: number }>(
      'select file, count(*)::int as n from public.load_rejects group by file',
    );
    for (const row of rows) rejects.set(row.file, row.n);
  }
  const collections = await mongo.listCollections({ name: contentCollection }).toArray();
  return [
    {
      file: dataFiles.users,
      loaded: await tableRows(source, 'public.users'),
      quarantined: rejects.get(dataFiles.users) ?? 0,
    },
    {
      file: dataFiles.viewingSessions,
      loaded: await tableRows(source, 'public.viewing_sessions'),
      quarantined: rejects.get(dataFiles.viewingSessions) ?? 0,
    },
    {
      file: dataFiles.content,
      loaded:
        collections.length === 0
          ? null
          : await mongo.collection(contentCollection).countDocuments(),
      quarantined: rejects.get(dataFiles.content) ?? 0,
    },
  ];
}

/** The end-of-run lines: per file, rows loaded and quarantined, and where the reasons are. */
export function renderLoadSummary(files: readonly FileLoadSummary[]): string[] {
  const width = Math.max(...files.map((f) => f.file.length));
  const count = (n: number | null) => (n === null ? 'n/a' : n.toLocaleString('en-US'));
  const lines = files.map(
    (f) =>
      `  ${f.file.padEnd(width)}  ${count(f.loaded)} loaded, ${count(f.quarantined)} quarantined`,
  );
  const quarantined = files.reduce((sum, f) => sum + f.quarantined, 0);
  return [
    'sources:',
    ...lines,
    quarantined === 0
      ? '  nothing quarantined'
      : `  reasons: table public.load_rejects of the source database (file, line, gate, error_code, field, reason)`,
  ];
}

import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

// COPY text format: backslash escapes for the characters that delimit fields and rows.
const escapes: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

function escapeText(text: string): string {
  return text.replace(/[\\\n\r\t]/g, (char) => escapes[char] ?? char);
}

function arrayLiteral(values: readonly unknown[]): string {
  return `{${values.map((value) => `"${String(value).replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',')}}`;
}

/** One value as a COPY text field: `\N` for null, arrays as PostgreSQL array literals, dates as ISO text. */
export function copyField(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  if (typeof value === 'boolean') return value ? 't' : 'f';
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return escapeText(arrayLiteral(value));
  if (typeof value === 'string') return escapeText(value);
  return escapeText(JSON.stringify(value));
}

/** Writes rows into `table` through one COPY FROM STDIN (text format), columns in the given order. */
export async function copyRowsInto(
  client: pg.ClientBase,
  options: {
    table: string;
    columns: readonly string[];
    rows: readonly Readonly<Record<string, unknown>>[];
  },
): Promise<number> {
  if (options.rows.length === 0) return 0;
  const list = options.columns.map((column) => pg.escapeIdentifier(column)).join(', ');
  const lines = options.rows.map(
    (row) => `${options.columns.map((column) => copyField(row[column])).join('\t')}\n`,
  );
  const incoming = client.query(copyFrom(`copy ${options.table} (${list}) from stdin`));
  // A late report of the connection's death must not crash the process: the pipeline already failed the load.
  incoming.on('error', () => undefined);
  await pipeline(Readable.from([lines.join('')]), incoming);
  return incoming.rowCount;
}

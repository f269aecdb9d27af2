import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

import { parseString } from 'fast-csv';
import type { z } from 'zod';

import { ReelhouseError } from '@reelhouse/core';

/**
 * Reads a seed's CSV (a header row naming exactly the schema's fields, in any order) and parses
 * every row with `schema`; an empty field is absent (`undefined`, stored as null). Throws a
 * `file_malformed` error naming the file, line and field of the first bad row.
 */
export async function readSeedCsv<S extends z.ZodObject>(
  file: string | URL,
  schema: S,
): Promise<z.output<S>[]> {
  const path = typeof file === 'string' ? file : fileURLToPath(file);
  const fail = (message: string, context: Record<string, unknown> = {}) =>
    new ReelhouseError({
      code: 'file_malformed',
      message: `${path}: ${message}`,
      context: { path, ...context },
    });
  const text = await readFile(path, 'utf8');
  const records: string[][] = await new Promise((resolve, reject) => {
    const rows: string[][] = [];
    parseString<string[], string[]>(text)
      .on('error', (error: Error) => {
        reject(fail(`not valid CSV: ${error.message}`));
      })
      .on('data', (row: string[]) => rows.push(row))
      .on('end', () => {
        resolve(rows);
      });
  });
  const [header = [], ...rows] = records;
  const fields = Object.keys(schema.shape);
  const missing = fields.filter((field) => !header.includes(field));
  const unknown = header.filter((column) => !fields.includes(column));
  if (missing.length > 0 || unknown.length > 0)
    throw fail(
      `line 1: the header must name the columns ${fields.join(', ')}` +
        (missing.length > 0 ? `; missing ${missing.join(', ')}` : '') +
        (unknown.length > 0 ? `; unknown ${unknown.join(', ')}` : ''),
      { line: 1 },
    );
  const parsedRows: z.output<S>[] = [];
  for (const [index, values] of rows.entries()) {
    // One record a line (quoted line breaks are refused), so a record's line is its index + 2.
    const line = index + 2;
    if (values.length === 1 && values[0] === '') continue;
    if (values.some((value) => value.includes('\n')))
      throw fail(`line ${line}: a quoted line break; a seed holds one record a line`, { line });
    if (values.length !== header.length)
      throw fail(`line ${line}: ${values.length} fields where the header has ${header.length}`, {
        line,
      });
    const record = Object.fromEntries(
      header.map((column, at) => [column, values[at] === '' ? undefined : values[at]]),
    );
    const parsed = schema.safeParse(record);
    if (parsed.success) {
      parsedRows.push(parsed.data);
      continue;
    }
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? '');
    const value = record[field];
    throw fail(
      `line ${line}, field ${field}: ${issue?.message ?? 'invalid'} (value ${value === undefined ? 'empty' : JSON.stringify(value)})`,
      { line, field },
    );
  }
  return parsedRows;
}

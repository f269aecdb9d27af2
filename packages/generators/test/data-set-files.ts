import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parseCsvLine, toRecord } from './csv-line.ts';

/** The physical lines of a generated file (without the final empty string after the last `\n`). */
export function readLines(dir: string, file: string): string[] {
  const lines = readFileSync(join(dir, file), 'utf8').split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** The document text of `content.json` line `index + 2` (line 1 is `[`), without its trailing comma. */
export function documentText(line: string): string {
  return line.endsWith(',') ? line.slice(0, -1) : line;
}

/** The data rows of a generated CSV file as records keyed by column (the files are clean). */
export function readCsvRecords(dir: string, file: string): Record<string, string>[] {
  const [header = '', ...lines] = readLines(dir, file);
  const columns = header.split(',');
  return lines.map((line) => {
    const parsed = parseCsvLine(line, columns.length);
    if (!parsed.ok) throw new Error(`${file}: ${parsed.reason} in ${line}`);
    return toRecord(columns, parsed.cells);
  });
}

/** Why a line is not one well-formed RFC 4180 record. */
export type CsvStructureProblem = 'unbalanced_quote' | 'stray_quote';

export type SplitCsvResult =
  | { readonly ok: true; readonly fields: string[] }
  | { readonly ok: false; readonly problem: CsvStructureProblem; readonly column: number };

function splitQuoted(line: string): SplitCsvResult {
  const fields: string[] = [];
  let position = 0;
  for (;;) {
    if (line.charCodeAt(position) === 34) {
      let value = '';
      let cursor = position + 1;
      for (;;) {
        const quote = line.indexOf('"', cursor);
        if (quote === -1) return { ok: false, problem: 'unbalanced_quote', column: position + 1 };
        value += line.slice(cursor, quote);
        if (line.charCodeAt(quote + 1) === 34) {
          value += '"';
          cursor = quote + 2;
          continue;
        }
        position = quote + 1;
        break;
      }
      fields.push(value);
      if (position === line.length) return { ok: true, fields };
      // After a closing quote only a separator may follow; PostgreSQL would read it differently.
      if (line.charCodeAt(position) !== 44)
        return { ok: false, problem: 'stray_quote', column: position + 1 };
      position += 1;
      continue;
    }
    const comma = line.indexOf(',', position);
    const value = comma === -1 ? line.slice(position) : line.slice(position, comma);
    const quote = value.indexOf('"');
    if (quote !== -1) return { ok: false, problem: 'stray_quote', column: position + quote + 1 };
    fields.push(value);
    if (comma === -1) return { ok: true, fields };
    position = comma + 1;
  }
}

/**
 * Splits one physical line into its fields by RFC 4180 (`"` quotes, `""` escapes). A quote that
 * is never closed or stands inside an unquoted field makes the line structurally bad.
 */
export function splitCsvRecord(line: string): SplitCsvResult {
  // Most lines have no quotes at all: a plain split is several times faster.
  if (!line.includes('"')) return { ok: true, fields: line.split(',') };
  return splitQuoted(line);
}

/**
 * A strict single-line RFC 4180 parser: the parse gate as the loaders apply it. A line with a
 * BOM, a NUL, a carriage return, a stray or unbalanced quote fails; so does a wrong cell count.
 */
export type ParsedLine =
  { readonly ok: true; readonly cells: string[] } | { readonly ok: false; readonly reason: string };

export function parseCsvLine(line: string, expectedCells: number): ParsedLine {
  if (line.includes('\uFEFF')) return { ok: false, reason: 'bom' };
  if (line.includes('\0')) return { ok: false, reason: 'nul_byte' };
  if (line.includes('\r')) return { ok: false, reason: 'carriage_return' };
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const quote = line.indexOf('"', i);
        if (quote < 0) return { ok: false, reason: 'unbalanced_quote' };
        value += line.slice(i, quote);
        if (line[quote + 1] === '"') {
          value += '"';
          i = quote + 2;
        } else {
          i = quote + 1;
          break;
        }
      }
      if (i < line.length && line[i] !== ',') return { ok: false, reason: 'text_after_quote' };
      cells.push(value);
    } else {
      const comma = line.indexOf(',', i);
      const end = comma < 0 ? line.length : comma;
      const value = line.slice(i, end);
      if (value.includes('"')) return { ok: false, reason: 'stray_quote' };
      cells.push(value);
      i = end;
    }
    if (i >= line.length) break;
    i++;
  }
  if (cells.length !== expectedCells)
    return { ok: false, reason: cells.length > expectedCells ? 'extra_column' : 'missing_column' };
  return { ok: true, cells };
}

/** Turns cells into a record keyed by the header's column names. */
export function toRecord(
  columns: readonly string[],
  cells: readonly string[],
): Record<string, string> {
  return Object.fromEntries(columns.map((column, index) => [column, cells[index] ?? '']));
}

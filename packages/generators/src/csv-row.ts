const needsQuotes = /[",\n\r]/;

/** One RFC 4180 field: quoted, with quotes doubled, only when it holds a comma, quote or line break. */
export function csvField(value: string): string {
  return needsQuotes.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One CSV record as a line ending in `\n`; empty strings are NULL cells. */
export function csvRow(fields: readonly string[]): string {
  let line = '';
  for (let i = 0; i < fields.length; i++) {
    if (i > 0) line += ',';
    line += csvField(fields[i] ?? '');
  }
  return `${line}\n`;
}

/** Splits one well-formed RFC 4180 line (no line break inside) into its cell values. */
export function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const quote = line.indexOf('"', i);
        if (quote < 0) throw new SyntaxError('unbalanced quote in a clean line');
        value += line.slice(i, quote);
        i = quote + 1;
        if (line[i] !== '"') break;
        value += '"';
        i++;
      }
      cells.push(value);
    } else {
      const comma = line.indexOf(',', i);
      const end = comma < 0 ? line.length : comma;
      cells.push(line.slice(i, end));
      i = end;
    }
    if (i >= line.length) return cells;
    i++;
  }
}

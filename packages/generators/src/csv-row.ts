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

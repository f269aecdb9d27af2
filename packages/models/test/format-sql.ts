const breakBefore = [
  'with',
  'select',
  'from',
  'where',
  'left join',
  'inner join',
  'cross join',
  'group by',
  'having',
  'order by',
  'union all',
];

/** Puts each clause of compiled SQL on its own line (outside literals and identifiers) so snapshots read like queries. */
export function formatSql(text: string): string {
  let out = '';
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const char = text.charAt(i);
    if (quote !== undefined) {
      if (char === quote) quote = undefined;
      out += char;
      continue;
    }
    if (char === "'" || char === '"') {
      quote = char;
      out += char;
      continue;
    }
    const keyword =
      char === ' ' ? breakBefore.find((k) => text.startsWith(`${k} `, i + 1)) : undefined;
    // `extract(year from x)` is not a FROM clause.
    const inExtract = keyword === 'from' && /extract\(\w+$/.test(out);
    out += keyword === undefined || inExtract ? char : '\n';
  }
  return out;
}

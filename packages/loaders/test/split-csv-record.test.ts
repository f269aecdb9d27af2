import { describe, expect, it } from 'vitest';

import { splitCsvRecord } from '../src/split-csv-record.ts';

describe('splitCsvRecord', () => {
  it('splits plain and RFC 4180 quoted fields', () => {
    expect(splitCsvRecord('a,,c')).toEqual({ ok: true, fields: ['a', '', 'c'] });
    expect(splitCsvRecord('"a,b","say ""hi""",""')).toEqual({
      ok: true,
      fields: ['a,b', 'say "hi"', ''],
    });
    expect(splitCsvRecord('x,"y"')).toEqual({ ok: true, fields: ['x', 'y'] });
  });

  it('reports a quote that never closes and a quote where PostgreSQL would read it differently', () => {
    expect(splitCsvRecord('a,"b,c')).toEqual({ ok: false, problem: 'unbalanced_quote', column: 3 });
    expect(splitCsvRecord('a,"b"c,d')).toEqual({ ok: false, problem: 'stray_quote', column: 6 });
    expect(splitCsvRecord('a,b"c')).toEqual({ ok: false, problem: 'stray_quote', column: 4 });
  });
});

import { describe, expect, it } from 'vitest';

import { renderLoadSummary } from '../src/quality/load-summary.ts';

describe('renderLoadSummary (issue 16)', () => {
  it('gives rows loaded and quarantined per file, and where the reasons are', () => {
    expect(
      renderLoadSummary([
        { file: 'users.csv', loaded: 985, quarantined: 15, from: 'run' },
        { file: 'viewing_sessions.csv', loaded: 9_816, quarantined: 184, from: 'run' },
        { file: 'content.json', loaded: 200, quarantined: 0, from: 'sources' },
      ]),
    ).toEqual([
      'sources:',
      '  users.csv             985 loaded, 15 quarantined',
      '  viewing_sessions.csv  9,816 loaded, 184 quarantined',
      '  content.json          not loaded by this run: the source holds 200 rows, the last load quarantined 0',
      '  reasons: table public.load_rejects of the source database (file, line, gate, error_code, field, reason)',
    ]);
  });

  it('says when nothing was quarantined', () => {
    expect(
      renderLoadSummary([{ file: 'users.csv', loaded: 3, quarantined: 0, from: 'run' }]).at(-1),
    ).toBe('  nothing quarantined');
  });
});

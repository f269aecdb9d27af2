import { describe, expect, it } from 'vitest';

import { libpqEnv, databaseName } from '../src/libpq-env.ts';
import { summarizeProfile } from '../src/summarize-profile.ts';

describe('libpqEnv', () => {
  it('moves a URL into libpq variables, password included only when present', () => {
    expect(libpqEnv('postgres://postgres@127.0.0.1:5432/rh_bench_dw')).toEqual({
      PGHOST: '127.0.0.1',
      PGPORT: '5432',
      PGUSER: 'postgres',
      PGDATABASE: 'rh_bench_dw',
    });
    expect(libpqEnv('postgresql://bench:p%40ss@db.local/x')).toEqual({
      PGHOST: 'db.local',
      PGPORT: '5432',
      PGUSER: 'bench',
      PGPASSWORD: 'p@ss',
      PGDATABASE: 'x',
    });
    expect(databaseName('postgres://h:5433/rh_bench_source')).toBe('rh_bench_source');
  });
});

describe('summarizeProfile', () => {
  it('sums self time per function from the samples, largest first, with shortened file names', () => {
    const frame = (id: number, functionName: string, url: string) => ({
      id,
      callFrame: { functionName, url, lineNumber: 9, columnNumber: 0, scriptId: '1' },
      hitCount: 0,
    });
    const profile = {
      nodes: [
        frame(1, '(root)', ''),
        frame(2, 'scan', 'file:///work/main/packages/loaders/src/scan-csv-file.ts'),
        frame(3, '(idle)', ''),
      ],
      startTime: 0,
      endTime: 10_000,
      samples: [2, 3, 2, 2],
      timeDeltas: [1_000, 4_000, 3_000, 2_000],
    };
    expect(summarizeProfile(profile)).toEqual([
      { frame: 'scan (packages/loaders/src/scan-csv-file.ts:10)', selfMs: 6, share: 0.6 },
      { frame: '(idle)', selfMs: 4, share: 0.4 },
    ]);
    expect(summarizeProfile(profile, 1)).toHaveLength(1);
    const lineZero = {
      ...profile,
      nodes: [
        {
          id: 2,
          callFrame: {
            functionName: 'main',
            url: 'file:///w/apps/bench/src/cli.ts',
            lineNumber: 0,
          },
        },
      ],
      samples: [2],
      timeDeltas: [500],
    };
    expect(summarizeProfile(lineZero)).toEqual([
      { frame: 'main (apps/bench/src/cli.ts)', selfMs: 0.5, share: 1 },
    ]);
  });
});

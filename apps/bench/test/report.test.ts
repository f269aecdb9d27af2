import { describe, expect, it } from 'vitest';

import { evaluateStage } from '../src/bench-result.ts';
import { parseMaxRssKb } from '../src/measure-command.ts';
import { renderMarkdown } from '../src/render-report.ts';
import { median, rowsPerSecond, speedRatio } from '../src/statistics.ts';

describe('statistics', () => {
  it('takes the median of odd and even counts without reordering the input', () => {
    const runs = [3, 1, 2];
    expect(median(runs)).toBe(2);
    expect(runs).toEqual([3, 1, 2]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(RangeError);
  });

  it('computes rows per second and speed ratios as baseline time over ours', () => {
    expect(rowsPerSecond(1_000_000, 2_500)).toBe(400_000);
    expect(speedRatio(4_000, 3_200)).toBeCloseTo(0.8);
    expect(() => speedRatio(0, 1)).toThrow(RangeError);
  });
});

describe('evaluateStage', () => {
  const spec = {
    stage: 'load_csv',
    rows: 1_000_000,
    ours: { name: 'reelhouse', runsMs: [4_100, 3_900, 4_000], maxRssMb: 140 },
    baselines: [
      { name: 'psql \\copy', runsMs: [3_300, 3_200, 3_100], maxRssMb: 8 },
      { name: 'pgloader', runsMs: [36_000, 35_000, 35_500], maxRssMb: 300 },
    ],
    targets: [
      { baseline: 'psql \\copy', minRatio: 0.8, description: '≥ 0.8× psql \\copy' },
      { baseline: 'pgloader', minRatio: 1, description: 'faster than pgloader' },
    ],
    maxRssMb: 250,
  };

  it('judges each target on medians', () => {
    const result = evaluateStage(spec);
    expect(result.ours).toMatchObject({ medianMs: 4_000, rowsPerSecond: 250_000 });
    expect(result.outcomes.map((o) => [o.description, Number(o.ratio.toFixed(3)), o.met])).toEqual([
      ['≥ 0.8× psql \\copy', 0.8, true],
      ['faster than pgloader', 8.875, true],
      ['peak RSS < 250 MB', 1.786, true],
    ]);
  });

  it('reports a missed target and an absolute floor', () => {
    const slow = evaluateStage({ ...spec, ours: { ...spec.ours, runsMs: [5_000, 5_000, 5_000] }, minRowsPerSecond: 400_000 });
    expect(slow.outcomes.filter((o) => !o.met).map((o) => o.description)).toEqual(['≥ 0.8× psql \\copy', '≥ 400,000 rows/s']);
  });

  it('refuses a target naming a baseline that did not run', () => {
    expect(() => evaluateStage({ ...spec, targets: [{ baseline: 'dd', minRatio: 1, description: 'x' }] })).toThrow(/unknown baseline dd/);
  });
});

describe('renderMarkdown', () => {
  it('renders the machine, one row per contender and one per target', () => {
    const stage = evaluateStage({
      stage: 'extract',
      rows: 1_000,
      ours: { name: 'reelhouse', runsMs: [2_000, 2_000, 2_000], maxRssMb: 90.4 },
      baselines: [{ name: 'psql pipe', runsMs: [1_000, 1_000, 1_000], maxRssMb: 5 }],
      targets: [{ baseline: 'psql pipe', minRatio: 0.8, description: '≥ 0.8× psql pipe' }],
      notes: ['COPY binary'],
    });
    const markdown = renderMarkdown({
      startedAt: '2026-11-24T03:00:00Z',
      sessions: 1_000,
      machine: { cores: 2, memoryGb: 24, node: '22.23.3', postgres: 'PostgreSQL 15.19', mongo: 'FerretDB v1.24.2', pgloader: '3.6.7', cpu: 'x86_64' },
      stages: [stage],
    });
    expect(markdown).toContain('| extract | reelhouse | 2.00 | 500 | 90 | 2.00 / 2.00 / 2.00 |');
    expect(markdown).toContain('| extract | psql pipe | 1.00 | 1,000 | 5 | 1.00 / 1.00 / 1.00 |');
    expect(markdown).toContain('| extract | ≥ 0.8× psql pipe | 0.50 | **no** |');
    expect(markdown).toContain('- extract: COPY binary');
  });
});

describe('parseMaxRssKb', () => {
  it('reads GNU time verbose output', () => {
    expect(parseMaxRssKb('\tElapsed (wall clock) time: 0:01.00\n\tMaximum resident set size (kbytes): 123456\n')).toBe(123456);
    expect(() => parseMaxRssKb('nothing')).toThrow(/peak RSS/);
  });
});

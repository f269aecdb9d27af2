import { describe, expect, it } from 'vitest';

import type { BenchReport } from '../src/bench-report.ts';
import { evaluateStage } from '../src/bench-result.ts';
import { parseMaxRssKb } from '../src/measure-command.ts';
import { failureSummary, renderMarkdown } from '../src/render-report.ts';
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
    expect(
      result.outcomes.map((o) => [o.description, Number(o.ratio.toFixed(3)), o.required, o.met]),
    ).toEqual([
      ['≥ 0.8× psql \\copy', 0.8, 0.8, true],
      ['faster than pgloader', 8.875, 1, true],
      ['peak RSS < 250 MB', 1.786, 1, true],
    ]);
  });

  it('reports a missed target and an absolute floor', () => {
    const slow = evaluateStage({
      ...spec,
      ours: { ...spec.ours, runsMs: [5_000, 5_000, 5_000] },
      minRowsPerSecond: 400_000,
    });
    expect(slow.outcomes.filter((o) => !o.met).map((o) => o.description)).toEqual([
      '≥ 0.8× psql \\copy',
      '≥ 400,000 rows/s',
    ]);
  });

  it('gives bytes per second to every contender when the stage measures volume', () => {
    const result = evaluateStage({ ...spec, bytes: 400 * 2 ** 20 });
    expect(result.ours.bytesPerSecond).toBe(100 * 2 ** 20);
    expect(result.baselines[0]?.bytesPerSecond).toBe(125 * 2 ** 20);
    expect(evaluateStage(spec).ours.bytesPerSecond).toBeUndefined();
  });

  it('judges a target on one part of the runs when it names one', () => {
    const result = evaluateStage({
      ...spec,
      ours: { ...spec.ours, parts: { build: [900, 1_000, 1_100], extract: [3_000, 3_000, 3_000] } },
      baselines: [
        { ...spec.baselines[0]!, parts: { build: [12_000, 10_000, 11_000] } },
        spec.baselines[1]!,
      ],
      targets: [{ baseline: 'psql \\copy', minRatio: 10, part: 'build', description: 'build' }],
    });
    expect(result.outcomes[0]).toMatchObject({ description: 'build', ratio: 11, met: true });
    expect(() =>
      evaluateStage({
        ...spec,
        targets: [{ baseline: 'pgloader', minRatio: 1, part: 'build', description: 'x' }],
      }),
    ).toThrow(/part build that reelhouse did not report/);
  });

  it('judges absolute ceilings as limit over value', () => {
    const result = evaluateStage({
      ...spec,
      targets: [],
      ceilingsMs: [
        { description: 'p95 < 150 ms', valueMs: 50, limitMs: 150 },
        { description: 'first render < 1 s', valueMs: 1_250, limitMs: 1_000 },
      ],
    });
    expect(result.outcomes.slice(0, 2).map((o) => [o.description, o.ratio, o.met])).toEqual([
      ['p95 < 150 ms', 3, true],
      ['first render < 1 s', 0.8, false],
    ]);
  });

  it('refuses a target naming a baseline that did not run', () => {
    expect(() =>
      evaluateStage({ ...spec, targets: [{ baseline: 'dd', minRatio: 1, description: 'x' }] }),
    ).toThrow(/unknown baseline dd/);
  });
});

const machine = {
  cores: 2,
  memoryGb: 24,
  cpu: 'x86_64',
  os: 'Linux 6.1',
  node: 'v22.23.3',
  postgres: 'PostgreSQL 15.19',
  mongo: 'FerretDB v1.24.2',
  pgloader: '3.6.7',
};

function report(stages: BenchReport['stages'], sessions = 1_000): BenchReport {
  return {
    schemaVersion: 1,
    startedAt: '2026-11-24T03:00:00.000Z',
    finishedAt: '2026-11-24T03:10:00.000Z',
    sessions,
    runs: 3,
    warmup: true,
    machine,
    dataSet: {
      folder: 's1000-seed7',
      counts: { users: 100, viewing_sessions: sessions },
      bytes: 3 * 2 ** 20,
    },
    stages,
    failures: [],
  };
}

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
    const markdown = renderMarkdown(report([stage]));
    expect(markdown).toContain(
      '2 cores (x86_64) · 24 GiB · Linux 6.1 · Node v22.23.3 · PostgreSQL 15.19 · FerretDB v1.24.2 · pgloader 3.6.7',
    );
    expect(markdown).toContain(
      '| stage | contender | median s | rows/s | MiB/s | peak RSS MB | runs s |',
    );
    expect(markdown).toContain('| extract | reelhouse | 2.00 | 500 |  | 90 | 2.00 / 2.00 / 2.00 |');
    expect(markdown).toContain(
      '| extract | psql pipe | 1.00 | 1,000 |  | 5 | 1.00 / 1.00 / 1.00 |',
    );
    expect(markdown).toContain('| extract | ≥ 0.8× psql pipe | 0.50 | 0.80 | **no** |');
    expect(markdown).toContain('- extract: COPY binary');
    expect(markdown).not.toContain('Scale curve');
  });

  it("renders a stage's detail tables under the notes (the dashboard's per-panel percentiles)", () => {
    const stage = evaluateStage({
      stage: 'dashboard',
      rows: 2,
      ours: { name: 'panel API', runsMs: [2, 4], maxRssMb: 100 },
      baselines: [],
      targets: [],
      tables: [
        {
          title: 'per panel, ms (p50 / p95)',
          columns: ['panel', 'cached p50', 'cached p95'],
          rows: [['kpi_audience', '1.1 ms', '39 ms']],
        },
      ],
    });
    expect(renderMarkdown(report([stage]))).toContain(
      [
        '### dashboard: per panel, ms (p50 / p95)',
        '',
        '| panel | cached p50 | cached p95 |',
        '|---|---:|---:|',
        '| kpi_audience | 1.1 ms | 39 ms |',
      ].join('\n'),
    );
  });

  it('lists stages that failed, profiles, and a scale curve when another scale has results', () => {
    const stage = (ms: number, rss: number) =>
      evaluateStage({
        stage: 'load_csv',
        rows: 1_000,
        ours: { name: 'reelhouse', runsMs: [ms], maxRssMb: rss },
        baselines: [],
        targets: [],
        profile: [
          { frame: 'scan (packages/loaders/src/scan-csv-file.ts:10)', selfMs: 1_200, share: 0.6 },
        ],
      });
    const small = {
      ...report([stage(1_000, 100)]),
      failures: [{ stage: 'transform', error: 'buildModels ended error: fact\nstack' }],
    };
    const large = report([stage(9_000, 110)], 10_000);
    const markdown = renderMarkdown(small, [large]);
    expect(markdown).toContain('- transform: buildModels ended error: fact\n');
    expect(markdown).toContain(
      '| `scan (packages/loaders/src/scan-csv-file.ts:10)` | 1200 | 60.0% |',
    );
    expect(markdown).toContain(
      '| stage | 1,000 s | 10,000 s | time × / sessions × | 1,000 RSS MB | 10,000 RSS MB |',
    );
    expect(markdown).toContain('| load_csv | 1.00 | 9.00 | 9.0 / 10 | 100 | 110 |');
  });
});

describe('failureSummary', () => {
  it("picks the error line out of a child's stderr, else the first line", () => {
    const child =
      'benchmark command failed (exit 1): stage-child.ts transform\n/src/x.ts:47\n  throw new ReelhouseError({\nReelhouseError: buildModels ended error: stg_users: error\n  at x';
    expect(failureSummary(child)).toBe('ReelhouseError: buildModels ended error: stg_users: error');
    expect(
      failureSummary(
        'benchmark command failed (exit 1): psql\nERROR:  new row violates check constraint',
      ),
    ).toBe('ERROR:  new row violates check constraint');
    expect(
      failureSummary(
        'failed (exit 1): pnpm pipeline\nrun x: failed\n  transform_with_models: failed: query_failed: no btrim(uuid)',
      ),
    ).toBe('transform_with_models: failed: query_failed: no btrim(uuid)');
    expect(failureSummary('no rows\nmore')).toBe('no rows');
  });
});

describe('parseMaxRssKb', () => {
  it('reads GNU time verbose output', () => {
    expect(
      parseMaxRssKb(
        '\tElapsed (wall clock) time: 0:01.00\n\tMaximum resident set size (kbytes): 123456\n',
      ),
    ).toBe(123456);
    expect(() => parseMaxRssKb('nothing')).toThrow(/peak RSS/);
  });
});

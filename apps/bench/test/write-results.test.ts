import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { benchReport, type BenchReport } from '../src/bench-report.ts';
import { evaluateStage } from '../src/bench-result.ts';
import { sumOfBaselines } from '../src/stages/end-to-end.ts';
import { readScaleReports, writeResults } from '../src/write-results.ts';

const stage = (name: string, baseline: string, ms: number) =>
  evaluateStage({
    stage: name,
    rows: 1_000,
    ours: { name: 'reelhouse', runsMs: [ms * 1.2, ms * 1.1, ms * 1.3], maxRssMb: 120 },
    baselines: [{ name: baseline, runsMs: [ms, ms * 0.9, ms * 1.1], maxRssMb: 10 }],
    targets: [{ baseline, minRatio: 0.8, description: `≥ 0.8× ${baseline}` }],
  });

function report(sessions: number): BenchReport {
  return {
    schemaVersion: 1,
    startedAt: '2026-11-24T14:45:00.000Z',
    finishedAt: '2026-11-24T14:58:00.000Z',
    sessions,
    runs: 3,
    warmup: true,
    machine: {
      cores: 2,
      memoryGb: 23.4,
      cpu: 'Intel Xeon',
      os: 'Linux 6.1',
      node: 'v22.23.3',
      postgres: 'PostgreSQL 15.20',
      mongo: 'FerretDB v1.24.2',
      pgloader: '3.6.7~devel',
    },
    dataSet: {
      folder: 'medium-seed7',
      counts: { users: 100, viewing_sessions: sessions },
      bytes: 1_000_000,
    },
    stages: [
      stage('load_csv', 'psql \\copy', 1_000),
      stage('extract', 'psql COPY pipe (text)', 800),
    ],
    failures: [],
  };
}

describe('writeResults', () => {
  let dir = '';
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'bench-results-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes latest.json that its zod schema reads back, latest.md, and the per-scale file', () => {
    const markdown = writeResults({ resultsDir: dir, report: report(1_000) });
    const json: unknown = JSON.parse(readFileSync(join(dir, 'latest.json'), 'utf8'));
    expect(benchReport.parse(json)).toEqual(report(1_000));
    expect(readFileSync(join(dir, 'latest.md'), 'utf8')).toBe(markdown);
    expect(readFileSync(join(dir, 'sessions-1000.json'), 'utf8')).toBe(
      readFileSync(join(dir, 'latest.json'), 'utf8'),
    );
  });

  it('writes a named report beside the others, leaving latest and the scale curve alone', () => {
    writeResults({ resultsDir: dir, report: report(1_000) });
    const latest = readFileSync(join(dir, 'latest.md'), 'utf8');
    const markdown = writeResults({
      resultsDir: dir,
      report: { ...report(1_000), stages: [stage('daily', 'full run', 20_000)] },
      name: 'daily',
    });
    expect(readFileSync(join(dir, 'sessions-1000-daily.md'), 'utf8')).toBe(markdown);
    expect(
      benchReport.parse(JSON.parse(readFileSync(join(dir, 'sessions-1000-daily.json'), 'utf8')))
        .stages[0]?.stage,
    ).toBe('daily');
    expect(readFileSync(join(dir, 'latest.md'), 'utf8')).toBe(latest);
    expect(readScaleReports(dir).map((r) => r.stages.map((s) => s.stage))).toEqual([
      ['load_csv', 'extract'],
    ]);
  });

  it('refuses a report that breaks the schema, writing nothing', () => {
    const broken = { ...report(1_000), stages: [{ ...stage('extract', 'pipe', 1), rows: -1 }] };
    expect(() => writeResults({ resultsDir: dir, report: broken })).toThrow(/rows/);
    expect(readScaleReports(dir)).toEqual([]);
  });

  it('adds the scale curve once a second scale has results, skipping unreadable files', () => {
    writeResults({ resultsDir: dir, report: report(10_000) });
    writeFileSync(join(dir, 'sessions-5.json'), '{"schemaVersion": 2}');
    const markdown = writeResults({ resultsDir: dir, report: report(1_000) });
    expect(
      readScaleReports(dir)
        .map((r) => r.sessions)
        .sort((a, b) => a - b),
    ).toEqual([1_000, 10_000]);
    expect(markdown).toContain('## Scale curve');
    expect(markdown).toContain('| extract | 0.96 | 0.96 | 1.0 / 10 | 120 | 120 |');
  });

  it('leaves out of the scale curve a stage measured at one scale only', () => {
    writeResults({
      resultsDir: dir,
      report: { ...report(10_000), stages: [stage('transform', 'psql star-schema.sql', 100)] },
    });
    expect(writeResults({ resultsDir: dir, report: report(1_000) })).not.toContain('Scale curve');
  });
});

describe('sumOfBaselines', () => {
  it('adds the medians of psql \\copy, the psql pipe and the SQL script measured in this run', () => {
    const finished = new Map([
      ['load_csv', stage('load_csv', 'psql \\copy', 1_000)],
      ['extract', stage('extract', 'psql COPY pipe (text)', 800)],
      ['transform', stage('transform', 'psql star-schema.sql', 3_000)],
    ] as const);
    expect(sumOfBaselines(finished)).toEqual({
      sum: { name: 'sum of baselines', runsMs: [4_800], maxRssMb: 10 },
    });
  });

  it('names the stages whose baselines are missing', () => {
    expect(
      sumOfBaselines(new Map([['extract', stage('extract', 'psql COPY pipe (text)', 800)]])),
    ).toEqual({ missing: ['load_csv', 'transform'] });
  });
});

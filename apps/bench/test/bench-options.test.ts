import { describe, expect, it } from 'vitest';

import { benchHelp, parseBenchArgs, stageNames } from '../src/bench-options.ts';
import { dataSetSize } from '../src/data-set.ts';

describe('parseBenchArgs', () => {
  it('defaults to 1M sessions, every stage, three runs after a warm-up', () => {
    expect(parseBenchArgs([])).toEqual({
      sessions: 1_000_000,
      stage: [...stageNames],
      runs: 3,
      warmup: true,
      profile: false,
      explain: false,
      out: 'bench',
      seed: 7,
      dbPrefix: 'rh_bench',
      reuse: false,
    });
  });

  it('takes a database prefix and a report name, refusing ones that would not be safe names', () => {
    expect(
      parseBenchArgs(['--stage', 'daily', '--db-prefix', 'rh_daily_bench', '--name', 'daily-1m']),
    ).toMatchObject({ stage: ['daily'], dbPrefix: 'rh_daily_bench', name: 'daily-1m' });
    expect(() => parseBenchArgs(['--db-prefix', 'Bench"; drop'])).toThrow(/--dbPrefix/);
    expect(() => parseBenchArgs(['--name', '../latest'])).toThrow(/--name/);
  });

  it('takes --reuse to keep the scratch databases of an earlier run', () => {
    expect(parseBenchArgs(['--db-prefix', 'rh_dash_10m', '--reuse'])).toMatchObject({
      dbPrefix: 'rh_dash_10m',
      reuse: true,
    });
  });

  it('takes stages repeated, comma-separated or listed after --stage, and runs them in pipeline order', () => {
    expect(parseBenchArgs(['--stage', 'transform', '--stage', 'load_csv']).stage).toEqual([
      'load_csv',
      'transform',
    ]);
    expect(parseBenchArgs(['--stage', 'extract,generate']).stage).toEqual(['generate', 'extract']);
    expect(parseBenchArgs(['--stage', 'incremental', 'extract']).stage).toEqual([
      'extract',
      'incremental',
    ]);
  });

  it('reads numbers, --no-warmup, --profile and --explain', () => {
    expect(
      parseBenchArgs([
        '--sessions',
        '10000000',
        '--runs',
        '1',
        '--no-warmup',
        '--profile',
        '--explain',
      ]),
    ).toMatchObject({ sessions: 10_000_000, runs: 1, warmup: false, profile: true, explain: true });
  });

  it('names every bad value and refuses unknown flags', () => {
    expect(() => parseBenchArgs(['--sessions', 'many', '--stage', 'dashboards'])).toThrow(
      /--sessions: .*--stage\.0: /s,
    );
    expect(() => parseBenchArgs(['--runs', '0'])).toThrow(/--runs/);
    expect(() => parseBenchArgs(['--fast'])).toThrow(/unknown option '--fast' \(see --help\)/);
    expect(() => parseBenchArgs(['--runs'])).toThrow(/option '--runs <n>' argument missing/);
  });
});

describe('benchHelp', () => {
  it('gives the usage with every option for --help and -h, and nothing otherwise', () => {
    const help = benchHelp(['--stage', 'daily', '--help']);
    expect(help).toMatch(/^Usage: pnpm bench \[options\] \[stages\.\.\.\]/);
    for (const flag of ['--sessions', '--stage', '--runs', '--no-warmup', '--db-prefix', '--reuse'])
      expect(help).toContain(flag);
    // Commander wraps the text at 80 columns.
    expect(help?.replace(/\s+/g, ' ')).toContain(stageNames.join(', '));
    expect(benchHelp(['-h'])).toBe(help);
    expect(benchHelp(['--stage', 'daily'])).toBeUndefined();
  });
});

describe('dataSetSize', () => {
  it('uses the generators preset with that many sessions, so the pipeline finds the files by scale name', () => {
    expect(dataSetSize(1_000_000)).toEqual({
      scale: 'medium',
      users: 100_000,
      sessions: 1_000_000,
      titles: 5_000,
      pipelineFlags: ['--scale', 'medium'],
    });
    expect(dataSetSize(10_000_000)).toMatchObject({
      scale: 'large',
      users: 1_000_000,
      sessions: 10_000_000,
      titles: 20_000,
    });
  });

  it('keeps the presets proportions for any other count, labelled as the pipeline labels a custom size', () => {
    expect(dataSetSize(5_000)).toEqual({
      scale: 'bench-u500-s5000-t50',
      users: 500,
      sessions: 5_000,
      titles: 50,
      pipelineFlags: ['--scale', 'bench', '--users', '500', '--sessions', '5000', '--titles', '50'],
    });
  });
});

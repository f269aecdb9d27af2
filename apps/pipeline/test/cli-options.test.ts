import { describe, expect, it } from 'vitest';

import { parseCommand } from '../src/cli-options.ts';

describe('parseCommand', () => {
  it('runs the DAG by default, with the flags README documents', () => {
    expect(parseCommand([])).toMatchObject({
      name: 'run',
      resume: false,
      fullRefresh: false,
      data: {},
    });
    expect(parseCommand(['--', '--scale', 'tiny', '--seed', '7', '--resume'])).toMatchObject({
      name: 'run',
      resume: true,
      data: { scale: 'tiny', seed: 7 },
    });
    expect(parseCommand(['run', '--from', 'extract_to_warehouse', '--full-refresh'])).toMatchObject(
      { name: 'run', from: 'extract_to_warehouse', fullRefresh: true },
    );
  });

  it('parses every subcommand', () => {
    expect(
      parseCommand(['task', 'load_csvs_to_postgres', '--run-id', 'scheduled__1']),
    ).toMatchObject({ name: 'task', taskId: 'load_csvs_to_postgres', runId: 'scheduled__1' });
    expect(
      parseCommand([
        'generate',
        '--users',
        '10',
        '--sessions',
        '20',
        '--titles',
        '5',
        '--defects',
        '0.01',
      ]),
    ).toMatchObject({
      name: 'generate',
      data: { users: 10, sessions: 20, titles: 5, defects: 0.01 },
    });
    expect(parseCommand(['status', '--limit', '3'])).toMatchObject({ name: 'status', limit: 3 });
    expect(parseCommand(['graph'])).toEqual({ name: 'graph', out: undefined });
    expect(parseCommand(['airflow-dag', '--out', 'x.py'])).toMatchObject({
      name: 'airflow-dag',
      out: 'x.py',
    });
    expect(
      parseCommand([
        'models',
        'build',
        '--select',
        '+dim_user,fact_viewing_session',
        'tag:daily',
        '--validate',
      ]),
    ).toMatchObject({
      name: 'models-build',
      select: ['+dim_user', 'fact_viewing_session', 'tag:daily'],
      validate: true,
      dryRun: false,
    });
    expect(parseCommand(['models', 'build', '--force-full-refresh'])).toMatchObject({
      fullRefresh: true,
      forceFullRefresh: true,
    });
    expect(parseCommand(['models', 'docs'])).toEqual({ name: 'models-docs', out: undefined });
  });

  it('rejects bad input with a message naming the flag', () => {
    expect(() => parseCommand(['--seed', 'abc'])).toThrow(
      'run: --seed: Invalid input: expected number, received NaN',
    );
    expect(() => parseCommand(['--sclae', 'tiny'])).toThrow("Unknown option '--sclae'");
    expect(() => parseCommand(['--from', 'a', '--only', 'b'])).toThrow(
      '--from and --only exclude each other',
    );
    expect(() => parseCommand(['task'])).toThrow('task: give exactly one task id');
    expect(() => parseCommand(['deploy'])).toThrow("unknown command 'deploy'");
    expect(() => parseCommand(['models', 'build', '--dry-run', '--validate'])).toThrow(
      '--dry-run and --validate exclude each other',
    );
  });
});

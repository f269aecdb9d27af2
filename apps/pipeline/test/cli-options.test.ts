import { describe, expect, it } from 'vitest';

import { parseCommand, type ProgramOutput } from '../src/cli-program.ts';

/** Parses with commander's output captured instead of printed. */
function parse(argv: readonly string[]) {
  const printed = { out: '', err: '' };
  const output: ProgramOutput = {
    writeOut: (text) => (printed.out += text),
    writeErr: (text) => (printed.err += text),
  };
  return { command: parseCommand(argv, output), printed };
}

const parsed = (argv: readonly string[]) => parse(argv).command;

describe('parseCommand', () => {
  it('runs the DAG by default, with the flags README documents', () => {
    expect(parsed([])).toMatchObject({
      name: 'run',
      options: { resume: false, fullRefresh: false, data: {} },
    });
    expect(parsed(['--', '--scale', 'tiny', '--seed', '7', '--resume'])).toMatchObject({
      name: 'run',
      options: { resume: true, data: { scale: 'tiny', seed: 7 } },
    });
    expect(parsed(['run', '--from', 'extract_to_warehouse', '--full-refresh'])).toMatchObject({
      name: 'run',
      options: { from: 'extract_to_warehouse', fullRefresh: true },
    });
    expect(parsed(['--only', 'quality_report', '--target-dir', 't'])).toMatchObject({
      options: { only: 'quality_report', output: { targetDir: 't' } },
    });
  });

  it('parses every subcommand', () => {
    expect(parsed(['task', 'load_csvs_to_postgres', '--run-id', 'scheduled__1'])).toMatchObject({
      name: 'task',
      options: { taskId: 'load_csvs_to_postgres', runId: 'scheduled__1' },
    });
    expect(
      parsed([
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
      options: { data: { users: 10, sessions: 20, titles: 5, defects: 0.01 } },
    });
    expect(parsed(['status', '--limit', '3'])).toMatchObject({
      name: 'status',
      options: { limit: 3 },
    });
    expect(parsed(['status'])).toMatchObject({ options: { limit: 5 } });
    expect(parsed(['graph'])).toMatchObject({ name: 'graph', options: { out: undefined } });
    expect(parsed(['airflow-dag', '--out', 'x.py'])).toMatchObject({
      name: 'airflow-dag',
      options: { out: 'x.py' },
    });
    expect(
      parsed([
        'models',
        'build',
        '--select',
        '+dim_user,fact_viewing_session',
        'tag:daily',
        '--validate',
      ]),
    ).toMatchObject({
      name: 'models build',
      options: {
        select: ['+dim_user', 'fact_viewing_session', 'tag:daily'],
        validate: true,
        dryRun: false,
      },
    });
    expect(parsed(['models', 'build', 'dim_user', '-s', 'stg_users'])).toMatchObject({
      options: { select: ['stg_users', 'dim_user'] },
    });
    expect(parsed(['models', 'build', '--force-full-refresh'])).toMatchObject({
      options: { fullRefresh: true, forceFullRefresh: true },
    });
    expect(parsed(['models', 'docs'])).toMatchObject({
      name: 'models docs',
      options: { out: undefined },
    });
  });

  it("prints each command's own usage on --help and selects nothing to run", () => {
    const cases = [
      { argv: ['--help'], shows: ['Usage: pnpm pipeline [options] [command]', 'airflow-dag'] },
      { argv: ['run', '--help'], shows: ['Usage: pnpm pipeline run [options]', '--resume'] },
      {
        argv: ['task', '-h'],
        shows: ['Usage: pnpm pipeline task [options] <task-id>', '--run-id'],
      },
      { argv: ['status', '--help'], shows: ['--limit <n>'] },
      { argv: ['models', '--help'], shows: ['Usage: pnpm pipeline models [options] [command]'] },
      {
        argv: ['models', 'build', '--help'],
        shows: ['Usage: pnpm pipeline models build [options] [selectors...]', '--dry-run'],
      },
      { argv: ['models', 'docs', '--help'], shows: ['--out <dir>'] },
      { argv: ['help', 'generate'], shows: ['Usage: pnpm pipeline generate [options]'] },
    ];
    for (const { argv, shows } of cases) {
      const { command, printed } = parse(argv);
      expect(command.name, argv.join(' ')).toBe('help');
      for (const text of shows) expect(printed.out, argv.join(' ')).toContain(text);
      expect(printed.out).toContain('Exit codes: 0 success');
    }
    // Each command's usage is its own, not the global one.
    expect(parse(['models', 'build', '--help']).printed.out).not.toContain('airflow-dag');
  });

  it('rejects bad input with a message naming the flag', () => {
    expect(() => parsed(['--seed', 'abc'])).toThrow(
      'run: --seed: Invalid input: expected number, received NaN',
    );
    expect(() => parsed(['--sclae', 'tiny'])).toThrow("unknown option '--sclae'");
    expect(() => parsed(['--from', 'a', '--only', 'b'])).toThrow(
      "option '--from <task>' cannot be used with option '--only <task>'",
    );
    expect(() => parsed(['--from', 'Extract'])).toThrow('run --from: must be a task id');
    expect(() => parsed(['task'])).toThrow("missing required argument 'task-id'");
    expect(() => parsed(['task', 'a', 'b'])).toThrow('too many arguments');
    expect(() => parsed(['status', '--limit', '0'])).toThrow('status --limit:');
    expect(() => parsed(['deploy'])).toThrow("unknown command 'deploy'");
    expect(() => parsed(['models', 'deploy'])).toThrow("unknown command 'deploy'");
    expect(() => parsed(['models'])).toThrow('a subcommand is required');
    expect(() => parsed(['models', 'build', '--dry-run', '--validate'])).toThrow(
      "option '--dry-run' cannot be used with option '--validate'",
    );
  });
});

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ReelhouseError } from '@reelhouse/core';

export interface CommandMeasurement {
  readonly wallMs: number;
  /** Peak resident set size of the command and its waited-for children, from `/usr/bin/time -v`. */
  readonly maxRssMb: number;
  readonly stdout: string;
}

export interface MeasureProcessOptions {
  /** Program and arguments, run without a shell. */
  readonly argv: readonly [string, ...string[]];
  /** Variables added to the inherited environment. */
  readonly env?: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** Names the process in a failure message (default: its command line). */
  readonly label?: string;
}

/**
 * Runs a program under GNU time and returns wall time and peak RSS. A non-zero exit fails with the
 * program's stderr, so a broken contender never reads as a fast one.
 */
export async function measureProcess(options: MeasureProcessOptions): Promise<CommandMeasurement> {
  const dir = mkdtempSync(join(tmpdir(), 'reelhouse-bench-'));
  const timeFile = join(dir, 'time.txt');
  try {
    const started = process.hrtime.bigint();
    const { code, stdout, stderr } = await new Promise<{
      code: number | null;
      stdout: string;
      stderr: string;
    }>((resolve, reject) => {
      const child = spawn('/usr/bin/time', ['-v', '-o', timeFile, ...options.argv], {
        // eslint-disable-next-line no-restricted-properties -- the child inherits the environment, plus the stage's variables
        env: { ...process.env, ...options.env },
        stdio: ['ignore', 'pipe', 'pipe'],
        ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      child.on('error', reject);
      child.on('close', (exitCode) => resolve({ code: exitCode, stdout: out, stderr: err }));
    });
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (code !== 0) {
      throw new ReelhouseError({
        code: 'internal',
        message: `benchmark command failed (exit ${code}): ${options.label ?? options.argv.join(' ')}\n${stderr.slice(-4000)}`,
        context: { argv: options.argv },
      });
    }
    return { wallMs, maxRssMb: parseMaxRssKb(readFileSync(timeFile, 'utf8')) / 1024, stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs a shell command line (bash, `pipefail`: a failing producer in a pipe fails it) under GNU time. */
export function measureCommand(
  command: string,
  env: Readonly<Record<string, string>> = {},
): Promise<CommandMeasurement> {
  return measureProcess({ argv: ['bash', '-o', 'pipefail', '-c', command], env });
}

/** Reads "Maximum resident set size (kbytes): N" from GNU time's verbose output. */
export function parseMaxRssKb(timeOutput: string): number {
  const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(timeOutput);
  if (match?.[1] === undefined)
    throw new ReelhouseError({ code: 'internal', message: 'no peak RSS in /usr/bin/time output' });
  return Number(match[1]);
}

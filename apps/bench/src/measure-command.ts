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

/**
 * Runs `sh -c command` under GNU time and returns wall time and peak RSS. A non-zero exit fails with
 * the command's stderr, so a broken baseline never reads as a fast one.
 */
export async function measureCommand(command: string, env: Readonly<Record<string, string>> = {}): Promise<CommandMeasurement> {
  const dir = mkdtempSync(join(tmpdir(), 'reelhouse-bench-'));
  const timeFile = join(dir, 'time.txt');
  try {
    const started = process.hrtime.bigint();
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      // eslint-disable-next-line no-restricted-properties -- the child inherits the environment, plus the stage's variables
      const child = spawn('/usr/bin/time', ['-v', '-o', timeFile, 'sh', '-c', command], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      child.on('error', reject);
      child.on('close', (exitCode) => resolve({ code: exitCode, stdout: out, stderr: err }));
    });
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (code !== 0) {
      throw new ReelhouseError({ code: 'internal', message: `benchmark command failed (exit ${code}): ${command}\n${stderr.slice(-4000)}` });
    }
    return { wallMs, maxRssMb: parseMaxRssKb(readFileSync(timeFile, 'utf8')) / 1024, stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Reads "Maximum resident set size (kbytes): N" from GNU time's verbose output. */
export function parseMaxRssKb(timeOutput: string): number {
  const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(timeOutput);
  if (match?.[1] === undefined) throw new ReelhouseError({ code: 'internal', message: 'no peak RSS in /usr/bin/time output' });
  return Number(match[1]);
}

import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const appDir = join(import.meta.dirname, '..');

export interface CliResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Starts the pipeline CLI as a child process (`node --import tsx src/cli.ts ...`) with extra environment. */
export function spawnCli(
  args: readonly string[],
  env: Readonly<Record<string, string>>,
  options: { readonly detached?: boolean } = {},
): ChildProcess & { readonly result: Promise<CliResult> } {
  // eslint-disable-next-line no-restricted-properties -- the child needs PATH and HOME; its configuration is the explicit `env`
  const inherited = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: appDir,
    env: { ...inherited, REELHOUSE_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group, so a test can kill the whole group as a terminal would.
    detached: options.detached === true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const result = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return Object.assign(child, { result });
}

/**
 * Starts `pnpm pipeline ...` from the repository root as a user would, leader of its own process
 * group (as a terminal's job control makes it), so tests can signal the top `pnpm` or the group.
 */
export function spawnPnpmPipeline(
  args: readonly string[],
  env: Readonly<Record<string, string>>,
): ChildProcess & { readonly result: Promise<CliResult> } {
  // eslint-disable-next-line no-restricted-properties -- the child needs PATH and HOME; its configuration is the explicit `env`
  const inherited = process.env;
  const child = spawn('pnpm', ['--silent', 'pipeline', ...args], {
    cwd: join(appDir, '..', '..'),
    env: { ...inherited, REELHOUSE_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const result = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return Object.assign(child, { result });
}

/** Pids of the live (not zombie) processes of a process group. */
export function processGroupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, , pgrp] = text.slice(text.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z') members.push(Number(entry));
    } catch {
      // Gone while listing.
    }
  }
  return members;
}

/** Runs the CLI to its end. */
export function runCli(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<CliResult> {
  return spawnCli(args, env).result;
}

import { spawn, type ChildProcess } from 'node:child_process';
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
): ChildProcess & { readonly result: Promise<CliResult> } {
  // eslint-disable-next-line no-restricted-properties -- the child needs PATH and HOME; its configuration is the explicit `env`
  const inherited = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    cwd: appDir,
    env: { ...inherited, REELHOUSE_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
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

/** Runs the CLI to its end. */
export function runCli(
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<CliResult> {
  return spawnCli(args, env).result;
}

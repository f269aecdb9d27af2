import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { ReelhouseError } from '@reelhouse/core';
import { z } from 'zod';

import type { StageName } from './bench-options.ts';
import { measureProcess } from './measure-command.ts';
import type { Contender, Measurement } from './run-contenders.ts';
import { childOutcome } from './stage-module.ts';

const childLine = childOutcome.extend({ ms: z.number().positive() });

const appDir = dirname(dirname(fileURLToPath(import.meta.url)));
const entry = fileURLToPath(new URL('./stage-child.ts', import.meta.url));
const tsxLoader = import.meta.resolve('tsx');
/**
 * The heap cap `pnpm pipeline` and `pnpm models:build` run with (apps/pipeline/package.json):
 * without it V8 sizes the heap from the machine's RAM and peak RSS measures lazy collection.
 */
const heapCap = '--max-old-space-size=512';

export interface StageChildRun extends Measurement {
  readonly rows: number;
}

/**
 * Runs a stage's Reelhouse side in a fresh Node process under GNU time. The job (URLs included)
 * travels in a private temp file, not argv, so no password shows in `ps`. With `profileDir`, Node
 * writes a CPU profile there.
 */
export async function runStageChild(options: {
  stage: StageName;
  job: unknown;
  profileDir?: string;
}): Promise<StageChildRun> {
  const dir = mkdtempSync(join(tmpdir(), 'reelhouse-bench-job-'));
  const jobFile = join(dir, 'job.json');
  writeFileSync(jobFile, JSON.stringify(options.job), { mode: 0o600 });
  try {
    const profile =
      options.profileDir === undefined
        ? []
        : ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`];
    if (options.profileDir !== undefined) mkdirSync(options.profileDir, { recursive: true });
    const { stdout, maxRssMb } = await measureProcess({
      argv: [
        process.execPath,
        heapCap,
        ...profile,
        '--import',
        tsxLoader,
        entry,
        options.stage,
        jobFile,
      ],
      cwd: appDir,
      label: `stage-child.ts ${options.stage}`,
    });
    const last = stdout.trim().split('\n').at(-1) ?? '';
    const parsed = childLine.safeParse(safeJson(last));
    if (!parsed.success) {
      throw new ReelhouseError({
        code: 'internal',
        message: `stage ${options.stage}: the child printed no result line`,
        context: { stage: options.stage, stdout: stdout.slice(-2000) },
      });
    }
    return {
      ms: parsed.data.ms,
      rows: parsed.data.rows,
      maxRssMb,
      ...(parsed.data.parts === undefined ? {} : { parts: parsed.data.parts }),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A contender whose runs are `runStageChild` calls: measured, and profiled on request. */
export function childContender(options: {
  name: string;
  stage: StageName;
  job: unknown;
  prepare?: () => Promise<void>;
  verify?: () => Promise<void>;
  /** Default true: profiled with `--profile`. */
  profiled?: boolean;
}): Contender {
  return {
    name: options.name,
    ...(options.prepare === undefined ? {} : { prepare: options.prepare }),
    ...(options.verify === undefined ? {} : { verify: options.verify }),
    measure: () => runStageChild({ stage: options.stage, job: options.job }),
    ...(options.profiled === false
      ? {}
      : {
          profile: (dir: string) =>
            runStageChild({ stage: options.stage, job: options.job, profileDir: dir }),
        }),
  };
}

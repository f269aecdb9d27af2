import type { Logger } from '@reelhouse/core';

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { ContenderRuns } from './bench-result.ts';
import { summarizeProfile, type ProfileEntry } from './summarize-profile.ts';

/** One timed execution: wall or in-process time, peak RSS, and optional sub-timings. */
export interface Measurement {
  readonly ms: number;
  readonly maxRssMb: number;
  readonly parts?: Readonly<Record<string, number>>;
}

export interface Contender {
  readonly name: string;
  /** Untimed: puts the databases in the state the run starts from (truncate, add new rows...). */
  readonly prepare?: () => Promise<void>;
  readonly measure: () => Promise<Measurement>;
  /** Untimed: checks the run did the work (row counts), so a broken contender never reads as fast. */
  readonly verify?: () => Promise<void>;
  /** Fewer measured runs than the stage's (pgloader: one, it takes ~10× longer). */
  readonly runs?: number;
  readonly warmup?: boolean;
  /** One extra, unmeasured run under `node --cpu-prof`, writing its profile into the folder given. */
  readonly profile?: (dir: string) => Promise<Measurement>;
}

export interface ContenderResult extends ContenderRuns {
  /** Sub-timings per run, by part name. */
  readonly parts: Readonly<Record<string, readonly number[]>>;
  /** Self time per function of the profiled run, when one was asked for. */
  readonly profile?: readonly ProfileEntry[];
}

/**
 * Warms every contender up once, then runs them interleaved (A B A B ...) so a drift of the
 * machine (page cache, autovacuum, a neighbour's load) hits all of them alike.
 */
export async function runContenders(options: {
  contenders: readonly Contender[];
  runs: number;
  warmup: boolean;
  logger: Logger;
  profileDir?: string | undefined;
}): Promise<ContenderResult[]> {
  const { contenders, logger } = options;
  const once = async (contender: Contender, label: string): Promise<Measurement> => {
    await contender.prepare?.();
    const measurement = await contender.measure();
    await contender.verify?.();
    logger.info(
      {
        contender: contender.name,
        run: label,
        seconds: Number((measurement.ms / 1000).toFixed(2)),
        maxRssMb: Math.round(measurement.maxRssMb),
      },
      `${contender.name} ${label}`,
    );
    return measurement;
  };
  if (options.warmup) {
    for (const contender of contenders)
      if (contender.warmup !== false) await once(contender, 'warm-up');
  }
  const collected = contenders.map(() => [] as Measurement[]);
  for (let run = 0; run < options.runs; run += 1) {
    for (const [index, contender] of contenders.entries()) {
      if (run < (contender.runs ?? options.runs))
        collected[index]?.push(await once(contender, `run ${run + 1}`));
    }
  }
  const profiles = new Map<Contender, ProfileEntry[]>();
  if (options.profileDir !== undefined) {
    for (const [index, contender] of contenders.entries()) {
      if (contender.profile === undefined) continue;
      const dir = join(options.profileDir, String(index));
      await contender.prepare?.();
      await contender.profile(dir);
      profiles.set(contender, newestProfile(dir));
      logger.info({ contender: contender.name, dir }, `${contender.name} profiled`);
    }
  }
  return contenders.map((contender, index) => {
    const measurements = collected[index] ?? [];
    const parts: Record<string, number[]> = {};
    for (const m of measurements)
      for (const [part, ms] of Object.entries(m.parts ?? {})) (parts[part] ??= []).push(ms);
    const profile = profiles.get(contender);
    return {
      name: contender.name,
      runsMs: measurements.map((m) => m.ms),
      maxRssMb: Math.max(0, ...measurements.map((m) => m.maxRssMb)),
      parts,
      ...(profile === undefined ? {} : { profile }),
    };
  });
}

function newestProfile(dir: string): ProfileEntry[] {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.cpuprofile'))
    .sort();
  const last = files.at(-1);
  return last === undefined
    ? []
    : summarizeProfile(JSON.parse(readFileSync(join(dir, last), 'utf8')));
}

import type { ContenderSummary, StageResult, TargetOutcome } from './bench-report.ts';
import type { ProfileEntry } from './summarize-profile.ts';
import { median, rowsPerSecond, speedRatio } from './statistics.ts';

/** The timed runs of one contender (Reelhouse or a baseline) in one stage. */
export interface ContenderRuns {
  readonly name: string;
  readonly runsMs: readonly number[];
  readonly maxRssMb: number;
}

/** A target: Reelhouse's speed relative to one baseline (baseline time / ours) must reach `minRatio`. */
export interface RatioTarget {
  readonly baseline: string;
  readonly minRatio: number;
  readonly description: string;
}

export interface StageSpec {
  readonly stage: string;
  readonly rows: number;
  /** Volume written, where bytes per second mean something (generation). */
  readonly bytes?: number;
  readonly ours: ContenderRuns;
  readonly baselines: readonly ContenderRuns[];
  readonly targets: readonly RatioTarget[];
  /** Absolute floor for our rows/s, where the issue states one (generation). */
  readonly minRowsPerSecond?: number;
  readonly maxRssMb?: number;
  readonly notes?: readonly string[];
  readonly profile?: readonly ProfileEntry[] | undefined;
}

function summarize(runs: ContenderRuns, spec: StageSpec): ContenderSummary {
  const medianMs = median(runs.runsMs);
  return {
    name: runs.name,
    medianMs,
    rowsPerSecond: rowsPerSecond(spec.rows, medianMs),
    ...(spec.bytes === undefined ? {} : { bytesPerSecond: rowsPerSecond(spec.bytes, medianMs) }),
    maxRssMb: runs.maxRssMb,
    runsMs: [...runs.runsMs],
  };
}

/** Turns raw timings into medians, rows/s, ratios against each baseline and target outcomes. */
export function evaluateStage(spec: StageSpec): StageResult {
  const ours = summarize(spec.ours, spec);
  const baselines = spec.baselines.map((b) => summarize(b, spec));
  const outcomes: TargetOutcome[] = spec.targets.map((target) => {
    const baseline = baselines.find((b) => b.name === target.baseline);
    if (baseline === undefined)
      throw new RangeError(`target names unknown baseline ${target.baseline}`);
    const ratio = speedRatio(ours.medianMs, baseline.medianMs);
    return {
      description: target.description,
      ratio,
      required: target.minRatio,
      met: ratio >= target.minRatio,
    };
  });
  if (spec.minRowsPerSecond !== undefined) {
    outcomes.push({
      description: `≥ ${spec.minRowsPerSecond.toLocaleString('en-US')} rows/s`,
      ratio: ours.rowsPerSecond / spec.minRowsPerSecond,
      required: 1,
      met: ours.rowsPerSecond >= spec.minRowsPerSecond,
    });
  }
  if (spec.maxRssMb !== undefined) {
    outcomes.push({
      description: `peak RSS < ${spec.maxRssMb} MB`,
      ratio: spec.maxRssMb / ours.maxRssMb,
      required: 1,
      met: ours.maxRssMb < spec.maxRssMb,
    });
  }
  return {
    stage: spec.stage,
    rows: spec.rows,
    ours,
    baselines,
    outcomes,
    notes: [...(spec.notes ?? [])],
    ...(spec.profile === undefined ? {} : { profile: spec.profile.map((entry) => ({ ...entry })) }),
  };
}

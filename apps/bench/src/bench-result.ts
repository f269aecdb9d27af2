import { median, rowsPerSecond, speedRatio } from './statistics.ts';

/** The timed runs of one contender (Reelhouse or a baseline) in one stage. */
export interface ContenderRuns {
  readonly name: string;
  readonly runsMs: readonly number[];
  readonly maxRssMb: number;
}

/** A target: Reelhouse's speed relative to one baseline must reach `minRatio`. */
export interface RatioTarget {
  readonly baseline: string;
  readonly minRatio: number;
  readonly description: string;
}

export interface StageSpec {
  readonly stage: string;
  readonly rows: number;
  readonly ours: ContenderRuns;
  readonly baselines: readonly ContenderRuns[];
  readonly targets: readonly RatioTarget[];
  /** Absolute floor for our rows/s, where the issue states one (generation). */
  readonly minRowsPerSecond?: number;
  readonly maxRssMb?: number;
  readonly notes?: readonly string[];
}

export interface ContenderSummary {
  readonly name: string;
  readonly medianMs: number;
  readonly rowsPerSecond: number;
  readonly maxRssMb: number;
  readonly runsMs: readonly number[];
}

export interface TargetOutcome {
  readonly description: string;
  readonly ratio: number;
  readonly met: boolean;
}

export interface StageResult {
  readonly stage: string;
  readonly rows: number;
  readonly ours: ContenderSummary;
  readonly baselines: readonly ContenderSummary[];
  readonly outcomes: readonly TargetOutcome[];
  readonly notes: readonly string[];
}

function summarize(runs: ContenderRuns, rows: number): ContenderSummary {
  const medianMs = median(runs.runsMs);
  return { name: runs.name, medianMs, rowsPerSecond: rowsPerSecond(rows, medianMs), maxRssMb: runs.maxRssMb, runsMs: runs.runsMs };
}

/** Turns raw timings into medians, rows/s, ratios against each baseline and target outcomes. */
export function evaluateStage(spec: StageSpec): StageResult {
  const ours = summarize(spec.ours, spec.rows);
  const baselines = spec.baselines.map((b) => summarize(b, spec.rows));
  const outcomes: TargetOutcome[] = spec.targets.map((target) => {
    const baseline = baselines.find((b) => b.name === target.baseline);
    if (baseline === undefined) throw new RangeError(`target names unknown baseline ${target.baseline}`);
    const ratio = speedRatio(ours.medianMs, baseline.medianMs);
    return { description: target.description, ratio, met: ratio >= target.minRatio };
  });
  if (spec.minRowsPerSecond !== undefined) {
    outcomes.push({ description: `≥ ${spec.minRowsPerSecond.toLocaleString('en-US')} rows/s`, ratio: ours.rowsPerSecond / spec.minRowsPerSecond, met: ours.rowsPerSecond >= spec.minRowsPerSecond });
  }
  if (spec.maxRssMb !== undefined) {
    outcomes.push({ description: `peak RSS < ${spec.maxRssMb} MB`, ratio: spec.maxRssMb / ours.maxRssMb, met: ours.maxRssMb < spec.maxRssMb });
  }
  return { stage: spec.stage, rows: spec.rows, ours, baselines, outcomes, notes: spec.notes ?? [] };
}

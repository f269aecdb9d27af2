import type { ContenderSummary, StageResult, StageTable, TargetOutcome } from './bench-report.ts';
import type { ProfileEntry } from './summarize-profile.ts';
import { median, rowsPerSecond, speedRatio } from './statistics.ts';

/** The timed runs of one contender (Reelhouse or a baseline) in one stage. */
export interface ContenderRuns {
  readonly name: string;
  readonly runsMs: readonly number[];
  readonly maxRssMb: number;
  /** Sub-timings per run, by part name (e.g. an incremental run's `build`). */
  readonly parts?: Readonly<Record<string, readonly number[]>>;
}

/** A target: Reelhouse's speed relative to one baseline (baseline time / ours) must reach `minRatio`. */
export interface RatioTarget {
  readonly baseline: string;
  readonly minRatio: number;
  readonly description: string;
  /** Compare the medians of this part of both contenders' runs instead of their whole runs. */
  readonly part?: string;
}

function partMedian(runs: ContenderRuns, part: string): number {
  const times = runs.parts?.[part];
  if (times === undefined || times.length === 0)
    throw new RangeError(`target names part ${part} that ${runs.name} did not report`);
  return median(times);
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
  /** Absolute ceilings the issue states in milliseconds (a panel's p95, a first render): ratio = limit / value. */
  readonly ceilingsMs?: readonly {
    readonly description: string;
    readonly valueMs: number;
    readonly limitMs: number;
  }[];
  readonly notes?: readonly string[];
  readonly profile?: readonly ProfileEntry[] | undefined;
  readonly tables?: readonly StageTable[];
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
    const baseline = spec.baselines.find((b) => b.name === target.baseline);
    if (baseline === undefined)
      throw new RangeError(`target names unknown baseline ${target.baseline}`);
    const ratio =
      target.part === undefined
        ? speedRatio(ours.medianMs, median(baseline.runsMs))
        : speedRatio(partMedian(spec.ours, target.part), partMedian(baseline, target.part));
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
  for (const ceiling of spec.ceilingsMs ?? []) {
    outcomes.push({
      description: ceiling.description,
      ratio: ceiling.limitMs / ceiling.valueMs,
      required: 1,
      met: ceiling.valueMs < ceiling.limitMs,
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
    ...(spec.tables === undefined
      ? {}
      : {
          tables: spec.tables.map((table) => ({
            title: table.title,
            columns: [...table.columns],
            rows: table.rows.map((row) => [...row]),
          })),
        }),
  };
}

import { z } from 'zod';

/** One contender's timed runs, summarized. `bytesPerSecond` only where the stage measures volume. */
export const contenderSummary = z.strictObject({
  name: z.string(),
  medianMs: z.number().positive(),
  rowsPerSecond: z.number().nonnegative(),
  bytesPerSecond: z.number().nonnegative().optional(),
  maxRssMb: z.number().nonnegative(),
  runsMs: z.array(z.number().positive()).min(1),
});
export type ContenderSummary = z.output<typeof contenderSummary>;

/** A target judged on medians: `ratio` (baseline time / ours, or ours / floor) against the `required` one. */
export const targetOutcome = z.strictObject({
  description: z.string(),
  ratio: z.number(),
  required: z.number(),
  met: z.boolean(),
});
export type TargetOutcome = z.output<typeof targetOutcome>;

/** Self time of one function in a CPU profile of the Reelhouse child. */
export const profileEntry = z.strictObject({
  frame: z.string(),
  selfMs: z.number().nonnegative(),
  share: z.number().min(0).max(1),
});

/** A detail table of a stage (the dashboard's per-panel percentiles), rendered under its notes. */
export const stageTable = z.strictObject({
  title: z.string(),
  columns: z.array(z.string()).min(1),
  rows: z.array(z.array(z.string())),
});
export type StageTable = z.output<typeof stageTable>;

export const stageResult = z.strictObject({
  stage: z.string(),
  rows: z.int().nonnegative(),
  ours: contenderSummary,
  baselines: z.array(contenderSummary),
  outcomes: z.array(targetOutcome),
  notes: z.array(z.string()),
  /** Top self-time functions of one profiled Reelhouse run (`--profile`). */
  profile: z.array(profileEntry).optional(),
  tables: z.array(stageTable).optional(),
});
export type StageResult = z.output<typeof stageResult>;

export const machineInfo = z.strictObject({
  cores: z.int().positive(),
  memoryGb: z.number().positive(),
  cpu: z.string(),
  os: z.string(),
  node: z.string(),
  postgres: z.string(),
  mongo: z.string(),
  pgloader: z.string(),
});
export type MachineInfo = z.output<typeof machineInfo>;

/** The JSON written to `bench/results/`: one run of `pnpm bench` at one scale. */
export const benchReport = z.strictObject({
  schemaVersion: z.literal(1),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  sessions: z.int().positive(),
  runs: z.int().positive(),
  warmup: z.boolean(),
  machine: machineInfo,
  dataSet: z.strictObject({
    folder: z.string(),
    counts: z.record(z.string(), z.int().nonnegative()),
    bytes: z.int().nonnegative(),
  }),
  stages: z.array(stageResult),
  /** Stages that could not run (a missing package, a failing step), with the reason. */
  failures: z.array(z.strictObject({ stage: z.string(), error: z.string() })),
});
export type BenchReport = z.output<typeof benchReport>;

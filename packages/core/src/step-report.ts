/**
 * What every pipeline step returns: counts a run history and a quality report can store.
 * `rowsRejected` rows went to a quarantine table, never silently dropped.
 */
export interface StepReport {
  readonly step: string;
  readonly rowsRead: number;
  readonly rowsWritten: number;
  readonly rowsRejected: number;
  readonly durationMs: number;
  readonly warnings: readonly string[];
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Sums the counts of several reports into one named report. */
export function combineReports(step: string, reports: readonly StepReport[]): StepReport {
  return {
    step,
    rowsRead: reports.reduce((sum, r) => sum + r.rowsRead, 0),
    rowsWritten: reports.reduce((sum, r) => sum + r.rowsWritten, 0),
    rowsRejected: reports.reduce((sum, r) => sum + r.rowsRejected, 0),
    durationMs: reports.reduce((sum, r) => sum + r.durationMs, 0),
    warnings: reports.flatMap((r) => r.warnings),
    details: Object.fromEntries(reports.map((r) => [r.step, r])),
  };
}

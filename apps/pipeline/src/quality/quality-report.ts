/** Rows of one stream from source to `raw`, with what each gate rejected. */
export interface StreamQuality {
  readonly stream: 'users' | 'viewing_sessions' | 'content';
  readonly source: 'postgres' | 'mongodb';
  readonly sourceRows: number | null;
  readonly sourceRejects: number | null;
  readonly rawRows: number | null;
  readonly rawRejects: number;
}

export interface TableRows {
  readonly table: string;
  readonly rows: number;
}

export interface DataTestSummary {
  readonly model: string;
  readonly name: string;
  readonly status: string;
  readonly failures: number;
}

export interface OrphanCheck {
  readonly check: string;
  /** `null` when a table it needs does not exist (its build did not run). */
  readonly rows: number | null;
}

/** The data quality report of a run, written as JSON and Markdown. */
export interface QualityReport {
  readonly runId: string;
  readonly generatedAt: string;
  readonly status: 'pass' | 'warn' | 'fail';
  readonly streams: readonly StreamQuality[];
  readonly sourceRejects: readonly {
    readonly file: string;
    readonly gate: string;
    readonly rows: number;
  }[];
  readonly rawRejects: readonly {
    readonly stream: string;
    readonly errorCode: string;
    readonly rows: number;
  }[];
  readonly trustedTables: readonly TableRows[];
  /** `null` when the model build left no run results. */
  readonly tests: readonly DataTestSummary[] | null;
  readonly orphans: readonly OrphanCheck[];
}

/** A view, rebuilt on every run. */
export interface ViewMaterialization {
  readonly type: 'view';
}

/** A table built under a temporary name and swapped in one transaction. */
export interface TableMaterialization {
  readonly type: 'table';
}

export type IncrementalStrategy = 'append' | 'delete+insert' | 'merge';

/**
 * A table updated in place from new source rows. With `timeColumn`, the model is built by time
 * range: the interval ledger (`ops.model_intervals`) records built ranges so gaps are rebuilt.
 */
export interface IncrementalMaterialization {
  readonly type: 'incremental';
  readonly strategy: IncrementalStrategy;
  /** Required for `merge` and `delete+insert`. */
  readonly uniqueKey: readonly string[];
  /** Column whose value places a row in an interval (e.g. `started_at`). */
  readonly timeColumn?: string;
  readonly interval?: 'day' | 'hour';
  /** Intervals before the newest built one that are rebuilt on every run (late data). Default 0. */
  readonly lookback?: number;
  /** `false` protects the table: `--full-refresh` will not rebuild it unless forced. Default true. */
  readonly allowFullRefresh?: boolean;
}

export type Materialization =
  ViewMaterialization | TableMaterialization | IncrementalMaterialization;

export const view = (): ViewMaterialization => ({ type: 'view' });
export const table = (): TableMaterialization => ({ type: 'table' });
export const incremental = (
  options: Omit<IncrementalMaterialization, 'type'>,
): IncrementalMaterialization => ({ type: 'incremental', ...options });

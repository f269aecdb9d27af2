/** The gate that caught a bad record: structure, or the zod contract (duplicates included). */
export type RejectGate = 'parse' | 'contract';

/** A quarantined CSV line: where it was, what it said, and why it was refused. */
export interface CsvReject {
  readonly line: number;
  readonly rawText: string;
  readonly gate: RejectGate;
  /** A parse problem (`unbalanced_quote`...), a zod issue code, `out_of_range_for_column` or `duplicate_key`. */
  readonly code: string;
  readonly field: string | null;
  readonly reason: string;
}

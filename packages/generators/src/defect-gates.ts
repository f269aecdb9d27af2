import type { DefectRecord, QualityGate } from '@reelhouse/contracts';

export type DefectClass = DefectRecord['defect'];

/**
 * The gate that must catch each defect class, shared with the loaders: `parse` quarantines the
 * physical line, `contract` is the zod row contract (and the source key: later duplicates are
 * rejected), `relational` is left to the warehouse's SQL tests.
 */
export const defectGates: Readonly<Record<DefectClass, QualityGate>> = {
  extra_column: 'parse',
  missing_column: 'parse',
  unbalanced_quote: 'parse',
  nul_byte: 'parse',
  bom: 'parse',
  crlf_mix: 'parse',
  malformed_json: 'parse',
  empty_required: 'contract',
  out_of_range: 'contract',
  end_before_start: 'contract',
  bad_date_format: 'contract',
  bad_casing: 'contract',
  bad_country_code: 'contract',
  wrong_type: 'contract',
  exact_duplicate: 'contract',
  conflicting_duplicate: 'contract',
  orphan: 'relational',
};

/** One injected defect before it becomes a `defects.jsonl` line. */
export interface InjectedDefect {
  readonly text: string;
  readonly defect: DefectClass;
  readonly key: string | null;
  readonly field: string | null;
}

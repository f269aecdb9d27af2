import type { DefectClass } from './defect-gates.ts';

/** The defect classes every generated CSV file can suffer, whatever its columns. */
export const csvDefectClasses: readonly DefectClass[] = [
  'extra_column',
  'missing_column',
  'unbalanced_quote',
  'nul_byte',
  'bom',
  'crlf_mix',
  'empty_required',
  'out_of_range',
  'end_before_start',
  'bad_date_format',
  'bad_casing',
  'bad_country_code',
  'wrong_type',
  'exact_duplicate',
  'conflicting_duplicate',
];

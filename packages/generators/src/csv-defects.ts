import { csvField, splitCsvLine } from './csv-row.ts';
import type { DefectClass, InjectedDefect } from './defect-gates.ts';
import type { Random } from './random.ts';

/** A cell change that breaks the row contract (or, for orphans, only the relations). */
export interface CellChange {
  readonly field: string;
  readonly value: string;
}

/** What differs between CSV files: columns, key, which classes apply, how values go bad. */
export interface CsvDefectSpec {
  readonly columns: readonly string[];
  readonly keyColumn: string;
  readonly classes: readonly DefectClass[];
  /** A text column a NUL byte can hide in. */
  readonly textColumn: string;
  /** Value-level defects; null when the row offers no way to show this class. */
  readonly change: (
    row: Readonly<Record<string, string>>,
    options: { readonly random: Random; readonly defect: DefectClass },
  ) => CellChange | null;
}

function join(cells: readonly string[]): string {
  return cells.map(csvField).join(',');
}

/** Applies one defect class to a clean CSV line; null when the class does not fit this line. */
export function corruptCsvLine(
  spec: CsvDefectSpec,
  options: {
    readonly random: Random;
    readonly defect: DefectClass;
    readonly text: string;
    readonly previousKept: string | null;
  },
): InjectedDefect | null {
  const { random, defect, text } = options;
  const cells = splitCsvLine(text);
  const keyIndex = spec.columns.indexOf(spec.keyColumn);
  const key = cells[keyIndex] ?? null;
  const previous =
    options.previousKept === null || options.previousKept === spec.columns.join(',')
      ? null
      : options.previousKept;
  switch (defect) {
    case 'extra_column':
      return { text: `${text},${random.pick(['x', '0', 'N/A'])}`, defect, key: null, field: null };
    case 'missing_column':
      return {
        text: join(cells.slice(0, -1)),
        defect,
        key: null,
        field: spec.columns.at(-1) ?? null,
      };
    case 'unbalanced_quote': {
      // Only on lines without quotes, so the stray quote can never pair with another.
      if (text.includes('"')) return null;
      const index = random.int(1, cells.length - 1);
      return {
        text: cells.map((cell, i) => (i === index ? `"${cell}` : cell)).join(','),
        defect,
        key: null,
        field: spec.columns[index] ?? null,
      };
    }
    case 'nul_byte': {
      const index = spec.columns.indexOf(spec.textColumn);
      const value = cells[index] ?? '';
      if (value.length === 0) return null;
      const at = random.int(0, value.length);
      return {
        text: join(
          cells.map((cell, i) =>
            i === index ? `${value.slice(0, at)}\0${value.slice(at)}` : cell,
          ),
        ),
        defect,
        key: null,
        field: spec.textColumn,
      };
    }
    case 'bom':
      return { text: `\uFEFF${text}`, defect, key: null, field: null };
    case 'crlf_mix':
      return { text: `${text}\r`, defect, key: null, field: null };
    case 'exact_duplicate': {
      if (previous === null) return null;
      return {
        text: previous,
        defect,
        key: splitCsvLine(previous)[keyIndex] ?? null,
        field: spec.keyColumn,
      };
    }
    case 'conflicting_duplicate': {
      if (previous === null) return null;
      const previousKey = splitCsvLine(previous)[keyIndex] ?? '';
      const conflicting = join(cells.map((cell, i) => (i === keyIndex ? previousKey : cell)));
      return conflicting === previous
        ? null
        : { text: conflicting, defect, key: previousKey, field: spec.keyColumn };
    }
    case 'malformed_json':
      return null;
    case 'empty_required':
    case 'out_of_range':
    case 'end_before_start':
    case 'bad_date_format':
    case 'bad_casing':
    case 'bad_country_code':
    case 'wrong_type':
    case 'orphan': {
      const row = Object.fromEntries(spec.columns.map((column, i) => [column, cells[i] ?? '']));
      const change = spec.change(row, { random, defect });
      if (change === null) return null;
      const index = spec.columns.indexOf(change.field);
      return {
        text: join(cells.map((cell, i) => (i === index ? change.value : cell))),
        defect,
        key: change.field === spec.keyColumn ? null : key,
        field: change.field,
      };
    }
  }
}

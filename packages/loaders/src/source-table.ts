import type { z } from 'zod';

import type { ColumnRule } from './column-rule.ts';

/** PostgreSQL types the source tables use; the loader checks values fit them before COPY. */
export type SourceColumnType =
  | 'uuid'
  | 'text'
  | 'char2'
  | 'char3'
  | 'smallint'
  | 'integer'
  | 'bigint'
  | 'boolean'
  | 'timestamptz';

export interface SourceColumn {
  readonly name: string;
  readonly type: SourceColumnType;
  readonly nullable: boolean;
  /** What the contract accepts in this column: becomes its CHECK and the loader's fast pre-check. */
  readonly rule: ColumnRule;
}

/**
 * One CSV file and the source table it lands in: the column order is the contract's, the checks
 * mirror the zod schema, so a row the contract accepts is a row the table accepts.
 */
export interface SourceTable {
  readonly file: string;
  readonly table: string;
  readonly key: string;
  readonly columns: readonly SourceColumn[];
  /** Cross-field rules of the contract, as named table constraints. */
  readonly tableChecks: Readonly<Record<string, string>>;
  /** Timestamp pairs `[earlier, later]` the table checks order; compared as instants, not as text. */
  readonly orderedTimestamps: readonly (readonly [string, string])[];
  /** The contract's other cross-field rules over the cells in column order, for the fast pre-check. */
  readonly crossFieldRule: (cells: readonly string[]) => boolean;
  readonly schema: z.ZodType;
}

/** The SQL type of a source column as written in DDL. */
export function sqlType(type: SourceColumnType): string {
  switch (type) {
    case 'char2':
      return 'char(2)';
    case 'char3':
      return 'char(3)';
    case 'uuid':
    case 'text':
    case 'smallint':
    case 'integer':
    case 'bigint':
    case 'boolean':
    case 'timestamptz':
      return type;
  }
}

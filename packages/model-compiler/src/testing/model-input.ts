import type { Selectable } from 'kysely';

import type { RawSchema } from '@reelhouse/warehouse';

import type { AnyModel, RowOf, SourceName } from '../define-model.ts';
import type { SqlType } from '../sql-type.ts';

/** Fixture rows standing in for one upstream model or one `raw` table in an isolation test. */
export type ModelInput =
  | { readonly kind: 'model_rows'; readonly model: AnyModel; readonly rows: readonly object[] }
  | {
      readonly kind: 'source_rows';
      readonly source: SourceName;
      readonly rows: readonly object[];
      readonly columns: Readonly<Record<string, SqlType>>;
    };

export type ModelInputs = readonly ModelInput[];

/** Rows of an upstream model, typed by its row type; the table gets the model's contract types. */
export function modelRows<M extends AnyModel>(model: M, rows: readonly RowOf<M>[]): ModelInput {
  return { kind: 'model_rows', model, rows };
}

/** A `raw` row in a fixture: any subset of its columns, each possibly null (defects to catch). */
export type SourceRow<S extends SourceName> = {
  readonly [K in keyof Selectable<RawSchema[S]>]?: Selectable<RawSchema[S]>[K] | null;
};

/**
 * Rows of a `raw` table (only the columns the model reads are needed); columns given a type exist
 * even when no row has them. Column types are inferred
 * from the values (integer, double precision, text, boolean, timestamptz, jsonb, text[]) unless given.
 */
export function sourceRows<S extends SourceName>(
  source: S,
  rows: readonly SourceRow<S>[],
  columns: Partial<Record<keyof RawSchema[S] & string, SqlType>> = {},
): ModelInput {
  return {
    kind: 'source_rows',
    source,
    rows,
    columns: columns as Readonly<Record<string, SqlType>>,
  };
}

/** The SQL type a fixture column gets when the test does not declare it: from its first non-null value. */
export function inferSqlType(values: readonly unknown[]): SqlType {
  const present = values.filter((value) => value !== null && value !== undefined);
  const first = present[0];
  if (first === undefined || typeof first === 'string') return 'text';
  if (typeof first === 'boolean') return 'boolean';
  if (typeof first === 'bigint') return 'bigint';
  if (typeof first === 'number') {
    if (!present.every((value) => Number.isInteger(value))) return 'double precision';
    return present.every((value) => Math.abs(value as number) < 2 ** 31) ? 'integer' : 'bigint';
  }
  if (first instanceof Date) return 'timestamptz';
  if (Array.isArray(first) && first.every((item) => typeof item === 'string')) return 'text[]';
  return 'jsonb';
}

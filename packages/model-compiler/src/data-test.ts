import type { SelectQueryBuilder } from 'kysely';

import type { AnyModel, ModelContext } from './define-model.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a failing-rows query over any tables
export type FailingRowsQuery = SelectQueryBuilder<any, any, object>;

export type Severity = 'error' | 'warn';

/**
 * A custom test's failing rows. `self` is the relation under test, whole; `newRows` holds the rows
 * this build wrote: the delta in an incremental run, else `self`. A test whose rule spans rows of
 * one key (say, a user's versions) can check only the keys in `newRows` against `self`, as dbt's
 * tests take a `where`: an incremental build then reads its changes, not the whole table. Both are
 * quoted and schema-qualified.
 */
export type CustomTestQuery = (
  ctx: ModelContext,
  self: string,
  newRows: string,
) => FailingRowsQuery;

/** When a test fails: above `errorAbove` failing rows it is an error, above `warnAbove` a warning. */
export interface TestConfig {
  readonly severity?: Severity;
  /** Failing rows tolerated before the test counts as failed at its severity. Default 0. */
  readonly errorAbove?: number;
  readonly warnAbove?: number;
  /** Failing rows kept in the results as samples. Default 5. */
  readonly sampleSize?: number;
}

type Column<Row> = keyof Row & string;

export type DataTest<Row> =
  | ({ readonly kind: 'unique'; readonly columns: readonly Column<Row>[] } & TestConfig)
  | ({ readonly kind: 'not_null'; readonly column: Column<Row> } & TestConfig)
  | ({
      readonly kind: 'accepted_values';
      readonly column: Column<Row>;
      readonly values: readonly (string | number | boolean)[];
    } & TestConfig)
  | ({
      readonly kind: 'relationships';
      readonly column: Column<Row>;
      readonly to: AnyModel;
      readonly field: string;
    } & TestConfig)
  | ({
      readonly kind: 'custom';
      readonly name: string;
      /** Returns the failing rows; zero rows means the test passes. */
      readonly failingRows: CustomTestQuery;
    } & TestConfig);

/** Typed constructors handed to a model's `tests`, so a misspelled column is a compile error. */
export interface TestBuilders<Row> {
  unique(columns: Column<Row> | readonly Column<Row>[], config?: TestConfig): DataTest<Row>;
  notNull(column: Column<Row>, config?: TestConfig): DataTest<Row>;
  acceptedValues(
    column: Column<Row>,
    values: readonly (string | number | boolean)[],
    config?: TestConfig,
  ): DataTest<Row>;
  relationships(
    column: Column<Row>,
    to: { readonly model: AnyModel; readonly field: string },
    config?: TestConfig,
  ): DataTest<Row>;
  /** See `CustomTestQuery`: select from `self` (and `newRows`) with `sql.raw`. */
  custom(name: string, failingRows: CustomTestQuery, config?: TestConfig): DataTest<Row>;
}

export function testBuilders<Row>(): TestBuilders<Row> {
  return {
    unique: (columns, config = {}) => ({
      kind: 'unique',
      columns: typeof columns === 'string' ? [columns] : columns,
      ...config,
    }),
    notNull: (column, config = {}) => ({ kind: 'not_null', column, ...config }),
    acceptedValues: (column, values, config = {}) => ({
      kind: 'accepted_values',
      column,
      values,
      ...config,
    }),
    relationships: (column, to, config = {}) => ({
      kind: 'relationships',
      column,
      to: to.model,
      field: to.field,
      ...config,
    }),
    custom: (name, failingRows, config = {}) => ({ kind: 'custom', name, failingRows, ...config }),
  };
}

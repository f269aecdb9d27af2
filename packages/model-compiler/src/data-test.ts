import type { SelectQueryBuilder } from 'kysely';

import type { AnyModel, ModelContext } from './define-model.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a failing-rows query over any tables
export type FailingRowsQuery = SelectQueryBuilder<any, any, object>;

export type Severity = 'error' | 'warn';

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
      readonly failingRows: (ctx: ModelContext, self: string) => FailingRowsQuery;
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
  /** `self` is the relation under test (quoted, schema-qualified): select from it with `sql.raw`/`ctx.ref`. */
  custom(
    name: string,
    failingRows: (ctx: ModelContext, self: string) => FailingRowsQuery,
    config?: TestConfig,
  ): DataTest<Row>;
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

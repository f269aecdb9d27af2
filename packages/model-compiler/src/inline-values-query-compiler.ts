import { PostgresQueryCompiler } from 'kysely';

import { ReelhouseError } from '@reelhouse/core';

/**
 * A PostgreSQL query compiler that writes every value as a literal instead of a `$n` bind
 * parameter: model SQL runs inside `create table ... as` and `create view`, which take no binds.
 *
 * @example
 * // where "u"."plan" = $1  ['premium']  becomes  where "u"."plan" = 'premium'
 */
export class InlineValuesQueryCompiler extends PostgresQueryCompiler {
  protected override appendValue(value: unknown): void {
    if (value === null || value === undefined) {
      this.append('null');
      return;
    }
    if (
      typeof value === 'string' ||
      typeof value === 'number' ||
      typeof value === 'boolean' ||
      typeof value === 'bigint' ||
      value instanceof Date
    ) {
      if (typeof value === 'number' && !Number.isFinite(value)) throw unsupported(value);
      this.appendImmediateValue(value);
      return;
    }
    throw unsupported(value);
  }
}

function unsupported(value: unknown): ReelhouseError {
  return new ReelhouseError({
    code: 'invalid_input',
    message: `a model query holds a value that cannot be written as a SQL literal (${Array.isArray(value) ? 'array' : typeof value}): use sql.lit, an array constructor in SQL, or a join against a model instead`,
    context: { value: String(value) },
  });
}

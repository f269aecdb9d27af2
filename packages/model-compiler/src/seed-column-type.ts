import type { z } from 'zod';

import type { ColumnContract } from './define-model.ts';
import type { SqlType } from './sql-type.ts';

interface ZodIntrospection {
  readonly _zod: {
    readonly def: {
      readonly type: string;
      readonly format?: string;
      readonly innerType?: unknown;
      readonly out?: unknown;
    };
  };
  readonly isInt?: boolean;
  readonly format?: string | null;
}

/**
 * The contract column a seed schema's field gives: its SQL type from the zod type (a coerced or
 * integer number, string formats `date` and `datetime`, `stringbool`), nullable when the field is
 * optional, nullable or has a default. Undefined when the schema cannot tell (declare it instead).
 */
export function seedColumnType(field: z.ZodType): ColumnContract | undefined {
  let schema = field as unknown as ZodIntrospection;
  let nullable = false;
  for (;;) {
    const def = schema._zod.def;
    if (def.type === 'optional' || def.type === 'nullable' || def.type === 'default') {
      nullable = true;
      schema = def.innerType as ZodIntrospection;
    } else if (def.type === 'pipe') schema = def.out as ZodIntrospection;
    else break;
  }
  const type = sqlTypeOf(schema);
  return type === undefined ? undefined : { type, ...(nullable ? { nullable } : {}) };
}

function sqlTypeOf(schema: ZodIntrospection): SqlType | undefined {
  switch (schema._zod.def.type) {
    case 'string':
      if (schema.format === 'date') return 'date';
      if (schema.format === 'datetime') return 'timestamptz';
      return 'text';
    case 'enum':
    case 'literal':
      return 'text';
    case 'number':
      return schema.isInt === true ? 'integer' : 'double precision';
    case 'bigint':
      return 'bigint';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'timestamptz';
    default:
      return undefined;
  }
}

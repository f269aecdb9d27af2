import { sql } from 'kysely';
import type { z } from 'zod';

import { ReelhouseError } from '@reelhouse/core';

import type { DataTest, TestBuilders } from './data-test.ts';
import { defineModel, type ColumnContract, type Model, type ModelQuery } from './define-model.ts';
import { table } from './materialization.ts';
import { readSeedCsv } from './read-seed-csv.ts';
import { seedColumnType } from './seed-column-type.ts';

export interface SeedConfig<Name extends string, S extends z.ZodObject> {
  /** Table name in `trusted`; by convention the CSV's file name (`seeds/ref_country.csv`). */
  readonly name: Name;
  readonly description: string;
  /** The CSV: a header row naming the schema's fields, then one record a line. */
  readonly file: string | URL;
  /** Types each row (coerce numbers, e.g. `z.coerce.number().int()`) and gives the column types. */
  readonly schema: S;
  readonly tags?: readonly string[];
  /** What the schema cannot tell the contract: checks, descriptions, another type. */
  readonly columns?: { readonly [K in keyof z.output<S>]?: Partial<ColumnContract> };
  readonly primaryKey?: readonly (keyof z.output<S> & string)[];
  readonly tests?: (t: TestBuilders<z.output<S>>) => readonly DataTest<z.output<S>>[];
}

/**
 * Declares a seed, as dbt's: a CSV file typed by a zod schema, read and checked when the project
 * loads (a bad row is a `file_malformed` error naming the file, line and field, so nothing is
 * built), and built as a table node of the graph (`resource_type: 'seed'`) from its rows.
 *
 * @example
 * export const ref_plan = await defineSeed({
 *   name: 'ref_plan', description: 'Plans and prices',
 *   file: new URL('../seeds/ref_plan.csv', import.meta.url),
 *   schema: z.object({ plan: z.string(), monthly_price_cents: z.coerce.number().int() }),
 *   primaryKey: ['plan'],
 * });
 * // create table ... as select "c"."plan", "c"."monthly_price_cents" from (values ('basic'::text, 799::integer), ...) as c(plan, monthly_price_cents)
 */
export async function defineSeed<const Name extends string, S extends z.ZodObject>(
  config: SeedConfig<Name, S>,
): Promise<Model<Name, z.output<S>>> {
  return seedModel(config, await readSeedCsv(config.file, config.schema));
}

/** The seed's model over rows already read and parsed: a literal VALUES list, no bound parameters. */
export function seedModel<const Name extends string, S extends z.ZodObject>(
  config: SeedConfig<Name, S>,
  rows: readonly z.output<S>[],
): Model<Name, z.output<S>> {
  type Row = z.output<S>;
  const names = Object.keys(config.schema.shape);
  const overrides: Partial<Record<string, Partial<ColumnContract>>> = config.columns ?? {};
  const columns = Object.fromEntries(
    names.map((name) => {
      const derived = seedColumnType(config.schema.shape[name] as z.ZodType);
      const column = { ...derived, ...overrides[name] };
      if (column.type === undefined)
        throw new ReelhouseError({
          code: 'invalid_input',
          message: `seed ${config.name}: the schema of column ${name} gives no SQL type; declare columns.${name}.type`,
        });
      return [name, { ...column, type: column.type }];
    }),
  ) as { [K in keyof Row]-?: ColumnContract };
  const literal = (value: unknown, type: string) => {
    if (value === undefined || value === null) return sql`null::${sql.raw(type)}`;
    const text =
      value instanceof Date
        ? value.toISOString()
        : typeof value === 'bigint'
          ? value.toString()
          : (value as string | number | boolean);
    return sql`${sql.lit(text)}::${sql.raw(type)}`;
  };
  const values =
    rows.length === 0
      ? sql`(select ${sql.join(names.map((name) => sql`${literal(null, columns[name as keyof Row].type)} as ${sql.id(name)}`))} where false)`
      : sql`(values ${sql.join(
          rows.map(
            (row) =>
              sql`(${sql.join(names.map((name) => literal((row as Record<string, unknown>)[name], columns[name as keyof Row].type)))})`,
          ),
        )})`;
  const model = defineModel({
    name: config.name,
    description: config.description,
    materialization: table(),
    tags: config.tags ?? ['seed'],
    // Named columns rather than `c.*`, so column-level lineage sees each one.
    select: (ctx) =>
      ctx.db
        .selectFrom(sql<Row>`${values}`.as(sql`c(${sql.join(names.map((name) => sql.id(name)))})`))
        .select(names.map((name) => sql.ref(`c.${name}`).as(name))) as unknown as ModelQuery<Row>,
    contract: {
      columns,
      ...(config.primaryKey === undefined ? {} : { primaryKey: config.primaryKey }),
    },
    ...(config.tests === undefined ? {} : { tests: config.tests }),
  });
  return Object.freeze({ ...model, resourceType: 'seed' });
}

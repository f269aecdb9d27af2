import { sql, type AliasedExpression, type Expression } from 'kysely';

/** One aliased expression per column of `Row`, each typed as its column. */
export type AliasedColumns<Row> = {
  [K in keyof Row & string]: AliasedExpression<Row[K], K>;
}[keyof Row & string][];

/**
 * Selects every column of a declared row from expressions, in the object's key order: each branch
 * of a UNION built this way yields the same columns, in the same order, with the same types.
 */
export function aliasedColumns<Row>(columns: {
  readonly [K in keyof Row & string]-?: Expression<Row[K]>;
}): AliasedColumns<Row> {
  return (Object.keys(columns) as (keyof Row & string)[]).map((name) =>
    sql<Row[typeof name]>`${columns[name]}`.as(name),
  );
}

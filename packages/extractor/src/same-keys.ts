/**
 * `true` exactly when two key unions are equal: assigning `true` to it makes the compiler prove
 * that a column list and a Kysely table type name the same columns.
 */
export type SameKeys<A extends PropertyKey, B extends PropertyKey> = [
  Exclude<A, B>,
  Exclude<B, A>,
] extends [never, never]
  ? true
  : false;

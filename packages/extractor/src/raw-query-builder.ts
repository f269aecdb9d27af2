import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type Compilable,
} from 'kysely';
import type pg from 'pg';
import type { RawSchema } from '@reelhouse/warehouse';

/**
 * A Kysely instance that only compiles: ledger and state statements are typed against
 * `RawSchema`, then run on the one `pg` client that holds the load's transaction.
 */
export const rawQueryBuilder = new Kysely<RawSchema>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

/** Runs a compiled Kysely query on a `pg` client or pool and returns its rows. */
export async function runCompiled<Row>(
  client: pg.ClientBase | pg.Pool,
  query: Compilable<Row>,
): Promise<Row[]> {
  const compiled = query.compile();
  const result = await client.query<Row & pg.QueryResultRow>(compiled.sql, [
    ...compiled.parameters,
  ]);
  return result.rows;
}

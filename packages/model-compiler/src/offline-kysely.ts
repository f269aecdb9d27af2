import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector } from 'kysely';

import { InlineValuesQueryCompiler } from './inline-values-query-compiler.ts';

/** A Kysely instance that compiles PostgreSQL with literal values and never connects. */
export function createOfflineKysely(): Kysely<object> {
  return new Kysely<object>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (db) => new PostgresIntrospector(db),
      createQueryCompiler: () => new InlineValuesQueryCompiler(),
    },
  });
}

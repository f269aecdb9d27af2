import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  sql,
} from 'kysely';

import type { ModelContext } from '@reelhouse/model-compiler';

const offline = new Kysely<object>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

/**
 * A model context without a database, for the incremental path that `compileProject` does not
 * compile: references resolve to `trusted.<model>` and `raw.<table>`, `self` to `trusted.<self>`.
 */
export function offlineContext(
  options: { isIncremental?: boolean; self?: string } = {},
): ModelContext {
  return {
    db: offline,
    ref: (model, alias) => sql`${sql.table(`trusted.${model.name}`)}`.as(alias) as never,
    source: (name, alias) => sql`${sql.table(name)}`.as(alias) as never,
    isIncremental: options.isIncremental ?? false,
    interval: undefined,
    self: (alias) => sql<object>`${sql.table(`trusted.${options.self ?? 'self'}`)}`.as(alias),
    // Offline: no build, so no upstream delta; models take their fallback path.
    changes: () => undefined,
  };
}

import { sql, type Kysely, type RawBuilder } from 'kysely';

import type { CompiledTest } from './compiled-model.ts';
import type { DataTest } from './data-test.ts';
import type { ModelContext } from './define-model.ts';
import { quoteRelation } from './sql-identifier.ts';

export interface DataTestTarget {
  readonly db: Kysely<object>;
  /** Schema-qualified relation under test. */
  readonly relation: string;
  /** Schema-qualified relation of another model, for `relationships`. */
  readonly ref: (modelName: string) => string;
  /** The context a `custom` test builds its query with. */
  readonly context: ModelContext;
  /**
   * Incremental runs: row-level tests read only the new rows, and `unique` checks only their keys
   * against the kept rows of the table (an index lookup, not a scan); `custom` gets both.
   */
  readonly delta?: DeltaTestTarget | undefined;
}

/** Where an incremental run's tests find the new rows and the rows they leave in place. */
export interface DeltaTestTarget {
  /** The new rows. */
  readonly relation: string;
  /** The existing table, aliased `t` in `replaced`. */
  readonly target: string;
  /** SQL condition over `t` true for the rows the delta replaces; none for `append`. */
  readonly replaced: string | undefined;
}

/** Compiles a data test to the SQL selecting its failing rows from the relation under test. */
export function compileDataTest(
  test: DataTest<Record<string, unknown>>,
  target: DataTestTarget,
): CompiledTest {
  const self = sql.table(target.relation);
  const rows = sql.table(target.delta?.relation ?? target.relation);
  const config = {
    severity: test.severity ?? 'error',
    errorAbove: test.errorAbove ?? 0,
    warnAbove: test.warnAbove ?? 0,
    sampleSize: test.sampleSize ?? 5,
  } as const;
  const compile = (query: RawBuilder<unknown>) => query.compile(target.db).sql;
  switch (test.kind) {
    case 'unique': {
      const columns = sql.join(test.columns.map((column) => sql.ref(column)));
      return {
        name: `unique(${test.columns.join(', ')})`,
        kind: test.kind,
        columns: test.columns,
        ...config,
        sql: compile(
          target.delta === undefined
            ? sql`select ${columns}, count(*) as "duplicates" from ${self} group by ${columns} having count(*) > 1`
            : sql`select ${columns}, count(*) as "duplicates" from (select ${columns} from ${sql.table(target.delta.target)} as "t" where (${columns}) in (select ${columns} from ${rows})${target.delta.replaced === undefined ? sql`` : sql` and not (${sql.raw(target.delta.replaced)})`} union all select ${columns} from ${rows}) as "merged" group by ${columns} having count(*) > 1`,
        ),
      };
    }
    case 'not_null':
      return {
        name: `not_null(${test.column})`,
        kind: test.kind,
        columns: [test.column],
        ...config,
        sql: compile(sql`select * from ${rows} where ${sql.ref(test.column)} is null`),
      };
    case 'accepted_values':
      return {
        name: `accepted_values(${test.column})`,
        kind: test.kind,
        columns: [test.column],
        ...config,
        sql: compile(
          sql`select * from ${rows} where ${sql.ref(test.column)} is not null and ${sql.ref(test.column)} not in (${sql.join([...test.values])})`,
        ),
      };
    case 'relationships': {
      const parent = sql.table(target.ref(test.to.name));
      const child = sql.ref(`child.${test.column}`);
      const key = sql.ref(`parent.${test.field}`);
      return {
        name: `relationships(${test.column} → ${test.to.name}.${test.field})`,
        kind: test.kind,
        columns: [test.column],
        ...config,
        sql: compile(
          sql`select "child".* from ${rows} as "child" left join ${parent} as "parent" on ${child} = ${key} where ${child} is not null and ${key} is null`,
        ),
      };
    }
    case 'custom':
      return {
        name: test.name,
        kind: test.kind,
        columns: [],
        ...config,
        sql: test
          .failingRows(
            target.context,
            quoteRelation(target.relation),
            quoteRelation(target.delta?.relation ?? target.relation),
          )
          .compile().sql,
      };
  }
}

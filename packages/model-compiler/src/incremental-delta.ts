import type { IncrementalMaterialization } from './materialization.ts';
import type { TimeRange } from './plan-intervals.ts';
import { quoteIdent, quoteIdents, quoteRelation } from './sql-identifier.ts';

/** An incremental run's new rows (`delta`) and the table they go into (`target`). */
export interface DeltaPlan {
  readonly target: string;
  readonly delta: string;
  readonly materialization: IncrementalMaterialization;
  /** Contract columns, in table order. */
  readonly columns: readonly string[];
  /** For models by time range: the ranges the delta replaces. */
  readonly ranges: readonly TimeRange[];
  /** Keyed models with `deletes`: the table of unique keys whose rows are removed. */
  readonly deleted?: string | undefined;
}

/** True when the model is built by time range (whole intervals replaced) rather than by key. */
export function byTimeRange(
  materialization: IncrementalMaterialization,
): materialization is IncrementalMaterialization & { timeColumn: string } {
  return materialization.timeColumn !== undefined;
}

/**
 * Rows of `target` an applied delta replaces, as a condition over alias `t` and delta alias `d`:
 * rows in the rebuilt time ranges, or rows sharing a unique key with the delta.
 */
export function replacedCondition(plan: DeltaPlan): string | undefined {
  const conditions = replacedConditions(plan);
  return conditions.length === 0 ? undefined : conditions.join(' or ');
}

/**
 * The same as separate conditions (the delta's keys, then the removed keys), for statements that
 * must not OR them: PostgreSQL turns `exists (...) or exists (...)` into a subplan per row, hashed
 * only while the keys fit in work_mem, so a large delta made the delete and the post-merge view
 * quadratic; one `exists` (or `not exists`) each is planned as a (anti-)join.
 */
function replacedConditions(plan: DeltaPlan): string[] {
  const { materialization } = plan;
  if (byTimeRange(materialization)) {
    if (plan.ranges.length === 0) return [];
    const column = `"t".${quoteIdent(materialization.timeColumn)}`;
    return [
      plan.ranges
        .map(
          (range) =>
            `(${column} >= '${range.start.toISOString()}' and ${column} < '${range.end.toISOString()}')`,
        )
        .join(' or '),
    ];
  }
  if (materialization.strategy === 'append') return [];
  const inDelta = keyedIn(plan.delta, materialization.uniqueKey);
  return plan.deleted === undefined
    ? [inDelta]
    : [inDelta, keyedIn(plan.deleted, materialization.uniqueKey)];
}

/** `exists` a row of `relation` (alias `d`) sharing the unique key of `t`. */
function keyedIn(relation: string, uniqueKey: readonly string[]): string {
  const keys = uniqueKey
    .map((key) => `"d".${quoteIdent(key)} = "t".${quoteIdent(key)}`)
    .join(' and ');
  return `exists (select 1 from ${quoteRelation(relation)} as "d" where ${keys})`;
}

/**
 * A view of the table as it will stand once the delta is applied, so models downstream in the
 * same build, and the uniqueness tests, read the merged state without copying the table.
 */
export function postMergeViewSql(plan: DeltaPlan & { readonly view: string }): string {
  const columns = quoteIdents(plan.columns);
  const replaced = replacedConditions(plan);
  const kept = `select ${columns} from ${quoteRelation(plan.target)} as "t"${replaced.length === 0 ? '' : ` where ${replaced.map((condition) => `not (${condition})`).join(' and ')}`}`;
  return `create view ${quoteRelation(plan.view)} as ${kept} union all select ${columns} from ${quoteRelation(plan.delta)}`;
}

/**
 * Statements applying the delta to the table: append inserts; `delete+insert` and time ranges
 * delete what the delta replaces (and the deleted keys), then insert; `merge` removes the deleted
 * keys, updates matched keys and inserts the rest.
 */
export function applyDeltaStatements(plan: DeltaPlan): string[] {
  const target = quoteRelation(plan.target);
  const delta = quoteRelation(plan.delta);
  const columns = quoteIdents(plan.columns);
  const insert = `insert into ${target} (${columns}) select ${columns} from ${delta}`;
  const { materialization } = plan;
  if (!byTimeRange(materialization) && materialization.strategy === 'merge') {
    const keys = materialization.uniqueKey
      .map((key) => `"t".${quoteIdent(key)} = "d".${quoteIdent(key)}`)
      .join(' and ');
    const updated = plan.columns.filter((column) => !materialization.uniqueKey.includes(column));
    const set = updated
      .map((column) => `${quoteIdent(column)} = "d".${quoteIdent(column)}`)
      .join(', ');
    const removed =
      plan.deleted === undefined
        ? []
        : [
            `delete from ${target} as "t" where ${keyedIn(plan.deleted, materialization.uniqueKey)}`,
          ];
    return [
      ...removed,
      `merge into ${target} as "t" using ${delta} as "d" on ${keys}` +
        (updated.length > 0 ? ` when matched then update set ${set}` : '') +
        ` when not matched then insert (${columns}) values (${plan.columns.map((column) => `"d".${quoteIdent(column)}`).join(', ')})`,
    ];
  }
  return [
    ...replacedConditions(plan).map(
      (condition) => `delete from ${target} as "t" where ${condition}`,
    ),
    insert,
  ];
}

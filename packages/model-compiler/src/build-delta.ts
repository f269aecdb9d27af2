import { ReelhouseError } from '@reelhouse/core';

import type { AnyKysely } from './any-kysely.ts';
import { buildRelation } from './build-relation.ts';
import { compileModel } from './compile-model.ts';
import type { AnyModel } from './define-model.ts';
import { byTimeRange, type DeltaPlan } from './incremental-delta.ts';
import type { IncrementalMaterialization } from './materialization.ts';
import type { RelationResolver } from './model-context.ts';
import { createOfflineKysely } from './offline-kysely.ts';
import type { TimeRange } from './plan-intervals.ts';
import { buildDeletedKeys } from './deleted-keys.ts';
import { quoteIdent } from './sql-identifier.ts';
import { verifyContract } from './verify-contract.ts';

export interface BuildDeltaOptions {
  readonly model: AnyModel;
  /** `ref` and `source` of the run; `self` is the existing table the delta goes into. */
  readonly resolver: RelationResolver;
  /** The table to create for the new rows. */
  readonly delta: string;
  /** Models by time range: the ranges to rebuild (each compiled with its own `ctx.interval`). */
  readonly ranges: readonly TimeRange[];
}

export interface BuiltDelta {
  readonly rows: number;
  readonly sql: string;
  readonly plan: DeltaPlan;
}

/**
 * The `contract_violation` that the existing table (`resolver.self`) raises against the model's
 * contract, or undefined when it matches; any other failure is thrown.
 */
export async function existingTableMismatch(
  db: AnyKysely,
  at: { model: AnyModel; resolver: RelationResolver },
): Promise<ReelhouseError | undefined> {
  const { contract } = compileModel(at.model, {
    db: createOfflineKysely(),
    resolver: at.resolver,
    relation: at.resolver.self,
    isIncremental: true,
  });
  try {
    await verifyContract(db, {
      model: at.model.name,
      relation: at.resolver.self,
      contract,
      kind: 'table',
    });
    return undefined;
  } catch (error) {
    // Only a mismatch: an abort or a lost connection must not read as one.
    if (!ReelhouseError.is(error) || error.code !== 'contract_violation') throw error;
    return error;
  }
}

/**
 * Builds an incremental model's new rows into their own table, its query compiled with
 * `ctx.isIncremental` and `ctx.self`; the existing table is first checked against the contract,
 * since a delta cannot be merged into a table of another shape.
 */
export async function buildDelta(db: AnyKysely, options: BuildDeltaOptions): Promise<BuiltDelta> {
  const { model, resolver } = options;
  const materialization = model.materialization as IncrementalMaterialization;
  const target = resolver.self;
  const compile = (interval?: TimeRange) =>
    compileModel(model, {
      db: createOfflineKysely(),
      resolver,
      relation: target,
      isIncremental: true,
      interval,
    });
  const contract = compile(options.ranges[0]).contract;
  const mismatch = await existingTableMismatch(db, { model, resolver });
  if (mismatch !== undefined)
    throw new ReelhouseError({
      code: 'contract_violation',
      message: `${mismatch.message}; the existing table predates the contract: rebuild it with a full refresh`,
      context: mismatch.context,
      cause: mismatch,
    });
  const selectSql = byTimeRange(materialization)
    ? rangesSql(options.ranges, { column: materialization.timeColumn, compile })
    : compile().sql;
  const deleted = await buildDeletedKeys(db, {
    model,
    resolver,
    relation: `${options.delta}__deleted`,
    contract,
  });
  const rows = await buildRelation(db, {
    model: model.name,
    relation: options.delta,
    kind: 'table',
    contract,
    selectSql,
    ref: resolver.ref,
    withKeys: false,
  });
  return {
    // Removed rows count as written: a run that only deletes still changes the table.
    rows: (rows ?? 0) + (deleted?.rows ?? 0),
    sql: selectSql,
    plan: {
      target,
      delta: options.delta,
      materialization,
      columns: Object.keys(contract.columns),
      ranges: options.ranges,
      ...(deleted === undefined ? {} : { deleted: deleted.relation }),
    },
  };
}

// One select per range, each filtered to its range so no row lands outside what is replaced.
function rangesSql(
  ranges: readonly TimeRange[],
  options: { column: string; compile: (interval?: TimeRange) => { sql: string } },
): string {
  const column = `"r".${quoteIdent(options.column)}`;
  if (ranges.length === 0) {
    const now = new Date();
    return `select * from (${options.compile({ start: now, end: now }).sql}) as "r" where false`;
  }
  return ranges
    .map(
      (range) =>
        `select * from (${options.compile(range).sql}) as "r" where ${column} >= '${range.start.toISOString()}' and ${column} < '${range.end.toISOString()}'`,
    )
    .join(' union all ');
}

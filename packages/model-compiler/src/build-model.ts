import { sql } from 'kysely';

import { classifyError, type Logger } from '@reelhouse/core';

import type { AnyKysely } from './any-kysely.ts';
import { buildDelta, existingTableMismatch } from './build-delta.ts';
import { buildRelation } from './build-relation.ts';
import type { BuildMode, ModelResult } from './build-result.ts';
import type { CompiledContract } from './compiled-model.ts';
import { compileModel } from './compile-model.ts';
import type { AnyModel } from './define-model.ts';
import { guaranteedByContract } from './guaranteed-by-contract.ts';
import {
  byTimeRange,
  postMergeViewSql,
  replacedCondition,
  type DeltaPlan,
} from './incremental-delta.ts';
import type { IncrementalMaterialization } from './materialization.ts';
import type { RelationResolver, UpstreamChanges } from './model-context.ts';
import { createOfflineKysely } from './offline-kysely.ts';
import type { TimeRange } from './plan-intervals.ts';
import { runDataTests } from './run-data-tests.ts';
import { ledgerKey } from './interval-ledger.ts';
import { rangesOfTable, rangesToRebuild } from './time-ranges.ts';
import { relationExists } from './relation-exists.ts';
import { uniqueKeyTest } from './unique-key-test.ts';
import { quoteRelation } from './sql-identifier.ts';

/** What the publish transaction does with a model built in staging. */
export type PublishStep =
  | {
      readonly kind: 'move_table';
      readonly model: string;
      readonly ledger?: { readonly ranges: readonly TimeRange[] };
      /** Models whose foreign keys are added once their new rows are merged, at publish. */
      readonly deferredForeignKeysTo?: readonly string[];
    }
  | { readonly kind: 'create_view'; readonly model: string }
  | {
      readonly kind: 'apply_delta';
      readonly model: string;
      readonly plan: DeltaPlan;
      /** Rows in the delta: publish re-analyzes the table only when they are a large share of it. */
      readonly rows: number;
    };

export interface BuildModelOptions {
  /** The connection the model is built on. */
  readonly db: AnyKysely;
  readonly model: AnyModel;
  readonly stagingSchema: string;
  readonly targetSchema: string;
  /** Models built in this run: references to them read the staging schema. */
  readonly builtInRun: ReadonlySet<string>;
  /** Unselected models read from another schema than the target (`defer`). */
  readonly deferredTo?: ReadonlyMap<string, string>;
  readonly fullRefresh: boolean;
  /** With `fullRefresh`, rebuild models protected by `allowFullRefresh: false` too. */
  readonly forceFullRefresh: boolean;
  /** How the models built so far in this run were built (upstream models are always among them). */
  readonly modes: ReadonlyMap<string, BuildMode>;
  /** Models by time range are built up to the start of the interval holding this instant. */
  readonly now: Date;
  /** What each upstream model changed in this build, as this model last saw it (`ctx.changes`). */
  readonly upstreamChanges?: ((upstream: string) => UpstreamChanges | undefined) | undefined;
  readonly logger: Logger;
}

export interface BuiltModel {
  readonly result: ModelResult;
  readonly publish?: PublishStep;
}

/**
 * Builds one model into the staging schema under its contract (an incremental run builds only the
 * new rows, plus a view of the table as merged), runs its post-hooks and data tests, and says how
 * to publish it. Failures come back in the result, never thrown.
 */
export async function buildModel(options: BuildModelOptions): Promise<BuiltModel> {
  const { model, stagingSchema, targetSchema } = options;
  const startedAt = new Date();
  const started = performance.now();
  const relation = `${stagingSchema}.${model.name}`;
  const resolver: RelationResolver = {
    ref: (name) =>
      `${options.builtInRun.has(name) ? stagingSchema : (options.deferredTo?.get(name) ?? targetSchema)}.${name}`,
    source: (name) => name,
    self: `${targetSchema}.${model.name}`,
    changes: options.upstreamChanges,
  };
  const base = {
    name: model.name,
    materialization: model.materialization.type,
    startedAt: startedAt.toISOString(),
  } as const;
  let mode: BuildMode | undefined;
  try {
    mode = await chooseMode(options, resolver);
    const built =
      mode === 'incremental_delta'
        ? await buildIncrementalRun(options, { resolver, relation })
        : await buildWhole(options, { resolver, relation, mode });
    const tests = await runDataTests(options.db, {
      model: model.name,
      tests: built.tests,
      guaranteedBy: guaranteedByContract(
        built.contract,
        mode === 'view' ? 'view' : mode === 'incremental_delta' ? 'delta' : 'table',
      ),
    });
    const failed = tests.filter((test) => test.status === 'error');
    const result: ModelResult = {
      ...base,
      mode,
      status: failed.length > 0 ? 'error' : 'success',
      rows: built.rows,
      durationMs: Math.round(performance.now() - started),
      tests,
      ...(failed.length > 0
        ? {
            error: {
              code: 'data_test_failed',
              message: `failing tests: ${failed.map((test) => `${test.name} (${test.failures} rows)`).join(', ')}`,
            },
          }
        : {}),
      ...(built.ranges === undefined
        ? {}
        : {
            intervals: built.ranges.map((range): [string, string] => [
              range.start.toISOString(),
              range.end.toISOString(),
            ]),
          }),
    };
    options.logger.info(
      {
        model: model.name,
        mode,
        rows: built.rows,
        status: result.status,
        durationMs: result.durationMs,
      },
      'model built',
    );
    return { result, publish: built.publish };
  } catch (error) {
    const classified = classifyError(error, { model: model.name });
    options.logger.error(
      { model: model.name, code: classified.code, err: classified.message },
      'model failed',
    );
    return {
      result: {
        ...base,
        ...(mode === undefined ? {} : { mode }),
        status: 'error',
        rows: null,
        durationMs: Math.round(performance.now() - started),
        tests: [],
        error: { code: classified.code, message: classified.message },
      },
    };
  }
}

interface BuiltRelation {
  readonly rows: number | null;
  readonly contract: CompiledContract;
  readonly tests: ReturnType<typeof compileModel>['tests'];
  readonly publish: PublishStep;
  readonly ranges?: readonly TimeRange[];
}

async function buildWhole(
  options: BuildModelOptions,
  at: { resolver: RelationResolver; relation: string; mode: BuildMode },
): Promise<BuiltRelation> {
  const { model, db } = options;
  const compiled = compileModel(model, {
    db: createOfflineKysely(),
    resolver: at.resolver,
    relation: at.relation,
  });
  const kind = at.mode === 'view' ? 'view' : 'table';
  // A model merging new rows in this run shows them through a view until publish: no key to point at.
  const deferred = compiled.contract.foreignKeys
    .map((fk) => fk.references)
    .filter((name) => options.modes.get(name) === 'incremental_delta');
  const rows = await buildRelation(db, {
    model: model.name,
    relation: at.relation,
    kind,
    contract: compiled.contract,
    selectSql: compiled.sql,
    ref: at.resolver.ref,
    deferForeignKeysTo: (name) => deferred.includes(name),
  });
  await runPostHooks(db, { hooks: model.postHooks, relation: at.relation });
  const { tests, contract } = compiled;
  if (kind === 'view')
    return { rows, contract, tests, publish: { kind: 'create_view', model: model.name } };
  const materialization = model.materialization;
  const moved = {
    kind: 'move_table',
    model: model.name,
    ...(deferred.length > 0 ? { deferredForeignKeysTo: deferred } : {}),
  } as const;
  if (materialization.type !== 'incremental' || !byTimeRange(materialization))
    return { rows, contract, tests, publish: moved };
  const ranges = await rangesOfTable(db, {
    relation: at.relation,
    column: materialization.timeColumn,
    unit: materialization.interval ?? 'day',
    now: options.now,
  });
  return {
    rows,
    contract,
    tests,
    ranges,
    publish: { ...moved, ledger: { ranges } },
  };
}

async function buildIncrementalRun(
  options: BuildModelOptions,
  at: { resolver: RelationResolver; relation: string },
): Promise<BuiltRelation> {
  const { model, db } = options;
  const materialization = model.materialization as IncrementalMaterialization;
  const delta = `${at.relation}__delta`;
  const ranges = byTimeRange(materialization)
    ? await rangesToRebuild(db, {
        model: ledgerKey(options.targetSchema, model.name),
        relation: at.resolver.self,
        materialization,
        now: options.now,
      })
    : [];
  const built = await buildDelta(db, { model, resolver: at.resolver, delta, ranges });
  await sql.raw(postMergeViewSql({ ...built.plan, view: at.relation })).execute(db);
  await runPostHooks(db, { hooks: model.postHooks, relation: delta });
  const { tests, contract } = compileModel(model, {
    db: createOfflineKysely(),
    resolver: at.resolver,
    relation: at.relation,
    isIncremental: true,
    delta: { relation: delta, target: built.plan.target, replaced: replacedCondition(built.plan) },
  });
  return {
    rows: built.rows,
    contract,
    tests: [...tests, ...uniqueKeyTest({ materialization, delta, tests })],
    publish: { kind: 'apply_delta', model: model.name, plan: built.plan, rows: built.rows },
    ...(byTimeRange(materialization) ? { ranges } : {}),
  };
}

async function chooseMode(
  options: BuildModelOptions,
  resolver: RelationResolver,
): Promise<BuildMode> {
  const materialization = options.model.materialization;
  switch (materialization.type) {
    case 'view':
      return 'view';
    case 'table':
      return 'table';
    case 'incremental': {
      if (!(await relationExists(options.db, `${options.targetSchema}.${options.model.name}`)))
        return 'incremental_full';
      if (!options.fullRefresh) {
        const mismatch = await existingTableMismatch(options.db, {
          model: options.model,
          resolver,
        });
        // A protected model keeps its table: the delta then fails, naming the mismatch.
        if (mismatch === undefined || materialization.allowFullRefresh === false)
          return 'incremental_delta';
        // New rows cannot go into a table of another shape (a model that was a table(), or whose
        // contract gained a column): it is rebuilt whole, as dbt's on_schema_change would have a
        // user do by hand with --full-refresh.
        options.logger.warn(
          { model: options.model.name, mismatch: mismatch.message },
          `model ${options.model.name}: the existing table predates its contract (${mismatch.message}); rebuilt whole`,
        );
        return 'incremental_full';
      }
      if (materialization.allowFullRefresh === false && !options.forceFullRefresh) {
        // dbt's `full_refresh: false`: a protected model keeps its history and is updated incrementally.
        options.logger.warn(
          { model: options.model.name },
          `model ${options.model.name} is protected against full refresh (allowFullRefresh: false): updated incrementally; pass forceFullRefresh (--force-full-refresh) to rebuild it from scratch`,
        );
        return 'incremental_delta';
      }
      return 'incremental_full';
    }
  }
}

async function runPostHooks(
  db: AnyKysely,
  options: { hooks: readonly string[]; relation: string },
): Promise<void> {
  for (const hook of options.hooks)
    await sql.raw(hook.replaceAll('{{ this }}', quoteRelation(options.relation))).execute(db);
}

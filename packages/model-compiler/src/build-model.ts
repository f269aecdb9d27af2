import { sql } from 'kysely';

import { classifyError, ReelhouseError, type Logger } from '@reelhouse/core';

import type { AnyKysely } from './any-kysely.ts';
import { buildRelation } from './build-relation.ts';
import type { BuildMode, ModelResult } from './build-result.ts';
import type { CompiledModel } from './compiled-model.ts';
import { compileModel } from './compile-model.ts';
import type { AnyModel } from './define-model.ts';
import type { RelationResolver } from './model-context.ts';
import { createOfflineKysely } from './offline-kysely.ts';
import { runDataTests } from './run-data-tests.ts';
import { quoteRelation } from './sql-identifier.ts';

/** What the publish transaction does with a model built in staging. */
export type PublishStep =
  | { readonly kind: 'move_table'; readonly model: string }
  | { readonly kind: 'create_view'; readonly model: string };

export interface BuildModelOptions {
  /** The connection the model is built on. */
  readonly db: AnyKysely;
  readonly model: AnyModel;
  readonly stagingSchema: string;
  readonly targetSchema: string;
  /** Models built in this run: references to them read the staging schema. */
  readonly builtInRun: ReadonlySet<string>;
  readonly fullRefresh: boolean;
  /** With `fullRefresh`, rebuild models protected by `allowFullRefresh: false` too. */
  readonly forceFullRefresh: boolean;
  readonly buildId: string;
  readonly logger: Logger;
}

export interface BuiltModel {
  readonly result: ModelResult;
  readonly publish?: PublishStep;
}

/**
 * Builds one model into the staging schema under its contract, runs its post-hooks and data
 * tests, and says how to publish it. Failures come back in the result, never thrown.
 */
export async function buildModel(options: BuildModelOptions): Promise<BuiltModel> {
  const { model, stagingSchema, targetSchema } = options;
  const startedAt = new Date();
  const started = performance.now();
  const relation = `${stagingSchema}.${model.name}`;
  const resolver: RelationResolver = {
    ref: (name) => `${options.builtInRun.has(name) ? stagingSchema : targetSchema}.${name}`,
    source: (name) => name,
    self: `${targetSchema}.${model.name}`,
  };
  const base = { name: model.name, materialization: model.materialization.type, startedAt: startedAt.toISOString() } as const;
  let mode: BuildMode | undefined;
  try {
    mode = await chooseMode(options);
    const compiled = compileModel(model, { db: createOfflineKysely(), resolver, relation });
    const rows = await buildRelation(options.db, {
      model: model.name,
      relation,
      kind: mode === 'view' ? 'view' : 'table',
      contract: compiled.contract,
      selectSql: compiled.sql,
      ref: resolver.ref,
    });
    await runPostHooks(options.db, compiled, relation);
    const tests = await runDataTests(options.db, { model: model.name, tests: compiled.tests });
    const failed = tests.filter((test) => test.status === 'error');
    const result: ModelResult = {
      ...base,
      mode,
      status: failed.length > 0 ? 'error' : 'success',
      rows,
      durationMs: Math.round(performance.now() - started),
      tests,
      ...(failed.length > 0 ? { error: { code: 'data_test_failed', message: `failing tests: ${failed.map((test) => `${test.name} (${test.failures} rows)`).join(', ')}` } } : {}),
    };
    options.logger.info({ model: model.name, mode, rows, status: result.status, durationMs: result.durationMs }, 'model built');
    return { result, publish: mode === 'view' ? { kind: 'create_view', model: model.name } : { kind: 'move_table', model: model.name } };
  } catch (error) {
    const classified = classifyError(error, { model: model.name });
    options.logger.error({ model: model.name, code: classified.code, err: classified.message }, 'model failed');
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

async function chooseMode(options: BuildModelOptions): Promise<BuildMode> {
  const materialization = options.model.materialization;
  switch (materialization.type) {
    case 'view':
      return 'view';
    case 'table':
      return 'table';
    case 'incremental': {
      const { rows } = await sql<{ exists: boolean }>`select to_regclass(${`${options.targetSchema}.${options.model.name}`}) is not null as "exists"`.execute(options.db);
      if (rows[0]?.exists !== true) return 'incremental_full';
      if (!options.fullRefresh) return 'incremental_delta';
      if (materialization.allowFullRefresh === false && !options.forceFullRefresh) {
        throw new ReelhouseError({
          code: 'invalid_input',
          message: `model ${options.model.name} is protected against full refresh (allowFullRefresh: false); select it without fullRefresh, or pass forceFullRefresh: true (--force-full-refresh) to rebuild it`,
          context: { model: options.model.name },
        });
      }
      return 'incremental_full';
    }
  }
}

async function runPostHooks(db: AnyKysely, compiled: CompiledModel, relation: string): Promise<void> {
  for (const hook of compiled.postHooks) await sql.raw(hook.replaceAll('{{ this }}', quoteRelation(relation))).execute(db);
}

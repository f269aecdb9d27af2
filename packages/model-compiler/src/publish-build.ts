import { sql } from 'kysely';

import { classifyError, type ErrorCode } from '@reelhouse/core';

import type { AnyKysely } from './any-kysely.ts';
import { applyDelta, planDeltaApplication } from './apply-delta.ts';
import type { PublishStep } from './build-model.ts';
import type { CompiledModel, CompiledProject } from './compiled-model.ts';
import { createViewSql, foreignKeyStatements, keyStatements } from './contract-ddl.ts';
import { ledgerKey, recordIntervals } from './interval-ledger.ts';
import { applyGrants, readGrants, type RelationGrant } from './relation-grants.ts';
import { quoteIdent, quoteRelation } from './sql-identifier.ts';

export interface PublishOptions {
  readonly project: CompiledProject;
  readonly stagingSchema: string;
  /** One step per built model, upstream first. */
  readonly steps: readonly PublishStep[];
  readonly buildId: string;
  /** Roles granted `select` on every published relation (and `usage` on the schema). */
  readonly grantSelectTo?: readonly string[] | undefined;
  /**
   * Publish each step under its own savepoint: a step that fails is rolled back alone and the
   * steps downstream of it are not published (dbt's semantics). Otherwise any failure throws.
   */
  readonly isolate?: boolean;
}

/** What a publish did with each step. */
export interface PublishOutcome {
  /** Models published, upstream first. */
  readonly published: readonly string[];
  /** Steps whose publish failed (rolled back to their savepoint). */
  readonly failed: ReadonlyMap<string, { readonly code: ErrorCode; readonly message: string }>;
  /** Steps not published because an upstream step failed or was held back: model → that upstream. */
  readonly heldBack: ReadonlyMap<string, string>;
}

/**
 * Swaps a tested build into the target schema; call it inside one transaction so readers see the
 * old objects or the new ones, never a mix. Tables move by `set schema` (no copy); views are
 * recreated over the published tables; grants are carried over and dependents the old objects
 * took with them (views, foreign keys of models left in place) are restored. With `isolate`, a
 * step that fails is undone alone and holds back only its descendants.
 */
export async function publishBuild(
  db: AnyKysely,
  options: PublishOptions,
): Promise<PublishOutcome> {
  const target = options.project.targetSchema;
  const byName = new Map(options.project.models.map((model) => [model.name, model]));
  await sql`create schema if not exists ${sql.id(target)}`.execute(db);
  const before = await existingRelations(db, target);
  const grants = new Map<string, RelationGrant[]>();
  for (const name of before.keys())
    if (byName.has(name)) grants.set(name, await readGrants(db, `${target}.${name}`));
  const failed = new Map<string, { code: ErrorCode; message: string }>();
  const heldBack = new Map<string, string>();
  const done: PublishStep[] = [];
  for (const [index, step] of options.steps.entries()) {
    const model = byName.get(step.model);
    if (model === undefined) continue;
    const blocker = model.dependsOn.find((name) => failed.has(name) || heldBack.has(name));
    if (blocker !== undefined) {
      heldBack.set(step.model, blocker);
      continue;
    }
    const publishOne = () => publishStep(db, { step, model, target, options, before, grants });
    if (options.isolate !== true) {
      await publishOne();
      done.push(step);
      continue;
    }
    const savepoint = `publish_${index}`;
    await sql.raw(`savepoint ${savepoint}`).execute(db);
    try {
      await publishOne();
      await addDeferredForeignKeys(db, { step, model, target });
      await sql.raw(`release savepoint ${savepoint}`).execute(db);
      done.push(step);
    } catch (error) {
      const classified = classifyError(error, { model: step.model });
      if (classified.code === 'aborted') throw classified;
      await sql.raw(`rollback to savepoint ${savepoint}`).execute(db);
      failed.set(step.model, { code: classified.code, message: classified.message });
    }
  }
  if (options.isolate !== true)
    for (const step of done) {
      const model = byName.get(step.model);
      if (model !== undefined) await addDeferredForeignKeys(db, { step, model, target });
    }
  await restoreDependents(db, { ...options, steps: done, before, grants });
  for (const role of options.grantSelectTo ?? []) {
    await sql`grant usage on schema ${sql.id(target)} to ${sql.id(role)}`.execute(db);
    for (const step of done)
      await sql`grant select on ${sql.table(`${target}.${step.model}`)} to ${sql.id(role)}`.execute(
        db,
      );
  }
  return { published: done.map((step) => step.model), failed, heldBack };
}

async function publishStep(
  db: AnyKysely,
  at: {
    step: PublishStep;
    model: CompiledModel;
    target: string;
    options: PublishOptions;
    before: ReadonlyMap<string, string>;
    grants: ReadonlyMap<string, readonly RelationGrant[]>;
  },
): Promise<void> {
  const { step, model, target, options, before, grants } = at;
  const published = `${target}.${step.model}`;
  {
    // A delta's target is the published table itself; the other steps replace the relation.
    switch (step.kind) {
      case 'move_table': {
        await dropRelation(db, { relation: published, relkind: before.get(step.model) });
        await sql
          .raw(
            `alter table ${quoteRelation(`${options.stagingSchema}.${step.model}`)} set schema ${quoteIdent(target)}`,
          )
          .execute(db);
        await applyGrants(db, { relation: published, grants: grants.get(step.model) ?? [] });
        if (step.ledger !== undefined)
          await recordIntervals(db, {
            model: ledgerKey(target, step.model),
            ranges: step.ledger.ranges,
            buildId: options.buildId,
            replace: true,
          });
        break;
      }
      case 'apply_delta': {
        const application = await planDeltaApplication(db, { plan: step.plan, rows: step.rows });
        await applyDelta(db, application);
        // A small delta is left to autovacuum: analyzing a large table would take most of a small
        // incremental build, and hold the publish transaction open meanwhile.
        if (application.analyze) await sql.raw(`analyze ${quoteRelation(published)}`).execute(db);
        if (step.plan.ranges.length > 0)
          await recordIntervals(db, {
            model: ledgerKey(target, step.model),
            ranges: step.plan.ranges,
            buildId: options.buildId,
            replace: false,
          });
        break;
      }
      case 'create_view': {
        await dropRelation(db, { relation: published, relkind: before.get(step.model) });
        await sql.raw(createViewSql(published, model.contract, model.sql)).execute(db);
        await applyGrants(db, { relation: published, grants: grants.get(step.model) ?? [] });
        break;
      }
    }
  }
}

/** Foreign keys to models that merged new rows in this build: added once those rows are in. */
async function addDeferredForeignKeys(
  db: AnyKysely,
  at: { step: PublishStep; model: CompiledModel; target: string },
): Promise<void> {
  const { step, model, target } = at;
  if (step.kind !== 'move_table' || step.deferredForeignKeysTo === undefined) return;
  const deferred = step.deferredForeignKeysTo;
  const statements = foreignKeyStatements({
    relation: `${target}.${step.model}`,
    contract: model.contract,
    ref: (name) => `${target}.${name}`,
    onlyTo: (name) => deferred.includes(name),
  });
  for (const statement of statements) await sql.raw(statement).execute(db);
}

/** Views and foreign keys of models not in this build that `drop ... cascade` removed with an old object. */
async function restoreDependents(
  db: AnyKysely,
  options: PublishOptions & {
    before: ReadonlyMap<string, string>;
    grants: ReadonlyMap<string, readonly RelationGrant[]>;
  },
): Promise<void> {
  const target = options.project.targetSchema;
  // Delta targets stay in place: their foreign keys to replaced tables may need restoring too.
  const replaced = new Set(
    options.steps.filter((step) => step.kind !== 'apply_delta').map((step) => step.model),
  );
  const after = await existingRelations(db, target);
  for (const model of options.project.models) {
    if (replaced.has(model.name) || !options.before.has(model.name)) continue;
    const relation = `${target}.${model.name}`;
    if (model.materialization.type === 'view' && !after.has(model.name)) {
      await sql.raw(createViewSql(relation, model.contract, model.sql)).execute(db);
      await applyGrants(db, { relation, grants: options.grants.get(model.name) ?? [] });
      continue;
    }
    const lostKeys = model.contract.foreignKeys.filter((fk) => replaced.has(fk.references));
    if (lostKeys.length === 0) continue;
    const { rows } = await sql<{
      conname: string;
    }>`select conname from pg_constraint where conrelid = to_regclass(${relation}) and contype = 'f'`.execute(
      db,
    );
    const present = new Set(rows.map((row) => row.conname));
    const statements = keyStatements({
      relation,
      contract: { ...model.contract, primaryKey: [], indexes: [] },
      ref: (name) => `${target}.${name}`,
    });
    for (const [index, statement] of statements.entries()) {
      if (!present.has(`${model.name}_fk_${index + 1}`)) await sql.raw(statement).execute(db);
    }
  }
}

async function existingRelations(db: AnyKysely, schema: string): Promise<Map<string, string>> {
  const { rows } = await sql<{ relname: string; relkind: string }>`
    select c.relname, c.relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = ${schema} and c.relkind in ('r', 'v', 'm', 'p')`.execute(db);
  return new Map(rows.map((row) => [row.relname, row.relkind]));
}

async function dropRelation(
  db: AnyKysely,
  options: { relation: string; relkind: string | undefined },
): Promise<void> {
  if (options.relkind === undefined) return;
  const kind =
    options.relkind === 'v' ? 'view' : options.relkind === 'm' ? 'materialized view' : 'table';
  await sql.raw(`drop ${kind} if exists ${quoteRelation(options.relation)} cascade`).execute(db);
}

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';

import { createMemoryLogger, ReelhouseError } from '@reelhouse/core';

import { buildModels, defineModel, table, view } from '../src/index.ts';
import {
  fact_sessions,
  plan_summary,
  premium_users,
  stg_users,
} from './fixtures/example-models.ts';
import { contents } from './fixtures/raw-fixture.ts';
import { resetToRawFixture } from './fixtures/reset-to-raw-fixture.ts';
import { useTestKysely } from './fixtures/use-test-kysely.ts';

const warehouse = useTestKysely('build_models', { max: 6 });
beforeEach(async () => {
  await resetToRawFixture(warehouse.db);
});

const models = [premium_users, plan_summary, stg_users];

/** What `trusted` holds: each table's rows and each view's definition (a view's rows follow `raw`). */
async function trustedSnapshot(): Promise<Record<string, unknown>> {
  const { rows } = await sql<{ relname: string; relkind: string; definition: string | null }>`
    select c.relname, c.relkind, case when c.relkind = 'v' then pg_get_viewdef(c.oid) end as "definition"
    from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'trusted' and c.relkind in ('r', 'v') order by 1`.execute(
    warehouse.db,
  );
  return Object.fromEntries(
    await Promise.all(
      rows.map(
        async ({ relname, definition }) =>
          [relname, definition ?? (await contents(warehouse.db, `trusted.${relname}`))] as const,
      ),
    ),
  );
}

async function buildSchemas(): Promise<string[]> {
  const { rows } = await sql<{
    nspname: string;
  }>`select nspname from pg_namespace where nspname like '%\_\_build\_%' order by 1`.execute(
    warehouse.db,
  );
  return rows.map((row) => row.nspname);
}

/**
 * Statements of this database still running `pg_sleep(30)`, polled for up to 5 s: a cancelled
 * backend takes a moment to end under load. Other test files run their own sleeps in their own
 * databases at the same time, so the count is limited to this one and to active backends.
 */
async function sleepsStillRunning(): Promise<number> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as "n" from pg_stat_activity
      where datname = current_database() and state <> 'idle'
        and query like '%pg_sleep(30)%' and pid <> pg_backend_pid()`.execute(warehouse.db);
    const running = rows[0]?.n ?? 0;
    if (running === 0 || Date.now() >= deadline) return running;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function rejection(promise: Promise<unknown>): Promise<ReelhouseError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ReelhouseError) return error;
    throw error;
  }
  throw new Error('expected the build to be rejected');
}

describe('buildModels', () => {
  it('builds views and tables in dependency order and publishes them into trusted', async () => {
    const result = await buildModels(warehouse.db, { models });
    expect(
      result.models.map((model) => [model.name, model.status, model.mode, model.rows]),
    ).toEqual([
      ['stg_users', 'success', 'view', null],
      ['plan_summary', 'success', 'table', 3],
      ['premium_users', 'success', 'table', 2],
    ]);
    expect([result.status, result.published, result.rowsWritten]).toEqual(['success', true, 5]);
    // The primary key already guarantees plan_summary's unique(plan): no scan is spent on it.
    expect(result.models[1]?.tests).toMatchObject([
      { name: 'unique(plan)', status: 'pass', guaranteedBy: 'primary_key' },
    ]);
    expect(await trustedSnapshot()).toEqual({
      plan_summary: [
        { plan: 'basic', users: 1, revenue_cents: 799 },
        { plan: 'premium', users: 2, revenue_cents: 3598 },
        { plan: 'standard', users: 1, revenue_cents: 1299 },
      ],
      premium_users: [
        { user_id: 'u2', country_code: 'DE', plan: 'premium' },
        { user_id: 'u3', country_code: 'FR', plan: 'premium' },
      ],
      stg_users: expect.stringContaining('FROM raw.users') as unknown,
    });
    expect(await contents(warehouse.db, 'trusted.stg_users')).toEqual([
      { user_id: 'u1', plan: 'basic', country_code: 'FR', monthly_price_cents: 799 },
      { user_id: 'u2', plan: 'premium', country_code: 'DE', monthly_price_cents: 1799 },
      { user_id: 'u3', plan: 'premium', country_code: 'FR', monthly_price_cents: 1799 },
      { user_id: 'u4', plan: 'standard', country_code: 'US', monthly_price_cents: 1299 },
    ]);
    expect(await buildSchemas()).toEqual([]);
  });

  it('published views read the published tables, not the dropped staging schema', async () => {
    await buildModels(warehouse.db, { models });
    const { rows } = await sql<{
      definition: string;
    }>`select pg_get_viewdef('trusted.stg_users'::regclass) as "definition"`.execute(warehouse.db);
    expect(rows[0]?.definition).toContain('FROM raw.users');
  });

  it('reads unselected upstream models from trusted and keeps foreign keys of models left in place', async () => {
    await buildModels(warehouse.db, { models });
    await warehouse.db
      .updateTable('raw.users')
      .set({ monthly_price_cents: 2000 })
      .where('user_id', '=', 'u2')
      .execute();
    const result = await buildModels(warehouse.db, { models, select: ['plan_summary'] });
    expect(result.models.map((model) => [model.name, model.status])).toEqual([
      ['plan_summary', 'success'],
    ]);
    expect(await contents(warehouse.db, 'trusted.plan_summary')).toContainEqual({
      plan: 'premium',
      users: 2,
      revenue_cents: 3799,
    });
    // premium_users' foreign key to the replaced plan_summary is recreated against the new table.
    const { rows } = await sql<{
      definition: string;
    }>`select pg_get_constraintdef(oid) as "definition" from pg_constraint where conrelid = 'trusted.premium_users'::regclass and contype = 'f'`.execute(
      warehouse.db,
    );
    expect(rows).toEqual([
      { definition: 'FOREIGN KEY (plan) REFERENCES trusted.plan_summary(plan)' },
    ]);
  });

  it('restores a view of a model left out of the build when the table it reads is replaced', async () => {
    const premium_plan = defineModel({
      name: 'premium_plan',
      description: 'The premium row of plan_summary.',
      materialization: view(),
      select: (ctx) =>
        ctx.db
          .selectFrom(ctx.ref(plan_summary, 'p'))
          .selectAll('p')
          .where('p.plan', '=', 'premium'),
      contract: {
        columns: {
          plan: { type: 'text' },
          users: { type: 'bigint' },
          revenue_cents: { type: 'bigint' },
        },
      },
    });
    const all = [...models, premium_plan];
    await sql`create role ${sql.id(`rh_viewer_${process.pid}`)}`.execute(warehouse.db);
    try {
      await buildModels(warehouse.db, { models: all });
      await sql`grant select on trusted.premium_plan to ${sql.id(`rh_viewer_${process.pid}`)}`.execute(
        warehouse.db,
      );
      await warehouse.db
        .updateTable('raw.users')
        .set({ monthly_price_cents: 2000 })
        .where('user_id', '=', 'u2')
        .execute();
      const result = await buildModels(warehouse.db, { models: all, select: ['plan_summary'] });
      expect(result.models.map((model) => model.name)).toEqual(['plan_summary']);
      expect(await contents(warehouse.db, 'trusted.premium_plan')).toEqual([
        { plan: 'premium', users: 2, revenue_cents: 3799 },
      ]);
      const { rows } = await sql<{
        allowed: boolean;
      }>`select has_table_privilege(${`rh_viewer_${process.pid}`}, 'trusted.premium_plan', 'select') as "allowed"`.execute(
        warehouse.db,
      );
      expect(rows).toEqual([{ allowed: true }]);
    } finally {
      await sql`drop schema if exists trusted cascade`.execute(warehouse.db);
      await sql`drop owned by ${sql.id(`rh_viewer_${process.pid}`)}`.execute(warehouse.db);
      await sql`drop role ${sql.id(`rh_viewer_${process.pid}`)}`.execute(warehouse.db);
    }
  });

  it('a failing test publishes its model and descendants nothing, while an independent model is published', async () => {
    const project = [...models, fact_sessions];
    await buildModels(warehouse.db, { models: project });
    const before = await trustedSnapshot();
    await warehouse.db
      .insertInto('raw.users')
      .values({ user_id: 'u5', plan: 'gold', country_code: 'FR', monthly_price_cents: 100 })
      .execute();
    await warehouse.db
      .insertInto('raw.viewing_sessions')
      .values({
        session_id: 's1',
        user_id: 'u1',
        started_at: new Date('2024-01-01T00:00:00Z'),
        watch_duration_s: 99,
        updated_at: new Date('2024-01-01T00:00:00Z'),
      })
      .execute();
    const result = await buildModels(warehouse.db, { models: project });
    expect(result.models.map((model) => [model.name, model.status, model.error?.code])).toEqual([
      ['fact_sessions', 'success', undefined],
      ['stg_users', 'error', 'data_test_failed'],
      ['plan_summary', 'skipped', 'upstream_failed'],
      ['premium_users', 'skipped', 'upstream_failed'],
    ]);
    expect([result.status, result.published, result.publishedModels]).toEqual([
      'error',
      false,
      ['fact_sessions'],
    ]);
    const after = await trustedSnapshot();
    expect({ ...after, fact_sessions: undefined }).toEqual({ ...before, fact_sessions: undefined });
    expect(after['fact_sessions']).toContainEqual(
      expect.objectContaining({ session_id: 's1', watch_duration_s: 99 }),
    );
    expect(await buildSchemas()).toEqual([]);
  });

  it('failFast starts no model after the first failure and still publishes what passed', async () => {
    await warehouse.db
      .insertInto('raw.users')
      .values({ user_id: 'u5', plan: 'gold', country_code: 'FR', monthly_price_cents: 100 })
      .execute();
    // Independent of stg_users, and after it in build order (ties go by name).
    const z_sessions = defineModel({
      name: 'z_sessions',
      description: 'Session ids.',
      materialization: table(),
      select: (ctx) =>
        ctx.db.selectFrom(ctx.source('raw.viewing_sessions', 's')).select(['s.session_id']),
      contract: { columns: { session_id: { type: 'text' } } },
    });
    const build = (failFast: boolean) =>
      buildModels(warehouse.db, {
        models: [...models, fact_sessions, z_sessions],
        failFast,
        concurrency: 1,
      });
    const result = await build(true);
    expect(result.models.map((model) => [model.name, model.status, model.error?.message])).toEqual([
      ['fact_sessions', 'success', undefined],
      ['stg_users', 'error', expect.stringContaining('accepted_values(plan)')],
      ['z_sessions', 'skipped', 'not run: a model failed and --fail-fast is set'],
      ['plan_summary', 'skipped', 'upstream model stg_users failed or was skipped'],
      ['premium_users', 'skipped', 'upstream model plan_summary failed or was skipped'],
    ]);
    expect(result.publishedModels).toEqual(['fact_sessions']);
    expect((await build(false)).publishedModels).toEqual(['fact_sessions', 'z_sessions']);
  });

  it('atomic: a failing test publishes nothing, skips everything downstream and leaves trusted exactly as before', async () => {
    await buildModels(warehouse.db, { models });
    const before = await trustedSnapshot();
    await warehouse.db
      .insertInto('raw.users')
      .values({ user_id: 'u5', plan: 'gold', country_code: 'FR', monthly_price_cents: 100 })
      .execute();
    const result = await buildModels(warehouse.db, {
      models: [...models, fact_sessions],
      atomic: true,
    });
    expect(result.models.map((model) => [model.name, model.status, model.error?.code])).toEqual([
      ['fact_sessions', 'success', undefined],
      ['stg_users', 'error', 'data_test_failed'],
      ['plan_summary', 'skipped', 'upstream_failed'],
      ['premium_users', 'skipped', 'upstream_failed'],
    ]);
    expect(result.publishedModels).toEqual([]);
    expect(result.models[1]?.tests.find((test) => test.status === 'error')?.samples).toEqual([
      { user_id: 'u5', plan: 'gold', country_code: 'FR', monthly_price_cents: 100 },
    ]);
    expect([result.status, result.published]).toEqual(['error', false]);
    expect(await trustedSnapshot()).toEqual(before);
    expect(await buildSchemas()).toEqual([]);
  });

  it('runs independent models in parallel up to `concurrency`, and one by one with 1', async () => {
    const events = async (concurrency: number) => {
      const logger = createMemoryLogger();
      const result = await buildModels(warehouse.db, {
        models: [stg_users, fact_sessions],
        concurrency,
        logger,
      });
      expect(result.status).toBe('success');
      return logger.records
        .filter((record) => record.message === 'model started' || record.message === 'model built')
        .map((record) => record.message);
    };
    expect(await events(2)).toEqual([
      'model started',
      'model started',
      'model built',
      'model built',
    ]);
    expect(await events(1)).toEqual([
      'model started',
      'model built',
      'model started',
      'model built',
    ]);
  });

  it('carries grants of replaced tables and views over to their replacements', async () => {
    const role = `rh_reader_${process.pid}`;
    await sql`create role ${sql.id(role)}`.execute(warehouse.db);
    try {
      await buildModels(warehouse.db, { models });
      await sql`grant usage on schema trusted to ${sql.id(role)}`.execute(warehouse.db);
      await sql`grant select on trusted.plan_summary, trusted.stg_users to ${sql.id(role)}`.execute(
        warehouse.db,
      );
      await buildModels(warehouse.db, { models });
      const { rows } = await sql<{ relation: string; allowed: boolean }>`
        select r as "relation", has_table_privilege(${role}, r, 'select') as "allowed"
        from unnest(array['trusted.plan_summary', 'trusted.stg_users', 'trusted.premium_users']) r`.execute(
        warehouse.db,
      );
      expect(rows).toEqual([
        { relation: 'trusted.plan_summary', allowed: true },
        { relation: 'trusted.stg_users', allowed: true },
        { relation: 'trusted.premium_users', allowed: false },
      ]);
    } finally {
      await sql`drop schema if exists trusted cascade`.execute(warehouse.db);
      await sql`drop owned by ${sql.id(role)}`.execute(warehouse.db);
      await sql`drop role ${sql.id(role)}`.execute(warehouse.db);
    }
  });

  it('grants select on what it publishes to the roles in grantSelectTo, from the first build on', async () => {
    const role = `rh_dashboard_${process.pid}`;
    await sql`create role ${sql.id(role)}`.execute(warehouse.db);
    try {
      await buildModels(warehouse.db, { models, grantSelectTo: [role] });
      const { rows } = await sql<{ allowed: boolean }>`
        select bool_and(has_table_privilege(${role}, 'trusted.' || r, 'select')) and has_schema_privilege(${role}, 'trusted', 'usage') as "allowed"
        from unnest(array['stg_users', 'plan_summary', 'premium_users']) r`.execute(warehouse.db);
      expect(rows).toEqual([{ allowed: true }]);
    } finally {
      await sql`drop schema if exists trusted cascade`.execute(warehouse.db);
      await sql`drop owned by ${sql.id(role)}`.execute(warehouse.db);
      await sql`drop role ${sql.id(role)}`.execute(warehouse.db);
    }
  });

  it('a reader holding a published table fails the publish of that model after the lock timeout; its descendants are held back, the rest published', async () => {
    await buildModels(warehouse.db, { models });
    const before = await trustedSnapshot();
    const result = await warehouse.db.transaction().execute(async (reader) => {
      await sql`select count(*) from trusted.plan_summary`.execute(reader);
      return buildModels(warehouse.db, { models, publishLockTimeoutMs: 200 });
    });
    expect(result.models.map((model) => [model.name, model.status, model.error?.code])).toEqual([
      ['stg_users', 'success', undefined],
      ['plan_summary', 'error', 'lock_unavailable'],
      ['premium_users', 'skipped', 'upstream_failed'],
    ]);
    expect([result.status, result.published, result.publishedModels]).toEqual([
      'error',
      false,
      ['stg_users'],
    ]);
    expect(await trustedSnapshot()).toEqual(before);
    expect(await buildSchemas()).toEqual([]);
  });

  it('atomic: a reader holding a published table makes the whole publish fail after the lock timeout, trusted unchanged', async () => {
    await buildModels(warehouse.db, { models });
    const before = await trustedSnapshot();
    const result = await warehouse.db.transaction().execute(async (reader) => {
      await sql`select count(*) from trusted.plan_summary`.execute(reader);
      return buildModels(warehouse.db, { models, publishLockTimeoutMs: 200, atomic: true });
    });
    expect([result.status, result.published, result.error?.code]).toEqual([
      'error',
      false,
      'lock_unavailable',
    ]);
    expect(result.models.every((model) => model.status === 'success')).toBe(true);
    expect(await trustedSnapshot()).toEqual(before);
    expect(await buildSchemas()).toEqual([]);
  });

  it('two builds on unchanged input give identical tables', async () => {
    await buildModels(warehouse.db, { models });
    const first = await trustedSnapshot();
    await buildModels(warehouse.db, { models });
    expect(await trustedSnapshot()).toEqual(first);
  });

  it('runs one build at a time per warehouse: a second one fails with lock_unavailable', async () => {
    await warehouse.db.connection().execute(async (holder) => {
      await sql`select pg_advisory_lock(5284001, hashtext('trusted'))`.execute(holder);
      try {
        const error = await rejection(buildModels(warehouse.db, { models }));
        expect([error.code, error.message]).toEqual([
          'lock_unavailable',
          'another model build of schema trusted is running on this warehouse; wait for it to finish',
        ]);
      } finally {
        await sql`select pg_advisory_unlock(5284001, hashtext('trusted'))`.execute(holder);
      }
    });
    const [a, b] = await Promise.allSettled([
      buildModels(warehouse.db, { models }),
      buildModels(warehouse.db, { models }),
    ]);
    const outcomes = [a, b]
      .map((outcome) =>
        outcome.status === 'fulfilled'
          ? outcome.value.status
          : (outcome.reason as ReelhouseError).code,
      )
      .sort();
    expect(outcomes).toEqual(['lock_unavailable', 'success']);
  });

  it('validateOnly runs everything, publish included, then rolls back: nothing is left behind', async () => {
    const result = await buildModels(warehouse.db, { models, validateOnly: true });
    expect([result.status, result.published, result.validateOnly]).toEqual([
      'success',
      false,
      true,
    ]);
    expect(result.models.map((model) => [model.name, model.status, model.rows])).toEqual([
      ['stg_users', 'success', null],
      ['plan_summary', 'success', 3],
      ['premium_users', 'success', 2],
    ]);
    const { rows } = await sql<{
      nspname: string;
    }>`select nspname from pg_namespace where nspname like 'trusted%' or nspname = 'ops'`.execute(
      warehouse.db,
    );
    expect(rows).toEqual([]);
  });

  it('validateOnly reports a failing test without touching trusted', async () => {
    await buildModels(warehouse.db, { models });
    const before = await trustedSnapshot();
    await warehouse.db
      .updateTable('raw.users')
      .set({ plan: null })
      .where('user_id', '=', 'u1')
      .execute();
    const result = await buildModels(warehouse.db, { models, validateOnly: true });
    expect(result.models.map((model) => model.status)).toEqual(['error', 'skipped', 'skipped']);
    expect(await trustedSnapshot()).toEqual(before);
    expect(await buildSchemas()).toEqual([]);
  });

  it('writes manifest.json and run_results.json', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'reelhouse-artifacts-'));
    try {
      const result = await buildModels(warehouse.db, { models, artifactsDir: dir });
      const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as {
        models: { name: string; dependsOn: string[]; sql: string }[];
      };
      expect(manifest.models.map((model) => [model.name, model.dependsOn])).toEqual([
        ['stg_users', []],
        ['plan_summary', ['stg_users']],
        ['premium_users', ['plan_summary', 'stg_users']],
      ]);
      expect(manifest.models[0]?.sql).toBe(
        'select "u"."user_id", "u"."plan", "u"."country_code", "u"."monthly_price_cents" from "raw"."users" as "u"',
      );
      const runResults = JSON.parse(await readFile(join(dir, 'run_results.json'), 'utf8')) as {
        buildId: string;
        status: string;
        models: {
          name: string;
          status: string;
          rows: number | null;
          tests: { name: string; status: string }[];
        }[];
      };
      expect(runResults.buildId).toBe(result.buildId);
      expect(
        runResults.models.map((model) => [
          model.name,
          model.status,
          model.rows,
          model.tests.map((test) => `${test.name}:${test.status}`),
        ]),
      ).toEqual([
        [
          'stg_users',
          'success',
          null,
          ['unique(user_id):pass', 'not_null(plan):pass', 'accepted_values(plan):pass'],
        ],
        ['plan_summary', 'success', 3, ['unique(plan):pass']],
        ['premium_users', 'success', 2, ['relationships(plan → plan_summary.plan):pass']],
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('an abort cancels the running statement, publishes nothing and drops the staging schema', async () => {
    await buildModels(warehouse.db, { models });
    const before = await trustedSnapshot();
    const slow = defineModel({
      name: 'slow',
      description: 'Sleeps long enough to be aborted.',
      materialization: table(),
      select: (ctx) =>
        ctx.db
          .selectFrom(ctx.ref(stg_users, 'u'))
          .select(['u.user_id', sql<string>`pg_sleep(30)::text`.as('slept')]),
      contract: { columns: { user_id: { type: 'text' }, slept: { type: 'text' } } },
    });
    const controller = new AbortController();
    const build = buildModels(warehouse.db, {
      models: [...models, slow],
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 300);
    const error = await rejection(build);
    expect(error.code).toBe('aborted');
    expect(await sleepsStillRunning()).toBe(0);
    expect(await trustedSnapshot()).toEqual(before);
    expect(await buildSchemas()).toEqual([]);
  });
});

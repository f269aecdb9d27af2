import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';

import { buildModels, defineExposure, defineModel, readPreviousState } from '../src/index.ts';
import {
  fact_sessions,
  plan_summary,
  premium_users,
  stg_users,
} from './fixtures/example-models.ts';
import { resetToRawFixture } from './fixtures/reset-to-raw-fixture.ts';
import { useTestKysely } from './fixtures/use-test-kysely.ts';

const warehouse = useTestKysely('artifacts', { max: 6 });
let dir: string;
beforeEach(async () => {
  await resetToRawFixture(warehouse.db);
  dir = await mkdtemp(join(tmpdir(), 'reelhouse-runs-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const models = [fact_sessions, premium_users, plan_summary, stg_users];

// Required fields of dbt's published JSON schemas: run_results v6 as published
// (https://schemas.getdbt.com/dbt/run-results/v6.json); manifest v12's top-level list as published
// (https://schemas.getdbt.com/dbt/manifest/v12.json); its node, source and column lists follow
// dbt-core 1.9's ModelNode, GenericTestNode, SourceDefinition and ColumnInfo (fields without defaults).
const nullableString = z.string().nullable();
const nodeBase = {
  database: nullableString,
  schema: z.string(),
  name: z.string(),
  package_name: z.string(),
  path: z.string(),
  original_file_path: z.string(),
  unique_id: z.string(),
  fqn: z.array(z.string()),
  alias: z.string(),
  checksum: z.object({ name: z.string(), checksum: z.string() }),
};
const column = z.object({ name: z.string() });
const modelNode = z.object({
  ...nodeBase,
  resource_type: z.literal('model'),
  columns: z.record(z.string(), column),
  depends_on: z.object({ nodes: z.array(z.string()), macros: z.array(z.string()) }),
});
const testNode = z.object({ ...nodeBase, resource_type: z.literal('test') });
const source = z.object({
  database: nullableString,
  schema: z.string(),
  name: z.string(),
  resource_type: z.literal('source'),
  package_name: z.string(),
  path: z.string(),
  original_file_path: z.string(),
  unique_id: z.string(),
  fqn: z.array(z.string()),
  source_name: z.string(),
  source_description: z.string(),
  loader: z.string(),
  identifier: z.string(),
});
// dbt-core 1.9's Exposure: fields without defaults.
const exposure = z.object({
  name: z.string(),
  resource_type: z.literal('exposure'),
  package_name: z.string(),
  path: z.string(),
  original_file_path: z.string(),
  unique_id: z.string(),
  fqn: z.array(z.string()),
  type: z.enum(['dashboard', 'notebook', 'analysis', 'ml', 'application']),
  owner: z.object({ email: nullableString.optional(), name: nullableString.optional() }),
  depends_on: z.object({ nodes: z.array(z.string()), macros: z.array(z.string()) }),
  url: nullableString.optional(),
});
const map = z.record(z.string(), z.unknown());
const manifestV12 = z.object({
  metadata: z.object({
    dbt_schema_version: z.literal('https://schemas.getdbt.com/dbt/manifest/v12.json'),
  }),
  nodes: z.record(z.string(), z.union([modelNode, testNode])),
  sources: z.record(z.string(), source),
  macros: map,
  docs: map,
  exposures: z.record(z.string(), exposure),
  metrics: map,
  groups: map,
  selectors: map,
  disabled: map.nullable(),
  parent_map: z.record(z.string(), z.array(z.string())).nullable(),
  child_map: z.record(z.string(), z.array(z.string())).nullable(),
  group_map: map.nullable(),
  saved_queries: map,
  semantic_models: map,
  unit_tests: map,
});
const runResultsV6 = z.object({
  metadata: z
    .object({ dbt_schema_version: z.literal('https://schemas.getdbt.com/dbt/run-results/v6.json') })
    .loose(),
  results: z.array(
    z
      .object({
        status: z.enum([
          'success',
          'error',
          'skipped',
          'partial success',
          'no-op',
          'pass',
          'fail',
          'warn',
          'runtime error',
        ]),
        timing: z.array(
          z.object({ name: z.string(), started_at: nullableString, completed_at: nullableString }),
        ),
        thread_id: z.string(),
        execution_time: z.number(),
        adapter_response: map,
        message: nullableString,
        failures: z.number().int().nullable(),
        unique_id: z.string(),
        compiled: z.boolean().nullable(),
        compiled_code: nullableString,
        relation_name: nullableString,
      })
      // v6 allows no other key in a result.
      .strict(),
  ),
  elapsed_time: z.number(),
});

async function json(path: string): Promise<unknown> {
  return JSON.parse(await readFile(path, 'utf8')) as unknown;
}

describe('run artifacts (issue 15)', () => {
  it('are kept per build under runsDir/<buildId>/, with dbt v12 and v6 files that meet dbt schemas', async () => {
    const planBoard = defineExposure({
      name: 'plan_board',
      label: 'Plan board',
      type: 'dashboard',
      description: 'Users per plan.',
      owner: { name: 'Analytics' },
      url: '/plans',
      columns: ['plan_summary.users', 'plan_summary.plan'],
      metrics: ['users'],
    });
    const first = await buildModels(warehouse.db, {
      models,
      runsDir: dir,
      dbtArtifacts: true,
      exposures: [planBoard],
    });
    const second = await buildModels(warehouse.db, { models, runsDir: dir, dbtArtifacts: true });
    expect((await readdir(dir)).sort()).toEqual([first.buildId, second.buildId].sort());
    const manifest = manifestV12.parse(
      await json(join(dir, first.buildId, 'dbt', 'manifest.json')),
    );
    expect(manifest.parent_map?.['model.reelhouse.premium_users']).toEqual([
      'model.reelhouse.plan_summary',
      'model.reelhouse.stg_users',
    ]);
    expect(manifest.child_map?.['source.reelhouse.raw.users']).toEqual([
      'model.reelhouse.stg_users',
    ]);
    const rawManifest = (await json(join(dir, first.buildId, 'dbt', 'manifest.json'))) as {
      exposures: Record<string, unknown>;
    };
    expect(rawManifest.exposures['exposure.reelhouse.plan_board']).toMatchObject({
      type: 'dashboard',
      url: '/plans',
      depends_on: { nodes: ['model.reelhouse.plan_summary'] },
      meta: { columns: ['plan_summary.plan', 'plan_summary.users'], metrics: ['users'] },
    });
    expect(manifest.child_map?.['model.reelhouse.plan_summary']).toContain(
      'exposure.reelhouse.plan_board',
    );
    const own = (await json(join(dir, first.buildId, 'manifest.json'))) as {
      exposures: unknown[];
    };
    expect(own.exposures).toEqual([planBoard]);
    const summary = manifest.nodes['model.reelhouse.plan_summary'];
    expect(summary?.resource_type === 'model' && Object.keys(summary.columns)).toEqual([
      'plan',
      'users',
      'revenue_cents',
    ]);
    const results = runResultsV6.parse(
      await json(join(dir, first.buildId, 'dbt', 'run_results.json')),
    );
    expect(results.results.map((result) => [result.unique_id, result.status])).toContainEqual([
      'test.reelhouse.plan_summary__unique_plan',
      'pass',
    ]);
    expect(results.results.filter((r) => r.unique_id.startsWith('model.')).length).toBe(4);
  });

  it('readPreviousState reads a run folder back: state:modified+ then builds a changed model and its descendants only', async () => {
    const first = await buildModels(warehouse.db, { models, runsDir: dir });
    const previous = await readPreviousState(join(dir, first.buildId));
    expect(previous.targetSchema).toBe('trusted');
    const changed = defineModel({
      ...plan_summary,
      select: (ctx) =>
        ctx.db
          .selectFrom(ctx.ref(stg_users, 'u'))
          .select([
            'u.plan',
            (eb) => eb.fn.countAll<number>().as('users'),
            (eb) => eb.fn.sum<number>('u.monthly_price_cents').as('revenue_cents'),
          ])
          .where('u.country_code', '<>', 'XX')
          .groupBy('u.plan'),
      tests: () => [],
    });
    const second = await buildModels(warehouse.db, {
      models: [fact_sessions, premium_users, changed, stg_users],
      select: ['state:modified+'],
      previous,
    });
    expect(second.models.map((model) => [model.name, model.status])).toEqual([
      ['plan_summary', 'success'],
      ['premium_users', 'success'],
    ]);
  });

  it('defer reads unselected upstream models missing from the target from the schema of the previous build', async () => {
    const first = await buildModels(warehouse.db, { models, runsDir: dir });
    const previous = await readPreviousState(join(dir, first.buildId));
    const build = (defer: boolean) =>
      buildModels(warehouse.db, {
        models,
        targetSchema: 'dev_deferred',
        select: ['premium_users'],
        previous,
        defer,
      });
    expect((await build(false)).models[0]?.error?.message).toMatch(/does not exist/);
    const deferred = await build(true);
    expect(deferred.models.map((model) => [model.name, model.status, model.rows])).toEqual([
      ['premium_users', 'success', 2],
    ]);
    await sql`drop schema dev_deferred cascade`.execute(warehouse.db);
  });

  it('readPreviousState names a folder holding no manifest', async () => {
    await expect(readPreviousState(dir)).rejects.toThrow(
      new RegExp(`--state: cannot read ${join(dir, 'manifest.json')}`),
    );
  });
});

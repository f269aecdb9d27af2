import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { sql } from 'kysely';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';

import {
  buildModels,
  compileProject,
  defineModel,
  defineSeed,
  selectModels,
  table,
  toDbtArtifacts,
} from '../src/index.ts';
import { resetToRawFixture } from './fixtures/reset-to-raw-fixture.ts';
import { useTestKysely } from './fixtures/use-test-kysely.ts';

const warehouse = useTestKysely('seed');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rh-seed-'));
});
beforeEach(async () => {
  await resetToRawFixture(warehouse.db);
});

const planSchema = z.object({
  plan: z.enum(['basic', 'standard', 'premium']),
  monthly_price_cents: z.coerce.number().int().nonnegative(),
  vat_rate: z.coerce.number(),
  has_ads: z.stringbool(),
  launched_on: z.iso.date(),
  note: z.string().optional(),
});

async function seedFile(name: string, text: string) {
  const file = join(dir, `${name}.csv`);
  await writeFile(file, text);
  return file;
}

const goodCsv = `plan,monthly_price_cents,vat_rate,has_ads,launched_on,note
basic,799,0.2,true,2020-01-01,"cheapest, with ads"
standard,1299,0.2,false,2020-01-01,
premium,1799,0.2,false,2021-06-15,4K
`;

async function plansSeed(text = goodCsv) {
  return defineSeed({
    name: 'ref_plan',
    description: 'Plans and prices.',
    file: await seedFile('ref_plan', text),
    schema: planSchema,
    columns: { monthly_price_cents: { check: 'monthly_price_cents >= 0' } },
    primaryKey: ['plan'],
    tests: (t) => [t.unique(['plan'])],
  });
}

describe('defineSeed', () => {
  it('builds a CSV into a table typed by its zod schema, with contract types from the schema', async () => {
    const ref_plan = await plansSeed();
    const result = await buildModels(warehouse.db, { models: [ref_plan] });
    expect(result.status).toBe('success');
    const { rows } = await sql`select * from trusted.ref_plan order by plan`.execute(warehouse.db);
    expect(rows).toEqual([
      {
        plan: 'basic',
        monthly_price_cents: 799,
        vat_rate: 0.2,
        has_ads: true,
        launched_on: '2020-01-01',
        note: 'cheapest, with ads',
      },
      {
        plan: 'premium',
        monthly_price_cents: 1799,
        vat_rate: 0.2,
        has_ads: false,
        launched_on: '2021-06-15',
        note: '4K',
      },
      {
        plan: 'standard',
        monthly_price_cents: 1299,
        vat_rate: 0.2,
        has_ads: false,
        launched_on: '2020-01-01',
        note: null,
      },
    ]);
    expect(ref_plan.contract.columns).toEqual({
      plan: { type: 'text' },
      monthly_price_cents: { type: 'integer', check: 'monthly_price_cents >= 0' },
      vat_rate: { type: 'double precision' },
      has_ads: { type: 'boolean' },
      launched_on: { type: 'date' },
      note: { type: 'text', nullable: true },
    });
    expect(ref_plan.resourceType).toBe('seed');
  });

  it('is a node of the graph: models ref it, selectors select it, the dbt manifest calls it a seed', async () => {
    const ref_plan = await plansSeed();
    const ad_plans = defineModel({
      name: 'ad_plans',
      description: 'Plans with ads.',
      materialization: table(),
      select: (ctx) =>
        ctx.db.selectFrom(ctx.ref(ref_plan, 'p')).select('p.plan').where('p.has_ads', '=', true),
      contract: { columns: { plan: { type: 'text' } } },
    });
    const project = compileProject([ref_plan, ad_plans], { targetSchema: 'trusted' });
    expect(selectModels(project, ['resource_type:seed'])).toEqual(['ref_plan']);
    expect(selectModels(project, ['ref_plan+'])).toEqual(['ref_plan', 'ad_plans']);
    const result = await buildModels(warehouse.db, { models: [ref_plan, ad_plans] });
    expect(result.status).toBe('success');
    const { manifest } = toDbtArtifacts(project, { result, generatedAt: '2024-01-01T00:00:00Z' });
    const nodes = manifest['nodes'] as Record<string, { resource_type: string; depends_on: unknown }>;
    expect(nodes['seed.reelhouse.ref_plan']?.resource_type).toBe('seed');
    expect(nodes['model.reelhouse.ad_plans']?.depends_on).toEqual({
      macros: [],
      nodes: ['seed.reelhouse.ref_plan'],
    });
  });

  it('refuses a bad row naming the file, the line and the field, so nothing is built', async () => {
    const bad = goodCsv.replace('premium,1799', 'premium,-5');
    await expect(plansSeed(bad)).rejects.toThrow(
      `${join(dir, 'ref_plan.csv')}: line 4, field monthly_price_cents: Too small: expected number to be >=0 (value "-5")`,
    );
    await expect(plansSeed(goodCsv.replace('standard,', 'gold,'))).rejects.toThrow(
      /ref_plan\.csv: line 3, field plan: Invalid option: expected one of "basic"\|"standard"\|"premium" \(value "gold"\)/,
    );
    await expect(plansSeed(goodCsv.replace(',2021-06-15,4K', ',2021-06-15'))).rejects.toThrow(
      /ref_plan\.csv: line 4: 5 fields where the header has 6/,
    );
    await expect(plansSeed(goodCsv.replace('vat_rate', 'vat'))).rejects.toThrow(
      /ref_plan\.csv: line 1: the header must name the columns .*; missing vat_rate; unknown vat/,
    );
  });
});

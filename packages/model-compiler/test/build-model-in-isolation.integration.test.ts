import { describe, expect, it } from 'vitest';

import { buildModelInIsolation, modelRows, sourceRows } from '../src/testing/index.ts';
import { plan_summary, stg_users } from './fixtures/example-models.ts';
import { useTestKysely } from './fixtures/use-test-kysely.ts';

const warehouse = useTestKysely('isolation');

describe('buildModelInIsolation', () => {
  it('builds a table model from typed rows of its upstream model and runs its tests', async () => {
    const built = await buildModelInIsolation(warehouse.db, {
      model: plan_summary,
      inputs: [
        modelRows(stg_users, [
          { user_id: 'a', plan: 'premium', country_code: 'FR', monthly_price_cents: 1000 },
          { user_id: 'b', plan: 'premium', country_code: 'DE', monthly_price_cents: 1200 },
          { user_id: 'c', plan: 'basic', country_code: 'FR', monthly_price_cents: 500 },
        ]),
      ],
    });
    expect(built.sql).toMatchInlineSnapshot(
      `"select "u"."plan", count(*) as "users", sum("u"."monthly_price_cents") as "revenue_cents" from "isolation__plan_summary"."stg_users" as "u" group by "u"."plan""`,
    );
    expect(built.rows).toEqual([
      { plan: 'basic', users: 1, revenue_cents: 500 },
      { plan: 'premium', users: 2, revenue_cents: 2200 },
    ]);
    expect(built.testResults.map((test) => [test.name, test.status])).toEqual([
      ['unique(plan)', 'pass'],
    ]);
  });

  it('builds a view over raw rows and reports the failing rows of its tests', async () => {
    const built = await buildModelInIsolation(warehouse.db, {
      model: stg_users,
      inputs: [
        sourceRows('raw.users', [
          { user_id: 'a', plan: 'premium', country_code: 'FR', monthly_price_cents: 1000 },
          { user_id: 'a', plan: 'gold', country_code: 'FR', monthly_price_cents: 1000 },
        ]),
      ],
    });
    expect(built.rows).toHaveLength(2);
    expect(
      built.testResults.map((test) => [test.name, test.status, test.failures, test.samples]),
    ).toEqual([
      ['unique(user_id)', 'error', 1, [{ user_id: 'a', duplicates: 2 }]],
      ['not_null(plan)', 'pass', 0, []],
      [
        'accepted_values(plan)',
        'error',
        1,
        [{ user_id: 'a', plan: 'gold', country_code: 'FR', monthly_price_cents: 1000 }],
      ],
    ]);
  });

  it('names every input the model reads that the test did not give', async () => {
    await expect(
      buildModelInIsolation(warehouse.db, { model: plan_summary, inputs: [] }),
    ).rejects.toThrowErrorMatchingInlineSnapshot(
      `[ReelhouseError: model plan_summary reads stg_users: pass rows for each (modelRows / sourceRows, an empty array is fine)]`,
    );
  });
});

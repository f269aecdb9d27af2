import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';

import { applyDelta, planDeltaApplication, withKeyIndexProbes } from '../src/apply-delta.ts';
import type { DeltaPlan } from '../src/incremental-delta.ts';
import { incremental, type IncrementalStrategy } from '../src/materialization.ts';
import { useTestKysely } from './fixtures/use-test-kysely.ts';

const warehouse = useTestKysely('apply_delta');

const tableRows = 40_000;

/** `public.big` (tableRows rows) and `public.delta`: `updated` existing keys with n = -1, `added` new keys. */
async function createTables(options: {
  readonly primaryKey: string;
  readonly updated: number;
  readonly added: number;
}): Promise<void> {
  await sql
    .raw(
      `drop table if exists public.big, public.delta;
       create table public.big (a text not null, b int not null, n int not null${options.primaryKey === '' ? '' : `, primary key (${options.primaryKey})`});
       insert into public.big select 'k' || g, g % 7, g from generate_series(1, ${tableRows}) g;
       create table public.delta as
         select 'k' || g as a, g % 7 as b, -1 as n from generate_series(1, ${options.updated}) g
         union all select 'new' || g, g % 7, -2 from generate_series(1, ${options.added}) g;
       analyze public.big; analyze public.delta;`,
    )
    .execute(warehouse.db);
}

function deltaPlan(strategy: IncrementalStrategy, uniqueKey: string[]): DeltaPlan {
  return {
    target: 'public.big',
    delta: 'public.delta',
    materialization: incremental({ strategy, uniqueKey }),
    columns: ['a', 'b', 'n'],
    ranges: [],
  };
}

async function tableState(): Promise<{ rows: number; updated: number; added: number }> {
  const { rows } = await sql<{ rows: number; updated: number; added: number }>`
    select count(*)::int as "rows", count(*) filter (where n = -1)::int as "updated",
      count(*) filter (where n = -2)::int as "added" from public.big`.execute(warehouse.db);
  return rows[0] ?? { rows: -1, updated: -1, added: -1 };
}

describe('applying a delta', () => {
  beforeEach(async () => {
    await createTables({ primaryKey: 'a', updated: 200, added: 300 });
  });

  it('merges a small delta by probing the key index, then restores the join settings', async () => {
    const application = await planDeltaApplication(warehouse.db, {
      plan: deltaPlan('merge', ['a']),
      rows: 500,
    });
    expect(application).toMatchObject({ probeKeyIndex: true, analyze: false });
    const [merge] = application.statements;
    if (merge === undefined) throw new Error('no merge statement');
    const probed = await warehouse.db
      .transaction()
      .execute((trx) => withKeyIndexProbes(trx, () => planTextOn(trx, merge)));
    expect(probed).toMatch(/Index Scan using big_pkey/);
    expect(probed).not.toMatch(/Hash|Merge Join/);

    await warehouse.db.transaction().execute(async (trx) => {
      await applyDelta(trx, application);
      const { rows } = await sql<{
        hash: string;
        merge: string;
      }>`select current_setting('enable_hashjoin') as "hash", current_setting('enable_mergejoin') as "merge"`.execute(
        trx,
      );
      expect(rows).toEqual([{ hash: 'on', merge: 'on' }]);
    });
    expect(await tableState()).toEqual({ rows: tableRows + 300, updated: 200, added: 300 });
  });

  it('deletes and inserts a small delta the same way', async () => {
    const application = await planDeltaApplication(warehouse.db, {
      plan: deltaPlan('delete+insert', ['a']),
      rows: 500,
    });
    expect(application.probeKeyIndex).toBe(true);
    await warehouse.db.transaction().execute((trx) => applyDelta(trx, application));
    expect(await tableState()).toEqual({ rows: tableRows + 300, updated: 200, added: 300 });
  });

  it('lets the planner choose for a large delta, and analyzes the table after it', async () => {
    await createTables({ primaryKey: 'a', updated: 5_000, added: 5_000 });
    const application = await planDeltaApplication(warehouse.db, {
      plan: deltaPlan('merge', ['a']),
      rows: 10_000,
    });
    expect(application).toMatchObject({ probeKeyIndex: false, analyze: true });
  });

  it('does not probe without an index leading with the unique key', async () => {
    await createTables({ primaryKey: '', updated: 200, added: 300 });
    const plan = deltaPlan('merge', ['a']);
    expect((await planDeltaApplication(warehouse.db, { plan, rows: 500 })).probeKeyIndex).toBe(
      false,
    );
    // An index whose leading columns are the key in another order serves; one on part of it does not.
    await sql`create index big_b_a_n on public.big (b, a, n)`.execute(warehouse.db);
    expect(
      (
        await planDeltaApplication(warehouse.db, {
          plan: deltaPlan('merge', ['a', 'b']),
          rows: 500,
        })
      ).probeKeyIndex,
    ).toBe(true);
    expect(
      (
        await planDeltaApplication(warehouse.db, {
          plan: deltaPlan('merge', ['a', 'n']),
          rows: 500,
        })
      ).probeKeyIndex,
    ).toBe(false);
  });

  it('never probes an append, and does nothing extra for an empty delta', async () => {
    expect(
      await planDeltaApplication(warehouse.db, { plan: deltaPlan('append', []), rows: 500 }),
    ).toMatchObject({ probeKeyIndex: false, analyze: false });
    expect(
      await planDeltaApplication(warehouse.db, { plan: deltaPlan('merge', ['a']), rows: 0 }),
    ).toMatchObject({ probeKeyIndex: false, analyze: false });
  });
});

async function planTextOn(
  db: Parameters<typeof withKeyIndexProbes>[0],
  statement: string,
): Promise<string> {
  const { rows } = await sql<{
    'QUERY PLAN': string;
  }>`explain (costs off) ${sql.raw(statement)}`.execute(db);
  return rows.map((row) => row['QUERY PLAN']).join('\n');
}

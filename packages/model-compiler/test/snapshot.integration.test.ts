import { createHash } from 'node:crypto';

import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';

import {
  buildModels,
  compileProject,
  defineSnapshot,
  selectModels,
  toDbtArtifacts,
  type SnapshotHardDeletes,
  type SnapshotStrategy,
} from '../src/index.ts';
import { contents } from './fixtures/raw-fixture.ts';
import { resetToRawFixture } from './fixtures/reset-to-raw-fixture.ts';
import { useTestKysely } from './fixtures/use-test-kysely.ts';

const warehouse = useTestKysely('snapshot', { max: 6 });

interface HistoryRow {
  readonly user_id: string;
  readonly plan?: string | null;
  /** A non-tracked attribute (check strategy) or a second value of the same version. */
  readonly email?: string | null;
  readonly updated_at?: string | null;
  readonly op?: 'upsert' | 'delete';
  /** Day of March 2024 the row's change was written (and the tombstone's time). */
  readonly changed: number;
  /** Day of April 2024 the row was loaded. */
  readonly loaded?: number;
  /** The row's place in the key's history; by default after every row landed before. */
  readonly seq?: number;
}

let sequence = 0;
beforeEach(async () => {
  sequence = 0;
  await resetToRawFixture(warehouse.db);
  await sql`create table raw.users__history (user_id text not null, plan text, email text, updated_at timestamptz,
    _op text not null, _change_seq bigint not null, _changed_at timestamptz not null, _extracted_at timestamptz not null)`.execute(
    warehouse.db,
  );
});

const day = (month: string, n: number) =>
  `2024-${month}-${String(n).padStart(2, '0')}T00:00:00.000Z`;
async function land(rows: readonly HistoryRow[]) {
  await warehouse.db
    .insertInto('raw.users__history')
    .values(
      rows.map((row) => ({
        user_id: row.user_id,
        plan: row.op === 'delete' ? null : (row.plan ?? 'basic'),
        email: row.op === 'delete' ? null : (row.email ?? `${row.user_id}@example.com`),
        updated_at: row.op === 'delete' ? null : (row.updated_at ?? day('03', row.changed)),
        _op: row.op ?? 'upsert',
        _change_seq: row.seq ?? (sequence += 10),
        _changed_at: day('03', row.changed),
        _extracted_at: day('04', row.loaded ?? 1),
      })),
    )
    .execute();
}

function plans(
  strategy: SnapshotStrategy<'updated_at' | 'plan' | 'email' | '_changed_at'>,
  hardDeletes?: SnapshotHardDeletes<'deleted' | '_changed_at'>,
) {
  return defineSnapshot({
    name: 'plan_history',
    description: 'Plans of users over time.',
    history: (ctx) =>
      ctx.db
        .selectFrom(ctx.source('raw.users__history', 'h'))
        .select([
          'h.user_id',
          'h.plan',
          'h.email',
          'h.updated_at',
          'h._change_seq',
          'h._changed_at',
          'h._extracted_at',
        ])
        .select(sql<boolean>`h._op = 'delete'`.as('deleted')),
    uniqueKey: ['user_id'],
    sequence: '_change_seq',
    loadedAt: '_extracted_at',
    strategy,
    ...(hardDeletes === undefined ? {} : { hardDeletes }),
    select: (ctx, s) =>
      ctx.db
        .selectFrom(s.versions('v'))
        .select([
          'v.scd_id',
          'v.user_id',
          'v.plan',
          'v.email',
          'v.valid_from',
          'v.valid_to',
          'v.is_current',
          'v.is_deleted',
          'v.scd_loaded_at',
        ]),
    contract: {
      columns: {
        scd_id: { type: 'bigint' },
        user_id: { type: 'text' },
        plan: { type: 'text', nullable: true },
        email: { type: 'text', nullable: true },
        valid_from: { type: 'timestamptz' },
        valid_to: { type: 'timestamptz', nullable: true },
        is_current: { type: 'boolean' },
        is_deleted: { type: 'boolean' },
        scd_loaded_at: { type: 'timestamptz' },
      },
      primaryKey: ['scd_id'],
    },
    tests: (t) => [t.unique(['user_id', 'valid_from'])],
  });
}

const byPlan = { type: 'check', checkCols: ['plan'], validFrom: 'updated_at' } as const;
const byUpdatedAt = { type: 'timestamp', updatedAt: 'updated_at' } as const;

/** The table's versions as `[user, plan, from, to, current, deleted]`, in key and time order. */
async function versions() {
  const { rows } = await sql<{
    user_id: string;
    plan: string | null;
    valid_from: Date;
    valid_to: Date | null;
    is_current: boolean;
    is_deleted: boolean;
  }>`select * from trusted.plan_history order by user_id, valid_from`.execute(warehouse.db);
  return rows.map((r) => [
    r.user_id,
    r.plan,
    r.valid_from.toISOString().slice(5, 10),
    r.valid_to?.toISOString().slice(5, 10) ?? null,
    r.is_current,
    r.is_deleted,
  ]);
}

async function build(model: ReturnType<typeof plans>, options: { fullRefresh?: boolean } = {}) {
  const result = await buildModels(warehouse.db, { models: [model], ...options });
  expect(result.status).toBe('success');
  return result.models[0];
}

describe('defineSnapshot', () => {
  it('timestamp strategy: a version per newer updated_at, valid from it; same or older updated_at opens none', async () => {
    await land([
      { user_id: 'u1', plan: 'basic', changed: 1 },
      { user_id: 'u1', plan: 'basic', changed: 1 }, // extracted again, unchanged
      { user_id: 'u1', plan: 'premium', changed: 5 },
      { user_id: 'u1', plan: 'standard', changed: 3, updated_at: day('03', 3) }, // older: ignored
      { user_id: 'u2', plan: 'basic', changed: 2, email: 'a@x' },
      { user_id: 'u2', plan: 'basic', changed: 4, email: 'b@x' }, // newer: a version, plan unchanged
    ]);
    await build(plans(byUpdatedAt));
    expect(await versions()).toEqual([
      ['u1', 'basic', '03-01', '03-05', false, false],
      ['u1', 'premium', '03-05', null, true, false],
      ['u2', 'basic', '03-02', '03-04', false, false],
      ['u2', 'basic', '03-04', null, true, false],
    ]);
  });

  it('check strategy: a version per change of the checked columns, and A -> B -> A gives three versions', async () => {
    await land([
      { user_id: 'u1', plan: 'basic', changed: 1 },
      { user_id: 'u1', plan: 'basic', changed: 2, email: 'new@x' }, // unchecked column: same version
      { user_id: 'u1', plan: 'premium', changed: 3 },
      { user_id: 'u1', plan: 'basic', changed: 4 }, // cancelled and back
    ]);
    await build(plans(byPlan));
    expect(await versions()).toEqual([
      ['u1', 'basic', '03-01', '03-03', false, false],
      ['u1', 'premium', '03-03', '03-04', false, false],
      ['u1', 'basic', '03-04', null, true, false],
    ]);
    const { rows } = await sql<{
      email: string;
    }>`select email from trusted.plan_history order by valid_from limit 1`.execute(warehouse.db);
    // dbt's behaviour: a version keeps the values it opened with.
    expect(rows[0]?.email).toBe('u1@example.com');
  });

  it('keeps validity strictly increasing when a version starts no later than the one before', async () => {
    await land([
      { user_id: 'u1', plan: 'basic', changed: 5 },
      { user_id: 'u1', plan: 'premium', changed: 5 },
      { user_id: 'u1', plan: 'basic', changed: 4, updated_at: day('03', 4) },
    ]);
    await build(plans(byPlan));
    const micros = await sql<{
      us: string;
    }>`select (extract(epoch from valid_from) * 1000000)::bigint::text as us from trusted.plan_history order by valid_from`.execute(
      warehouse.db,
    );
    const base = BigInt(Date.parse('2024-03-05T00:00:00Z')) * 1000n;
    expect(micros.rows.map((r) => BigInt(r.us) - base)).toEqual([0n, 1n, 2n]);
  });

  it('is a snapshot node: resource_type snapshot in the dbt manifest, selectable by resource_type', async () => {
    await land([{ user_id: 'u1', changed: 1 }]);
    const model = plans(byPlan);
    const result = await buildModels(warehouse.db, { models: [model] });
    const project = compileProject([model], { targetSchema: 'trusted' });
    expect(selectModels(project, ['resource_type:snapshot'])).toEqual(['plan_history']);
    const { manifest } = toDbtArtifacts(project, { result, generatedAt: '2024-01-01T00:00:00Z' });
    const nodes = manifest['nodes'] as Record<string, { resource_type: string }>;
    expect(nodes['snapshot.reelhouse.plan_history']?.resource_type).toBe('snapshot');
  });

  it('derives scd_id from the key and valid_from (MD5, 52 bits): the same on every rebuild', async () => {
    await land([{ user_id: 'u1', changed: 1 }]);
    await build(plans(byPlan));
    const micros = BigInt(Date.parse(day('03', 1))) * 1000n;
    const hex = createHash('md5').update(`u1|${micros}`).digest('hex').slice(0, 13);
    const { rows } = await sql<{
      scd_id: string;
    }>`select scd_id::text from trusted.plan_history`.execute(warehouse.db);
    expect(rows).toEqual([{ scd_id: BigInt(`0x${hex}`).toString() }]);
  });

  describe('hard deletes', () => {
    // u1 deleted on the 3rd and back (unchanged) on the 5th; u2 deleted on the 4th for good.
    const history: HistoryRow[] = [
      { user_id: 'u1', plan: 'basic', changed: 1 },
      { user_id: 'u1', op: 'delete', changed: 3 },
      { user_id: 'u1', op: 'delete', changed: 3 }, // the tombstone extracted twice
      { user_id: 'u1', plan: 'basic', changed: 5 },
      { user_id: 'u2', plan: 'premium', changed: 2 },
      { user_id: 'u2', op: 'delete', changed: 4 },
    ];

    it('ignore: tombstones change nothing, the last version stays current', async () => {
      await land(history);
      await build(plans(byPlan, { mode: 'ignore', when: 'deleted' }));
      expect(await versions()).toEqual([
        ['u1', 'basic', '03-01', null, true, false],
        ['u2', 'premium', '03-02', null, true, false],
      ]);
    });

    it('invalidate: the tombstone closes the last version; a key back after it opens a new one', async () => {
      await land(history);
      await build(plans(byPlan, { mode: 'invalidate', when: 'deleted', at: '_changed_at' }));
      expect(await versions()).toEqual([
        ['u1', 'basic', '03-01', '03-03', false, false],
        ['u1', 'basic', '03-05', null, true, false],
        ['u2', 'premium', '03-02', '03-04', false, false],
      ]);
    });

    it('new_record: the deletion is a version of its own, with the last values and is_deleted', async () => {
      await land(history);
      await build(plans(byUpdatedAt, { mode: 'new_record', when: 'deleted', at: '_changed_at' }));
      expect(await versions()).toEqual([
        ['u1', 'basic', '03-01', '03-03', false, false],
        ['u1', 'basic', '03-03', '03-05', false, true],
        ['u1', 'basic', '03-05', null, true, false],
        ['u2', 'premium', '03-02', '03-04', false, false],
        ['u2', 'premium', '03-04', null, true, true],
      ]);
    });
  });

  it('a rerun with no new history changes nothing', async () => {
    await land([
      { user_id: 'u1', plan: 'basic', changed: 1 },
      { user_id: 'u1', plan: 'premium', changed: 2 },
    ]);
    const model = plans(byPlan);
    await build(model);
    const before = await contents(warehouse.db, 'trusted.plan_history');
    const rerun = await build(model);
    // Unchanged sources: skipped as up to date, or an incremental run that writes nothing.
    expect(rerun?.rows).toBe(0);
    expect(await contents(warehouse.db, 'trusted.plan_history')).toEqual(before);
  });

  it.each([
    ['check', byPlan, { mode: 'invalidate', when: 'deleted', at: '_changed_at' }],
    ['timestamp', byUpdatedAt, { mode: 'new_record', when: 'deleted', at: '_changed_at' }],
  ] as const)(
    '%s: builds after each load equal a full rebuild, also when history arrives out of order',
    async (_name, strategy, hardDeletes) => {
      const model = plans(strategy, hardDeletes);
      const loads: HistoryRow[][] = [
        [
          { user_id: 'u1', plan: 'basic', changed: 1 },
          { user_id: 'u2', plan: 'basic', changed: 1 },
        ],
        [
          { user_id: 'u1', plan: 'premium', changed: 4 },
          { user_id: 'u2', op: 'delete', changed: 5 },
          { user_id: 'u3', plan: 'basic', changed: 2 },
        ],
        [
          { user_id: 'u1', plan: 'basic', changed: 6 }, // back to basic: a third version
          { user_id: 'u2', plan: 'standard', changed: 7 }, // back after its deletion
          { user_id: 'u3', plan: 'premium', changed: 3, email: 'late@x' },
        ],
      ];
      for (const [index, rows] of loads.entries()) {
        await land(rows.map((row) => ({ ...row, loaded: index + 1 })));
        await build(model);
      }
      // A row loaded late into the middle of u1's history: u1's versions change, not only its last.
      await land([{ user_id: 'u1', plan: 'standard', changed: 2, loaded: 9, seq: 2 }]);
      const incremental = await build(model);
      expect(incremental?.mode).toBe('incremental_delta');
      const afterIncremental = await contents(warehouse.db, 'trusted.plan_history');
      expect((await build(model, { fullRefresh: true }))?.mode).toBe('incremental_full');
      expect(await contents(warehouse.db, 'trusted.plan_history')).toEqual(afterIncremental);
    },
  );
});

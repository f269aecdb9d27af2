import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';

import { buildModels, defineModel, incremental } from '../src/index.ts';
import { resetToRawFixture } from './fixtures/reset-to-raw-fixture.ts';
import { useTestKysely } from './fixtures/use-test-kysely.ts';

const warehouse = useTestKysely('upstream_changes', { max: 6 });
beforeEach(async () => {
  await resetToRawFixture(warehouse.db);
  await warehouse.db
    .insertInto('raw.viewing_sessions')
    .values(
      ['s1', 's2', 's3'].map((session_id, index) => ({
        session_id,
        user_id: 'u1',
        started_at: '2024-01-01T10:00:00Z',
        watch_duration_s: 100 * (index + 1),
        updated_at: '2024-01-01T11:00:00Z',
      })),
    )
    .execute();
});

/** Every raw session merged again on each run; sessions raw no longer has leave through `deletes`. */
const sessions = defineModel({
  name: 'sessions',
  description: 'Sessions, merged by key, removing sessions raw no longer has.',
  materialization: incremental({ strategy: 'merge', uniqueKey: ['session_id'] }),
  select: (ctx) =>
    ctx.db
      .selectFrom(ctx.source('raw.viewing_sessions', 's'))
      .select(['s.session_id', 's.watch_duration_s']),
  deletes: (ctx) =>
    ctx.db
      .selectFrom(ctx.self('t'))
      .select(sql<string>`t.session_id`.as('session_id'))
      .where(
        sql<boolean>`not exists (select 1 from ${ctx.source('raw.viewing_sessions', 'r')} where r.session_id = t.session_id)`,
      ),
  contract: {
    columns: { session_id: { type: 'text' }, watch_duration_s: { type: 'integer' } },
    primaryKey: ['session_id'],
  },
});

/** Records what `ctx.changes(sessions)` said in its incremental run. */
const probe = defineModel({
  name: 'probe',
  description: 'One row: what the last run saw of the sessions model’s changes.',
  materialization: incremental({ strategy: 'delete+insert', uniqueKey: ['k'] }),
  select: (ctx) => {
    const row = (seen: string, upserted = sql<number>`0`, removed = sql<number>`0`) =>
      ctx.db.selectNoFrom([
        sql<number>`1`.as('k'),
        sql<string>`${sql.lit(seen)}`.as('seen'),
        sql<number>`(${upserted})::integer`.as('upserted'),
        sql<number>`(${removed})::integer`.as('removed'),
        // Read through ctx.ref too, so the model depends on sessions in every mode.
        sql<number>`(select count(*) from ${ctx.ref(sessions, 'all_rows')})::integer`.as('stored'),
      ]);
    if (!ctx.isIncremental) return row('full');
    const changes = ctx.changes(sessions);
    if (changes === undefined) return row('unknown');
    if (changes.kind === 'unchanged') return row('unchanged');
    return row(
      'delta',
      sql<number>`select count(*) from ${changes.upserted('u')}`,
      sql<number>`select count(*) from ${changes.removed('r')}`,
    );
  },
  contract: {
    columns: {
      k: { type: 'integer' },
      seen: { type: 'text' },
      upserted: { type: 'integer' },
      removed: { type: 'integer' },
      stored: { type: 'integer' },
    },
    primaryKey: ['k'],
  },
});

async function probed() {
  const { rows } = await sql<{
    seen: string;
    upserted: number;
    removed: number;
    stored: number;
  }>`select seen, upserted, removed, stored from trusted.probe`.execute(warehouse.db);
  return rows[0];
}

const deleteSession = (id: string) =>
  warehouse.db.deleteFrom('raw.viewing_sessions').where('session_id', '=', id).execute();

describe('ctx.changes: an upstream model’s changes in the same build', () => {
  it('gives the upstream’s delta and removed keys when the model saw its last published state', async () => {
    const models = [sessions, probe];
    expect((await buildModels(warehouse.db, { models })).status).toBe('success');
    expect(await probed()).toEqual({ seen: 'full', upserted: 0, removed: 0, stored: 3 });
    await deleteSession('s2');
    expect((await buildModels(warehouse.db, { models })).status).toBe('success');
    expect(await probed()).toEqual({ seen: 'delta', upserted: 2, removed: 1, stored: 2 });
  });

  it('says unchanged when the upstream is not rebuilt in the build', async () => {
    const models = [sessions, probe];
    expect((await buildModels(warehouse.db, { models })).status).toBe('success');
    expect((await buildModels(warehouse.db, { models, select: ['probe'] })).status).toBe('success');
    expect(await probed()).toMatchObject({ seen: 'unchanged', stored: 3 });
  });

  it('is unknown after a build published the upstream without the model, then a delta again', async () => {
    const models = [sessions, probe];
    expect((await buildModels(warehouse.db, { models })).status).toBe('success');
    await deleteSession('s2');
    // The upstream alone: the probe misses this change, so the next delta would not cover it.
    expect((await buildModels(warehouse.db, { models, select: ['sessions'] })).status).toBe(
      'success',
    );
    await deleteSession('s3');
    expect((await buildModels(warehouse.db, { models })).status).toBe('success');
    expect(await probed()).toMatchObject({ seen: 'unknown', stored: 1 });
    expect((await buildModels(warehouse.db, { models })).status).toBe('success');
    expect(await probed()).toEqual({ seen: 'delta', upserted: 1, removed: 0, stored: 1 });
  });
});

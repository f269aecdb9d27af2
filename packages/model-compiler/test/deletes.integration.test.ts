import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';

import {
  buildModels,
  defineModel,
  incremental,
  table,
  type IncrementalStrategy,
} from '../src/index.ts';
import { resetToRawFixture } from './fixtures/reset-to-raw-fixture.ts';
import { useTestKysely } from './fixtures/use-test-kysely.ts';

const warehouse = useTestKysely('deletes', { max: 6 });
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

/** Sessions by key: new rows never come after the first build, but deleted raw rows leave through `deletes`. */
function sessionsModel(strategy: IncrementalStrategy) {
  return defineModel({
    name: 'sessions',
    description: `Sessions, incremental ${strategy}, removing sessions raw no longer has.`,
    materialization: incremental({ strategy, uniqueKey: ['session_id'] }),
    select: (ctx) => {
      const query = ctx.db
        .selectFrom(ctx.source('raw.viewing_sessions', 's'))
        .select(['s.session_id', 's.watch_duration_s']);
      return ctx.isIncremental ? query.where(sql<boolean>`false`) : query;
    },
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
}

function totalModel(sessions: ReturnType<typeof sessionsModel>) {
  return defineModel({
    name: 'total',
    description: 'Watch time of every session, as the same build sees them.',
    materialization: table(),
    select: (ctx) =>
      ctx.db
        .selectFrom(ctx.ref(sessions, 's'))
        .select(sql<number>`coalesce(sum(s.watch_duration_s), 0)::integer`.as('seconds')),
    contract: { columns: { seconds: { type: 'integer' } } },
  });
}

describe('incremental models with deletes', () => {
  it.each(['merge', 'delete+insert'] as const)(
    '%s removes the deleted keys at publish, and downstream models of the same build already read without them',
    async (strategy) => {
      const sessions = sessionsModel(strategy);
      const models = [sessions, totalModel(sessions)];
      expect((await buildModels(warehouse.db, { models })).status).toBe('success');
      await warehouse.db
        .deleteFrom('raw.viewing_sessions')
        .where('session_id', '=', 's2')
        .execute();
      const result = await buildModels(warehouse.db, { models });
      expect(result.status).toBe('success');
      // The removed row counts as written: the run changed the table.
      expect(result.models.find((m) => m.name === 'sessions')).toMatchObject({
        mode: 'incremental_delta',
        rows: 1,
      });
      const rows = await sql<{
        session_id: string;
      }>`select session_id from trusted.sessions order by session_id`.execute(warehouse.db);
      expect(rows.rows.map((r) => r.session_id)).toEqual(['s1', 's3']);
      const total = await sql<{ seconds: number }>`select seconds from trusted.total`.execute(
        warehouse.db,
      );
      expect(total.rows).toEqual([{ seconds: 400 }]);
    },
  );
});

import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';

import { buildModels, defineModel, table, view } from '../src/index.ts';
import { buildModelInIsolation, modelRows, sourceRows } from '../src/testing/index.ts';
import { stg_users } from './fixtures/example-models.ts';
import { createRawFixture } from './fixtures/raw-fixture.ts';
import { useTestKysely } from './fixtures/use-test-kysely.ts';

const warehouse = useTestKysely('data_tests');

/** Sessions with one test of each kind, each aimed at one defect of the fixture below. */
const checked_sessions = defineModel({
  name: 'checked_sessions',
  description: 'Sessions under every generic test.',
  materialization: table(),
  select: (ctx) =>
    ctx.db
      .selectFrom(ctx.source('raw.viewing_sessions', 's'))
      .select([
        's.session_id',
        's.user_id',
        's.device_type',
        's.quality',
        's.watch_duration_s',
        's.exit_reason',
      ]),
  contract: {
    columns: {
      session_id: { type: 'text' },
      user_id: { type: 'text' },
      device_type: { type: 'text', nullable: true },
      quality: { type: 'text' },
      watch_duration_s: { type: 'integer' },
      exit_reason: { type: 'text', nullable: true },
    },
  },
  tests: (t) => [
    t.unique('session_id'),
    t.notNull('device_type'),
    t.acceptedValues('quality', ['sd', 'hd', '4k']),
    t.relationships('user_id', { model: stg_users, field: 'user_id' }),
    t.custom('negative_watch_time', (ctx, self) =>
      ctx.db
        .selectFrom(sql`${sql.raw(self)}`.as('s'))
        .selectAll()
        .where(sql<boolean>`s.watch_duration_s < 0`),
    ),
    t.notNull('exit_reason', { severity: 'warn' }),
    t.acceptedValues('device_type', ['tv', 'phone'], { errorAbove: 1, sampleSize: 1 }),
  ],
});

const session = (
  id: string,
  overrides: Partial<{
    user_id: string;
    device_type: string | null;
    quality: string;
    watch_duration_s: number;
    exit_reason: string | null;
  }> = {},
) => ({
  session_id: id,
  user_id: 'u1',
  device_type: 'tv',
  quality: 'hd',
  watch_duration_s: 60,
  exit_reason: 'completed',
  ...overrides,
});

describe('data tests', () => {
  it('each generic test catches its defect and names the failing rows; warn and error follow severity and thresholds', async () => {
    const built = await buildModelInIsolation(warehouse.db, {
      model: checked_sessions,
      inputs: [
        modelRows(stg_users, [
          { user_id: 'u1', plan: 'basic', country_code: 'FR', monthly_price_cents: 799 },
        ]),
        sourceRows('raw.viewing_sessions', [
          session('s1'),
          session('s2', { exit_reason: null }),
          session('s2', { quality: 'hdr' }),
          session('s3', { device_type: null }),
          session('s4', { user_id: 'ghost' }),
          session('s5', { watch_duration_s: -5 }),
          session('s6', { device_type: 'console' }),
        ]),
      ],
    });
    expect(
      built.testResults.map((test) => [test.name, test.status, test.failures, test.samples]),
    ).toEqual([
      ['unique(session_id)', 'error', 1, [{ session_id: 's2', duplicates: 2 }]],
      ['not_null(device_type)', 'error', 1, [session('s3', { device_type: null })]],
      ['accepted_values(quality)', 'error', 1, [session('s2', { quality: 'hdr' })]],
      [
        'relationships(user_id → stg_users.user_id)',
        'error',
        1,
        [session('s4', { user_id: 'ghost' })],
      ],
      ['negative_watch_time', 'error', 1, [session('s5', { watch_duration_s: -5 })]],
      ['not_null(exit_reason)', 'warn', 1, [session('s2', { exit_reason: null })]],
      // One failing row is tolerated by errorAbove: 1, so it only warns; one sample is kept.
      ['accepted_values(device_type)', 'warn', 1, [session('s6', { device_type: 'console' })]],
    ]);
    expect(built.testResults[0]?.sql).toMatchInlineSnapshot(
      `"select "session_id", count(*) as "duplicates" from "isolation__checked_sessions"."checked_sessions" group by "session_id" having count(*) > 1"`,
    );
  });

  it('passes on clean rows', async () => {
    const built = await buildModelInIsolation(warehouse.db, {
      model: checked_sessions,
      inputs: [
        modelRows(stg_users, [
          { user_id: 'u1', plan: 'basic', country_code: 'FR', monthly_price_cents: 799 },
        ]),
        sourceRows('raw.viewing_sessions', [session('s1'), session('s2')]),
      ],
    });
    expect(built.testResults.every((test) => test.status === 'pass')).toBe(true);
  });

  it('a warning does not fail the build: the model is published and the warning reported', async () => {
    await createRawFixture(warehouse.db);
    await warehouse.db
      .updateTable('raw.users')
      .set({ plan: null })
      .where('user_id', '=', 'u1')
      .execute();
    const lenient_users = defineModel({
      name: 'lenient_users',
      description: 'Users; a missing plan only warns.',
      materialization: view(),
      select: (ctx) =>
        ctx.db.selectFrom(ctx.source('raw.users', 'u')).select(['u.user_id', 'u.plan']),
      contract: { columns: { user_id: { type: 'text' }, plan: { type: 'text', nullable: true } } },
      tests: (t) => [t.notNull('plan', { severity: 'warn' })],
    });
    const result = await buildModels(warehouse.db, { models: [lenient_users] });
    expect([result.status, result.published, result.warnings]).toEqual([
      'success',
      true,
      ['lenient_users: not_null(plan) warns (1 rows)'],
    ]);
  });
});

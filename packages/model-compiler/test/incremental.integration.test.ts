import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';

import { createMemoryLogger } from '@reelhouse/core';

import {
  buildModels,
  defineModel,
  incremental,
  table,
  type DataTest,
  type IncrementalStrategy,
  type TestBuilders,
} from '../src/index.ts';
import { buildModelInIsolation, sourceRows } from '../src/testing/index.ts';
import { fact_sessions } from './fixtures/example-models.ts';
import { contents } from './fixtures/raw-fixture.ts';
import { resetToRawFixture } from './fixtures/reset-to-raw-fixture.ts';
import { useTestKysely } from './fixtures/use-test-kysely.ts';

const warehouse = useTestKysely('incremental', { max: 6 });
beforeEach(async () => {
  await resetToRawFixture(warehouse.db);
});

type SessionTests = (
  t: TestBuilders<{ session_id: string; watch_duration_s: number; updated_at: Date }>,
) => DataTest<{ session_id: string; watch_duration_s: number; updated_at: Date }>[];

/** Sessions by key, reading only rows updated after the newest `updated_at` already in the table. */
function sessionsModel(
  strategy: IncrementalStrategy,
  { tests, ...options }: { allowFullRefresh?: boolean; tests?: SessionTests } = {},
) {
  return defineModel({
    name: 'sessions',
    description: `Sessions, incremental ${strategy}.`,
    materialization: incremental({ strategy, uniqueKey: ['session_id'], ...options }),
    select: (ctx) => {
      const query = ctx.db
        .selectFrom(ctx.source('raw.viewing_sessions', 's'))
        .select(['s.session_id', 's.watch_duration_s', 's.updated_at']);
      if (!ctx.isIncremental) return query;
      return query.where('s.updated_at', '>', (eb) =>
        eb.selectFrom(ctx.self('t')).select(sql<Date>`max("t"."updated_at")`.as('since')),
      );
    },
    contract: {
      columns: {
        session_id: { type: 'text' },
        watch_duration_s: { type: 'integer' },
        updated_at: { type: 'timestamptz' },
      },
      primaryKey: strategy === 'append' ? [] : ['session_id'],
    },
    tests: tests ?? ((t) => [t.notNull('watch_duration_s')]),
  });
}

async function insertSessions(
  rows: [id: string, seconds: number, updatedAt: string, startedAt?: string][],
): Promise<void> {
  await warehouse.db
    .insertInto('raw.viewing_sessions')
    .values(
      rows.map(([session_id, watch_duration_s, updated_at, started_at]) => ({
        session_id,
        user_id: 'u1',
        started_at: started_at ?? '2024-01-01T10:00:00Z',
        watch_duration_s,
        updated_at,
      })),
    )
    .onConflict((oc) =>
      oc.column('session_id').doUpdateSet((eb) => ({
        watch_duration_s: eb.ref('excluded.watch_duration_s'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}

const at = (day: number) => new Date(Date.UTC(2024, 0, day));

describe('incremental models', () => {
  it.each([
    [
      'merge',
      [
        ['s1', 10, at(1)],
        ['s2', 99, at(3)],
        ['s3', 30, at(3)],
      ],
    ],
    [
      'delete+insert',
      [
        ['s1', 10, at(1)],
        ['s2', 99, at(3)],
        ['s3', 30, at(3)],
      ],
    ],
    [
      'append',
      [
        ['s1', 10, at(1)],
        ['s2', 20, at(2)],
        ['s2', 99, at(3)],
        ['s3', 30, at(3)],
      ],
    ],
  ] as const)(
    '%s: the second run applies only the new rows, and the table stands merged',
    async (strategy, expected) => {
      const model = sessionsModel(strategy);
      await insertSessions([
        ['s1', 10, '2024-01-01'],
        ['s2', 20, '2024-01-02'],
      ]);
      const first = await buildModels(warehouse.db, { models: [model] });
      expect(first.models.map((m) => [m.mode, m.rows])).toEqual([['incremental_full', 2]]);
      await insertSessions([
        ['s2', 99, '2024-01-03'],
        ['s3', 30, '2024-01-03'],
      ]);
      const second = await buildModels(warehouse.db, { models: [model] });
      expect(second.models.map((m) => [m.mode, m.rows, m.status])).toEqual([
        ['incremental_delta', 2, 'success'],
      ]);
      const rows = (await contents(warehouse.db, 'trusted.sessions')).map(
        (row) => Object.values(row as object) as unknown[],
      );
      expect(rows).toEqual(expected.map((row) => [...row]));
    },
  );
});

/** Sessions by day of `started_at`: each run replaces whole days, the ledger says which are built. */
const daily_sessions = defineModel({
  name: 'daily_sessions',
  description: 'Sessions, incremental by day.',
  materialization: incremental({
    strategy: 'delete+insert',
    uniqueKey: ['session_id'],
    timeColumn: 'started_at',
    interval: 'day',
  }),
  select: (ctx) => {
    const query = ctx.db
      .selectFrom(ctx.source('raw.viewing_sessions', 's'))
      .select(['s.session_id', 's.started_at', 's.watch_duration_s']);
    return ctx.interval === undefined
      ? query
      : query
          .where('s.started_at', '>=', ctx.interval.start)
          .where('s.started_at', '<', ctx.interval.end);
  },
  contract: {
    columns: {
      session_id: { type: 'text' },
      started_at: { type: 'timestamptz' },
      watch_duration_s: { type: 'integer' },
    },
    primaryKey: ['session_id'],
  },
});

async function ledger(): Promise<string[]> {
  const { rows } = await sql<{ range: string }>`
    select to_char(interval_start at time zone 'UTC', 'MM-DD') || '..' || to_char(interval_end at time zone 'UTC', 'MM-DD') as "range"
    from ops.model_intervals where model = 'daily_sessions' order by interval_start`.execute(
    warehouse.db,
  );
  return rows.map((row) => row.range);
}

describe('tests of an incremental run', () => {
  it('check the new rows, and their keys against the rows the merge keeps; a failure leaves the table as it was', async () => {
    const appended = defineModel({
      name: 'sessions',
      description: 'Sessions appended, whatever their key.',
      materialization: incremental({ strategy: 'append', uniqueKey: [] }),
      select: (ctx) => {
        const query = ctx.db
          .selectFrom(ctx.source('raw.viewing_sessions', 's'))
          .select(['s.session_id', 's.watch_duration_s', 's.updated_at']);
        return ctx.isIncremental
          ? query.where('s.updated_at', '>', (eb) =>
              eb.selectFrom(ctx.self('t')).select(sql<Date>`max("t"."updated_at")`.as('since')),
            )
          : query;
      },
      contract: {
        columns: {
          session_id: { type: 'text' },
          watch_duration_s: { type: 'integer' },
          updated_at: { type: 'timestamptz' },
        },
      },
      tests: (t) => [t.unique('session_id'), t.acceptedValues('watch_duration_s', [10, 20, 30])],
    });
    await insertSessions([
      ['s1', 10, '2024-01-01'],
      ['s2', 20, '2024-01-02'],
    ]);
    await buildModels(warehouse.db, { models: [appended] });
    await insertSessions([
      ['s2', 30, '2024-01-03'],
      ['s3', 31, '2024-01-03'],
    ]);
    const result = await buildModels(warehouse.db, { models: [appended] });
    expect(result.models[0]?.tests.map((test) => [test.name, test.status, test.samples])).toEqual([
      ['unique(session_id)', 'error', [{ session_id: 's2', duplicates: 2 }]],
      [
        'accepted_values(watch_duration_s)',
        'error',
        [{ session_id: 's3', watch_duration_s: 31, updated_at: new Date('2024-01-03T00:00:00Z') }],
      ],
    ]);
    expect(
      result.models[0]?.tests[0]?.sql.replace(/trusted__build_\w+/g, 'trusted__build_<id>'),
    ).toMatchInlineSnapshot(
      `"select "session_id", count(*) as "duplicates" from (select "session_id" from "trusted"."sessions" as "t" where ("session_id") in (select "session_id" from "trusted__build_<id>"."sessions__delta") union all select "session_id" from "trusted__build_<id>"."sessions__delta") as "merged" group by "session_id" having count(*) > 1"`,
    );
    expect(result.published).toBe(false);
    expect(await contents(warehouse.db, 'trusted.sessions')).toEqual([
      { session_id: 's1', watch_duration_s: 10, updated_at: new Date('2024-01-01T00:00:00Z') },
      { session_id: 's2', watch_duration_s: 20, updated_at: new Date('2024-01-02T00:00:00Z') },
    ]);
  });
});

describe("a custom test's newRows", () => {
  it('are the table on a full build and the new rows on an incremental one, while self is the table as merged', async () => {
    // Both tests warn on durations over 25 s: one over self, one over newRows only.
    const checked = sessionsModel('merge', {
      tests: (t) => [
        t.custom(
          'long_in_table',
          (ctx, self) =>
            ctx.db
              .selectFrom(sql`${sql.raw(self)}`.as('s'))
              .select(sql<string>`s.session_id`.as('session_id'))
              .where(sql<boolean>`s.watch_duration_s > 25`),
          { severity: 'warn' },
        ),
        t.custom(
          'long_in_new_rows',
          (ctx, _self, newRows) =>
            ctx.db
              .selectFrom(sql`${sql.raw(newRows)}`.as('s'))
              .select(sql<string>`s.session_id`.as('session_id'))
              .where(sql<boolean>`s.watch_duration_s > 25`),
          { severity: 'warn' },
        ),
      ],
    });
    const failing = (result: Awaited<ReturnType<typeof buildModels>>) =>
      result.models[0]?.tests
        .filter((test) => test.name.startsWith('long_'))
        .map((test) => [test.name, test.samples]);
    await insertSessions([
      ['s1', 10, '2024-01-01'],
      ['s2', 40, '2024-01-02'],
    ]);
    const first = await buildModels(warehouse.db, { models: [checked] });
    expect(failing(first)).toEqual([
      ['long_in_table', [{ session_id: 's2' }]],
      ['long_in_new_rows', [{ session_id: 's2' }]],
    ]);
    await insertSessions([['s3', 50, '2024-01-03']]);
    const second = await buildModels(warehouse.db, { models: [checked] });
    expect(second.models[0]?.mode).toBe('incremental_delta');
    expect(failing(second)).toEqual([
      ['long_in_table', [{ session_id: 's2' }, { session_id: 's3' }]],
      ['long_in_new_rows', [{ session_id: 's3' }]],
    ]);
    expect(second.models[0]?.tests[1]?.sql).toMatch(/"sessions__delta" as "s"/);
  });
});

describe('a keyed incremental run whose new rows share a key', () => {
  it('fails the implicit uniqueKey check instead of the merge, naming the key', async () => {
    const byUser = defineModel({
      name: 'last_session',
      description: 'Sessions merged on user: two new sessions of one user collide.',
      materialization: incremental({ strategy: 'merge', uniqueKey: ['user_id'] }),
      select: (ctx) => {
        const query = ctx.db
          .selectFrom(ctx.source('raw.viewing_sessions', 's'))
          .select(['s.user_id', 's.session_id', 's.updated_at']);
        return ctx.isIncremental
          ? query.where('s.updated_at', '>', (eb) =>
              eb.selectFrom(ctx.self('t')).select(sql<Date>`max("t"."updated_at")`.as('since')),
            )
          : query;
      },
      contract: {
        columns: {
          user_id: { type: 'text' },
          session_id: { type: 'text' },
          updated_at: { type: 'timestamptz' },
        },
      },
    });
    await insertSessions([['s1', 10, '2024-01-01']]);
    await buildModels(warehouse.db, { models: [byUser] });
    await insertSessions([
      ['s2', 10, '2024-01-02'],
      ['s3', 10, '2024-01-02'],
    ]);
    const result = await buildModels(warehouse.db, { models: [byUser] });
    expect(result.models[0]?.tests.map((test) => [test.name, test.status, test.samples])).toEqual([
      ['unique(user_id) [uniqueKey of the new rows]', 'error', [{ user_id: 'u1', duplicates: 2 }]],
    ]);
    expect(result.published).toBe(false);
  });
});

describe('a table with a foreign key to an incremental model merging new rows in the same build', () => {
  it('gets the key at publish, once the new rows are merged', async () => {
    const sessions = sessionsModel('merge');
    const long_sessions = defineModel({
      name: 'long_sessions',
      description: 'Sessions over 15 seconds, keyed to sessions.',
      materialization: table(),
      select: (ctx) =>
        ctx.db
          .selectFrom(ctx.ref(sessions, 's'))
          .select(['s.session_id'])
          .where('s.watch_duration_s', '>', 15),
      contract: {
        columns: { session_id: { type: 'text' } },
        primaryKey: ['session_id'],
        foreignKeys: [
          { columns: ['session_id'], references: sessions, referencedColumns: ['session_id'] },
        ],
      },
    });
    await insertSessions([
      ['s1', 10, '2024-01-01'],
      ['s2', 20, '2024-01-01'],
    ]);
    await buildModels(warehouse.db, { models: [sessions, long_sessions] });
    await insertSessions([['s3', 30, '2024-01-02']]);
    const result = await buildModels(warehouse.db, { models: [sessions, long_sessions] });
    expect(result.models.map((m) => [m.name, m.mode, m.status])).toEqual([
      ['sessions', 'incremental_delta', 'success'],
      ['long_sessions', 'table', 'success'],
    ]);
    expect(await contents(warehouse.db, 'trusted.long_sessions')).toEqual([
      { session_id: 's2' },
      { session_id: 's3' },
    ]);
    const { rows } = await sql<{
      definition: string;
    }>`select pg_get_constraintdef(oid) as "definition" from pg_constraint where conrelid = 'trusted.long_sessions'::regclass and contype = 'f'`.execute(
      warehouse.db,
    );
    expect(rows).toEqual([
      { definition: 'FOREIGN KEY (session_id) REFERENCES trusted.sessions(session_id)' },
    ]);
  });
});

describe('a contract change on an incremental model', () => {
  it('rebuilds a table that predates the contract whole, with a warning; a protected one fails, asking for a full refresh', async () => {
    await insertSessions([['s1', 10, '2024-01-01']]);
    await buildModels(warehouse.db, { models: [sessionsModel('merge')] });
    const widened = (allowFullRefresh: boolean) =>
      defineModel({
        name: 'sessions',
        description: 'Sessions with their user.',
        materialization: incremental({
          strategy: 'merge',
          uniqueKey: ['session_id'],
          allowFullRefresh,
        }),
        select: (ctx) =>
          ctx.db
            .selectFrom(ctx.source('raw.viewing_sessions', 's'))
            .select(['s.session_id', 's.user_id']),
        contract: {
          columns: { session_id: { type: 'text' }, user_id: { type: 'text' } },
          primaryKey: ['session_id'],
        },
      });
    const refused = await buildModels(warehouse.db, { models: [widened(false)] });
    expect(refused.models.map((m) => [m.status, m.error?.code])).toEqual([
      ['error', 'contract_violation'],
    ]);
    expect(refused.models[0]?.error?.message).toMatch(
      /the existing table predates the contract: rebuild it with a full refresh$/,
    );
    const logger = createMemoryLogger();
    const rebuilt = await buildModels(warehouse.db, { models: [widened(true)], logger });
    expect(rebuilt.models.map((m) => [m.status, m.mode])).toEqual([
      ['success', 'incremental_full'],
    ]);
    expect(logger.records.filter((r) => r.level === 'warn').map((r) => r.message)).toEqual([
      expect.stringMatching(
        /^model sessions: the existing table predates its contract \(.*\); rebuilt whole$/,
      ),
    ]);
    expect(await contents(warehouse.db, 'trusted.sessions')).toEqual([
      { session_id: 's1', user_id: 'u1' },
    ]);
    // Matching again, the next build is incremental.
    const next = await buildModels(warehouse.db, { models: [widened(true)] });
    expect(next.models.map((m) => m.mode)).toEqual(['incremental_delta']);
  });
});

describe('incremental models by time range', () => {
  it('record built intervals in ops.model_intervals, then rebuild the gaps and the new intervals only', async () => {
    await insertSessions([
      ['a', 1, '2024-01-01', '2024-01-01T10:00:00Z'],
      ['b', 2, '2024-01-02', '2024-01-02T10:00:00Z'],
      ['c', 3, '2024-01-03', '2024-01-03T10:00:00Z'],
    ]);
    const first = await buildModels(warehouse.db, {
      models: [daily_sessions],
      now: new Date('2024-01-04T12:00:00Z'),
    });
    expect(first.models.map((m) => [m.mode, m.rows, m.intervals])).toEqual([
      ['incremental_full', 3, [['2024-01-01T00:00:00.000Z', '2024-01-04T00:00:00.000Z']]],
    ]);
    expect(await ledger()).toEqual(['01-01..01-04']);
    // Lose 2 January from the ledger, as if its build had never been recorded.
    await sql`delete from ops.model_intervals`.execute(warehouse.db);
    await sql`insert into ops.model_intervals (model, interval_start, interval_end, build_id, built_at) values
      ('daily_sessions', '2024-01-01Z', '2024-01-02Z', 'old', now()), ('daily_sessions', '2024-01-03Z', '2024-01-04Z', 'old', now())`.execute(
      warehouse.db,
    );
    await insertSessions([
      ['b', 222, '2024-01-05', '2024-01-02T10:00:00Z'],
      ['c2', 33, '2024-01-05', '2024-01-03T11:00:00Z'],
      ['d', 4, '2024-01-05', '2024-01-04T10:00:00Z'],
    ]);
    const second = await buildModels(warehouse.db, {
      models: [daily_sessions],
      now: new Date('2024-01-05T12:00:00Z'),
    });
    expect(second.models.map((m) => [m.mode, m.rows, m.intervals])).toEqual([
      [
        'incremental_delta',
        2,
        [
          ['2024-01-02T00:00:00.000Z', '2024-01-03T00:00:00.000Z'],
          ['2024-01-04T00:00:00.000Z', '2024-01-05T00:00:00.000Z'],
        ],
      ],
    ]);
    // The gap (2 Jan) and the new day (4 Jan) are rebuilt; 3 Jan was built and is left alone.
    expect(
      (await contents(warehouse.db, 'trusted.daily_sessions')).map(
        (row) => Object.values(row as object) as unknown[],
      ),
    ).toEqual([
      ['a', new Date('2024-01-01T10:00:00Z'), 1],
      ['b', new Date('2024-01-02T10:00:00Z'), 222],
      ['c', new Date('2024-01-03T10:00:00Z'), 3],
      ['d', new Date('2024-01-04T10:00:00Z'), 4],
    ]);
    expect(await ledger()).toEqual([
      '01-01..01-02',
      '01-02..01-03',
      '01-03..01-04',
      '01-04..01-05',
    ]);
  });
});

describe('an incremental model by time range first built over no data', () => {
  it('builds the data that arrives later', async () => {
    const first = await buildModels(warehouse.db, {
      models: [daily_sessions],
      now: new Date('2024-01-04T12:00:00Z'),
    });
    expect(first.models.map((m) => [m.mode, m.rows, m.intervals])).toEqual([
      ['incremental_full', 0, []],
    ]);
    await insertSessions([['a', 1, '2024-01-02', '2024-01-02T10:00:00Z']]);
    const second = await buildModels(warehouse.db, {
      models: [daily_sessions],
      now: new Date('2024-01-04T12:00:00Z'),
    });
    expect(second.models.map((m) => [m.mode, m.rows, m.intervals?.length])).toEqual([
      ['incremental_delta', 1, 1],
    ]);
    expect((await contents(warehouse.db, 'trusted.daily_sessions')).length).toBe(1);
  });
});

describe('full refresh', () => {
  it('rebuilds an incremental model from scratch', async () => {
    const model = sessionsModel('append');
    await insertSessions([['s1', 10, '2024-01-01']]);
    await buildModels(warehouse.db, { models: [model] });
    await sql`update raw.viewing_sessions set watch_duration_s = 11`.execute(warehouse.db);
    const result = await buildModels(warehouse.db, { models: [model], fullRefresh: true });
    expect(result.models.map((m) => [m.mode, m.rows])).toEqual([['incremental_full', 1]]);
    expect(await contents(warehouse.db, 'trusted.sessions')).toEqual([
      { session_id: 's1', watch_duration_s: 11, updated_at: new Date('2024-01-01T00:00:00Z') },
    ]);
  });

  it('keeps a protected model incremental under a full refresh unless forced', async () => {
    const model = sessionsModel('merge', { allowFullRefresh: false });
    await insertSessions([['s1', 10, '2024-01-01']]);
    await buildModels(warehouse.db, { models: [model] });
    await insertSessions([['s2', 20, '2024-01-02']]);
    const logger = createMemoryLogger();
    const refreshed = await buildModels(warehouse.db, {
      models: [model],
      fullRefresh: true,
      logger,
    });
    expect(refreshed.models.map((m) => [m.status, m.mode])).toEqual([
      ['success', 'incremental_delta'],
    ]);
    expect(logger.records.filter((r) => r.level === 'warn').map((r) => r.fields['model'])).toEqual([
      'sessions',
    ]);
    const forced = await buildModels(warehouse.db, {
      models: [model],
      fullRefresh: true,
      forceFullRefresh: true,
    });
    expect(forced.models.map((m) => [m.status, m.mode])).toEqual([['success', 'incremental_full']]);
  });
});

describe('buildModelInIsolation on an incremental model', () => {
  it('runs the incremental path over the existing rows and returns the table after the merge', async () => {
    const built = await buildModelInIsolation(warehouse.db, {
      model: fact_sessions,
      existing: [
        {
          session_id: 's1',
          user_id: 'u1',
          started_at: new Date('2024-01-01T10:00:00Z'),
          watch_duration_s: 10,
          updated_at: new Date('2024-01-01T00:00:00Z'),
        },
        {
          session_id: 's2',
          user_id: 'u1',
          started_at: new Date('2024-01-02T10:00:00Z'),
          watch_duration_s: 20,
          updated_at: new Date('2024-01-02T00:00:00Z'),
        },
      ],
      inputs: [
        sourceRows('raw.viewing_sessions', [
          {
            session_id: 's1',
            user_id: 'u1',
            started_at: new Date('2024-01-01T10:00:00Z'),
            watch_duration_s: 999,
            updated_at: new Date('2024-01-01T00:00:00Z'),
          },
          {
            session_id: 's2',
            user_id: 'u1',
            started_at: new Date('2024-01-02T10:00:00Z'),
            watch_duration_s: 25,
            updated_at: new Date('2024-01-03T00:00:00Z'),
          },
          {
            session_id: 's3',
            user_id: 'u2',
            started_at: new Date('2024-01-03T10:00:00Z'),
            watch_duration_s: 30,
            updated_at: new Date('2024-01-03T00:00:00Z'),
          },
        ]),
      ],
    });
    expect(built.sql).toMatchInlineSnapshot(
      `"select "s"."session_id", "s"."user_id", "s"."started_at", "s"."watch_duration_s", "s"."updated_at" from "isolation__fact_sessions"."raw__viewing_sessions" as "s" where "s"."updated_at" > (select coalesce(max("t"."updated_at"), '-infinity') as "m" from "isolation__fact_sessions"."fact_sessions" as "t")"`,
    );
    // s1 is not newer than the table, so it keeps 10; s2 is merged; s3 is inserted.
    expect(built.rows.map((row) => [row.session_id, row.watch_duration_s])).toEqual([
      ['s1', 10],
      ['s2', 25],
      ['s3', 30],
    ]);
  });
});

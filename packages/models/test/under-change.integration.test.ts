import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { buildModels } from '@reelhouse/model-compiler';
import { usePostgresDatabase } from '@reelhouse/services/testing';
import { createKysely, createPool, type WarehouseDatabase } from '@reelhouse/warehouse';

import { models } from '../src/index.ts';
import { freshRawWithCatalogue } from './fixtures/fresh-raw.ts';
import { differencesFromFullRebuild, expectPublished } from './fixtures/full-rebuild.ts';
import {
  deleteSession,
  eraseUser,
  landSessions,
  landUsers,
  type Extraction,
} from './fixtures/land-raw.ts';
import { rawSession } from './fixtures/raw-session.ts';
import { rawUser } from './fixtures/raw-user.ts';

// Issue 13: the models stay right when users arrive late, sessions move, users are erased or
// cancel and come back; after each change an incremental build equals a full rebuild.
const pg = usePostgresDatabase('models_under_change');
let db: Kysely<WarehouseDatabase>;

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const [u1, u2] = [uuid(1), uuid(2)];
const session = (n: number) => uuid(100 + n);
/** The extraction of day `n` (2024-03-0n). */
const day = (n: number): Extraction => ({
  _load_id: uuid(1000 + n),
  _extracted_at: new Date(`2024-03-${String(n).padStart(2, '0')}T06:00:00Z`),
});

async function build(): Promise<void> {
  expectPublished(await buildModels(db, { models }));
}

/** Each session with the plan of the user version it points at (`unknown` for -1). */
async function sessionPlans() {
  return db
    .selectFrom('trusted.fact_viewing_session as f')
    .innerJoin('trusted.dim_user as u', 'u.user_key', 'f.user_key')
    .select(['f.session_id', 'f.date_key', 'u.user_id', 'u.plan'])
    .orderBy('f.session_id')
    .execute();
}

async function usage() {
  return db
    .selectFrom('trusted.agg_daily_usage')
    .select(['date_key', 'plan', 'device_type', 'sessions'])
    .orderBy('date_key')
    .orderBy('plan')
    .orderBy('device_type')
    .execute();
}

beforeAll(() => {
  db = createKysely(createPool({ url: pg.url, max: 4 }));
});
afterAll(async () => {
  await db.destroy();
});
beforeEach(async () => {
  await freshRawWithCatalogue(db);
});

describe('models under change (issue 13)', () => {
  it('re-resolves the orphan sessions of a user who arrives after them', async () => {
    await landUsers(db, [rawUser({ user_id: u2 })], day(1));
    await landSessions(
      db,
      [
        rawSession({ session_id: session(1), user_id: u1 }),
        rawSession({ session_id: session(2), user_id: u2 }),
      ],
      day(1),
    );
    await build();
    expect((await sessionPlans()).map((s) => [s.session_id, s.user_id])).toEqual([
      [session(1), 'unknown'],
      [session(2), u2],
    ]);
    await landUsers(db, [rawUser({ user_id: u1, plan: 'premium' })], day(2));
    await build();
    expect((await sessionPlans()).map((s) => [s.session_id, s.user_id, s.plan])).toEqual([
      [session(1), u1, 'premium'],
      [session(2), u2, 'standard'],
    ]);
    expect(await usage()).toEqual([
      { date_key: 20240210, plan: 'premium', device_type: 'smart_tv', sessions: 1 },
      { date_key: 20240210, plan: 'standard', device_type: 'smart_tv', sessions: 1 },
    ]);
    expect(await differencesFromFullRebuild(db)).toEqual([]);
  });

  it('moves a corrected session out of its old day, and removes a deleted one, in the fact and both aggregates', async () => {
    await landUsers(db, [rawUser({ user_id: u1 })], day(1));
    await landSessions(
      db,
      [
        rawSession({ session_id: session(1), user_id: u1 }),
        rawSession({ session_id: session(2), user_id: u1, device_type: 'mobile' }),
      ],
      day(1),
    );
    await build();
    await landSessions(
      db,
      [
        rawSession({
          session_id: session(1),
          user_id: u1,
          started_at: new Date('2024-02-12T09:00:00Z'),
          updated_at: new Date('2024-03-01T10:00:00Z'),
        }),
      ],
      day(2),
    );
    await build();
    expect(await usage()).toEqual([
      { date_key: 20240210, plan: 'standard', device_type: 'mobile', sessions: 1 },
      { date_key: 20240212, plan: 'standard', device_type: 'smart_tv', sessions: 1 },
    ]);
    expect(await differencesFromFullRebuild(db)).toEqual([]);
    await deleteSession(db, session(2), day(3));
    await build();
    expect((await sessionPlans()).map((s) => s.session_id)).toEqual([session(1)]);
    expect(await usage()).toEqual([
      { date_key: 20240212, plan: 'standard', device_type: 'smart_tv', sessions: 1 },
    ]);
    expect(
      await db.selectFrom('trusted.agg_daily_content').select(['date_key', 'sessions']).execute(),
    ).toEqual([{ date_key: 20240212, sessions: 1 }]);
    expect(await differencesFromFullRebuild(db)).toEqual([]);
  });

  it('keeps no personal data of an erased user, and counts their sessions under the unknown member', async () => {
    await landUsers(
      db,
      [rawUser({ user_id: u1, email: 'ada@example.com' }), rawUser({ user_id: u2 })],
      day(1),
    );
    await landSessions(
      db,
      [
        rawSession({ session_id: session(1), user_id: u1 }),
        rawSession({ session_id: session(2), user_id: u2 }),
      ],
      day(1),
    );
    await build();
    await eraseUser(db, u1, day(2));
    await build();
    const erased = await db
      .selectFrom('trusted.dim_user')
      .selectAll()
      .where('user_id', '=', u1)
      .execute();
    expect(
      erased.map((u) => [
        u.email_sha256,
        u.age_band,
        u.gender,
        u.country_code,
        u.region,
        u.preferred_language,
        u.plan,
        u.monthly_price_cents,
        u.currency,
        u.subscription_status,
        u.signup_date_key,
        u.cancelled_date_key,
        u.acquisition_channel,
        u.is_current,
      ]),
    ).toEqual([
      [
        null,
        'unknown',
        'unknown',
        'ZZ',
        'unknown',
        null,
        'unknown',
        null,
        null,
        'erased',
        -1,
        null,
        'unknown',
        false,
      ],
    ]);
    expect((await sessionPlans()).map((s) => [s.session_id, s.user_id])).toEqual([
      [session(1), 'unknown'],
      [session(2), u2],
    ]);
    expect(await usage()).toEqual([
      { date_key: 20240210, plan: 'standard', device_type: 'smart_tv', sessions: 1 },
      { date_key: 20240210, plan: 'unknown', device_type: 'smart_tv', sessions: 1 },
    ]);
    expect(await differencesFromFullRebuild(db)).toEqual([]);
  });

  it('versions cancel-and-return from the source times, and a forced full rebuild reproduces the history exactly', async () => {
    const at = (iso: string) => new Date(iso);
    await landUsers(db, [rawUser({ user_id: u1 })], day(1));
    await build();
    await landUsers(
      db,
      [
        rawUser({
          user_id: u1,
          subscription_status: 'cancelled',
          cancelled_at: at('2024-02-05T10:00:00Z'),
          updated_at: at('2024-02-05T10:00:00Z'),
        }),
      ],
      day(2),
    );
    await build();
    expect(await differencesFromFullRebuild(db)).toEqual([]);
    await landUsers(db, [rawUser({ user_id: u1, updated_at: at('2024-02-09T08:00:00Z') })], day(3));
    // Sessions while active, while cancelled, after the return; they arrive after the changes.
    await landSessions(
      db,
      [
        rawSession({ session_id: session(1), user_id: u1, started_at: at('2024-02-04T20:00:00Z') }),
        rawSession({ session_id: session(2), user_id: u1, started_at: at('2024-02-07T20:00:00Z') }),
        rawSession({ session_id: session(3), user_id: u1, started_at: at('2024-02-10T20:00:00Z') }),
      ],
      day(3),
    );
    await build();
    const versions = await db
      .selectFrom('trusted.dim_user')
      .select([
        'user_key',
        'subscription_status',
        'cancelled_date_key',
        'valid_from',
        'valid_to',
        'is_current',
      ])
      .where('user_id', '=', u1)
      .orderBy('valid_from')
      .execute();
    expect(
      versions.map((v) => [
        v.subscription_status,
        v.cancelled_date_key,
        v.valid_from.toISOString(),
        v.valid_to?.toISOString() ?? null,
        v.is_current,
      ]),
    ).toEqual([
      ['active', null, '2023-01-10T12:00:00.000Z', '2024-02-05T10:00:00.000Z', false],
      ['cancelled', 20240205, '2024-02-05T10:00:00.000Z', '2024-02-09T08:00:00.000Z', false],
      ['active', null, '2024-02-09T08:00:00.000Z', null, true],
    ]);
    const fact = await db
      .selectFrom('trusted.fact_viewing_session')
      .select(['session_id', 'user_key'])
      .orderBy('session_id')
      .execute();
    expect(fact.map((f) => f.user_key)).toEqual(versions.map((v) => v.user_key));
    expect(await differencesFromFullRebuild(db)).toEqual([]);
    // The same, in place: `models build --force-full-refresh` changes no row.
    await sql`drop schema if exists before_refresh cascade; create schema before_refresh`.execute(
      db,
    );
    for (const table of ['dim_user', 'fact_viewing_session', 'agg_daily_usage'])
      await sql`create table ${sql.table(`before_refresh.${table}`)} as table ${sql.table(`trusted.${table}`)}`.execute(
        db,
      );
    expectPublished(await buildModels(db, { models, fullRefresh: true, forceFullRefresh: true }));
    for (const table of ['dim_user', 'fact_viewing_session', 'agg_daily_usage'])
      expect(
        Number(
          (
            await sql<{ n: string }>`select count(*) as n from (
              (table ${sql.table(`trusted.${table}`)} except all table ${sql.table(`before_refresh.${table}`)})
              union all (table ${sql.table(`before_refresh.${table}`)} except all table ${sql.table(`trusted.${table}`)})) d`.execute(
              db,
            )
          ).rows[0]?.n,
        ),
      ).toBe(0);
  });

  it("gives each episode of a series its new cast member, rewrites no other title's bridge rows, as a full rebuild does", async () => {
    await landUsers(db, [rawUser({ user_id: u1 })], day(1));
    await landSessions(db, [rawSession({ session_id: session(1), user_id: u1 })], day(1));
    await build();
    const cast = () =>
      db
        .selectFrom('trusted.bridge_content_cast as b')
        .innerJoin('trusted.dim_content as c', 'c.content_key', 'b.content_key')
        .select(['c.content_id', 'b.person_id', 'b._extracted_at'])
        .orderBy('c.content_id')
        .orderBy('b.person_id')
        .execute();
    // The physical row version of the movie's cast row: a rewrite would change it.
    const movieRowVersion = async () =>
      (
        await sql<{ v: string }>`select b.xmin::text as v from trusted.bridge_content_cast b
          join trusted.dim_content c on c.content_key = b.content_key where c.content_id = 'mov_1'`.execute(
          db,
        )
      ).rows.map((row) => row.v);
    const movieBefore = await movieRowVersion();
    // The series' document gains a cast member: the extractor lands its child row and appends the
    // version to the history; nothing else in the catalogue changed.
    await db
      .insertInto('raw.content__cast')
      .values({
        _root_id: 'ser_1',
        _parent_id: 'ser_1',
        _list_idx: 1,
        _row_id: 'ser_1/cast/1',
        _load_id: day(2)._load_id,
        person_id: 'per_9',
        name: 'Cy Dunn',
        role: 'actor',
        character: 'Harbour master',
        billing_order: 2,
      })
      .execute();
    await db
      .insertInto('raw.content__history')
      .values({
        content_id: 'ser_1',
        _op: 'upsert',
        _change_seq: 2,
        _changed_at: day(2)._extracted_at,
        ...day(2),
      })
      .execute();
    await build();
    const at2 = day(2)._extracted_at;
    expect(await cast()).toEqual([
      { content_id: 'ep_1_1_1', person_id: 'per_2', _extracted_at: at2 },
      { content_id: 'ep_1_1_1', person_id: 'per_9', _extracted_at: at2 },
      { content_id: 'ep_1_1_2', person_id: 'per_2', _extracted_at: at2 },
      { content_id: 'ep_1_1_2', person_id: 'per_9', _extracted_at: at2 },
      { content_id: 'mov_1', person_id: 'per_1', _extracted_at: new Date('2024-03-01T00:00:00Z') },
    ]);
    // The movie's document was not extracted again: its row was not rewritten.
    expect(await movieRowVersion()).toEqual(movieBefore);
    expect(await differencesFromFullRebuild(db)).toEqual([]);

    // A full refresh repairs the movie's cast (a source that rewrote it without a new change
    // sequence): the current row is extracted anew, the history already has that version.
    await db
      .updateTable('raw.content__cast')
      .set({ character: 'Mara (recast)' })
      .where('_root_id', '=', 'mov_1')
      .execute();
    await db
      .updateTable('raw.content')
      .set({ _extracted_at: day(3)._extracted_at })
      .where('content_id', '=', 'mov_1')
      .execute();
    await build();
    const movieCast = await db
      .selectFrom('trusted.bridge_content_cast as b')
      .innerJoin('trusted.dim_content as c', 'c.content_key', 'b.content_key')
      .select(['b.character', 'b._extracted_at'])
      .where('c.content_id', '=', 'mov_1')
      .execute();
    expect(movieCast).toEqual([
      { character: 'Mara (recast)', _extracted_at: day(3)._extracted_at },
    ]);
    expect(await differencesFromFullRebuild(db)).toEqual([]);
  });

  it('drops a withdrawn title from dim_content and the bridges, as a full rebuild does', async () => {
    await landUsers(db, [rawUser({ user_id: u1 })], day(1));
    await landSessions(db, [rawSession({ session_id: session(1), user_id: u1 })], day(1));
    await build();
    // The series is withdrawn: the extractor removes its current rows, the history keeps a delete.
    for (const table of [
      'raw.content__seasons__episodes',
      'raw.content__seasons',
      'raw.content__genres',
      'raw.content__cast',
    ] as const)
      await db.deleteFrom(table).where('_root_id', '=', 'ser_1').execute();
    await db.deleteFrom('raw.content').where('content_id', '=', 'ser_1').execute();
    await db
      .insertInto('raw.content__history')
      .values({
        content_id: 'ser_1',
        _op: 'delete',
        _change_seq: 2,
        _changed_at: day(2)._extracted_at,
        ...day(2),
      })
      .execute();
    await build();
    expect(
      (
        await db
          .selectFrom('trusted.dim_content')
          .select('content_id')
          .orderBy('content_id')
          .execute()
      ).map((c) => c.content_id),
    ).toEqual(['mov_1', 'unknown']);
    expect(await differencesFromFullRebuild(db)).toEqual([]);
  });
});

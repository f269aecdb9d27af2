import { type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildModels } from '@reelhouse/model-compiler';
import { usePostgresDatabase } from '@reelhouse/services/testing';
import { createKysely, createPool, type WarehouseDatabase } from '@reelhouse/warehouse';

import { models } from '../src/index.ts';
import { freshRawWithCatalogue } from './fixtures/fresh-raw.ts';
import { differencesFromFullRebuild, expectPublished } from './fixtures/full-rebuild.ts';
import { landSessions, landUsers, type Extraction } from './fixtures/land-raw.ts';
import { rawLoad } from './fixtures/raw-load.ts';
import { rawSession } from './fixtures/raw-session.ts';
import { rawUser } from './fixtures/raw-user.ts';

// Issue 13: a catalogue edit that corrects an item's runtime changes what the fact derives from it
// (runtime_s, completion_ratio, is_completed) for sessions loaded long before; an incremental build
// must recompute them, and the aggregates' days they fall on, as a full rebuild would; and sessions
// of an item that arrives after them must leave the unknown item.
const pg = usePostgresDatabase('models_changed_runtime');
let db: Kysely<WarehouseDatabase>;

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const u1 = uuid(1);
const session = (n: number) => uuid(100 + n);
const day = (n: number): Extraction => ({
  _load_id: uuid(1000 + n),
  _extracted_at: new Date(`2024-03-${String(n).padStart(2, '0')}T06:00:00Z`),
});

/** The catalogue fixture's documents as `_doc` holds them: what a version's items and runtimes were. */
function documents(runtimes: {
  mov_1: number;
  ep_1_1_1: number;
  ep_1_1_2: number;
  ep_1_1_3?: number;
}) {
  return {
    mov_1: { _id: 'mov_1', type: 'movie', runtime_min: runtimes.mov_1 },
    ser_1: {
      _id: 'ser_1',
      type: 'series',
      seasons: [
        {
          season_number: 1,
          episodes: [
            { episode_id: 'ep_1_1_1', episode_number: 1, runtime_min: runtimes.ep_1_1_1 },
            { episode_id: 'ep_1_1_2', episode_number: 2, runtime_min: runtimes.ep_1_1_2 },
            ...(runtimes.ep_1_1_3 === undefined
              ? []
              : [{ episode_id: 'ep_1_1_3', episode_number: 3, runtime_min: runtimes.ep_1_1_3 }]),
          ],
        },
      ],
    },
  };
}

/** One version of each document, appended to the history as the extractor appends it. */
async function landHistory(
  docs: Partial<ReturnType<typeof documents>>,
  load: Extraction & { _change_seq: number },
): Promise<void> {
  await db
    .insertInto('raw.content__history')
    .values(
      Object.values(docs).map((doc, index) => ({
        content_id: doc._id,
        _doc: JSON.stringify(doc),
        _op: 'upsert',
        _change_seq: load._change_seq + index,
        _changed_at: load._extracted_at,
        _load_id: load._load_id,
        _extracted_at: load._extracted_at,
      })),
    )
    .execute();
}

async function facts() {
  return db
    .selectFrom('trusted.fact_viewing_session')
    .select(['session_id', 'runtime_s', 'completion_ratio', 'is_completed'])
    .orderBy('session_id')
    .execute();
}

beforeAll(async () => {
  db = createKysely(createPool({ url: pg.url, max: 4 }));
  await freshRawWithCatalogue(db);
});
afterAll(async () => {
  await db.destroy();
});

describe('a catalogue edit that corrects runtimes or adds a late item (issue 13)', () => {
  it("recomputes the edited and added items' sessions in the fact and both aggregates, as a full rebuild does", async () => {
    await landHistory(documents({ mov_1: 100, ep_1_1_1: 50, ep_1_1_2: 50 }), {
      ...rawLoad,
      _load_id: uuid(1000),
      _change_seq: 1,
    });
    await landUsers(db, [rawUser({ user_id: u1 })], day(1));
    const at = (iso: string) => new Date(iso);
    await landSessions(
      db,
      [
        rawSession({ session_id: session(1), user_id: u1, watch_duration_s: 1800 }),
        rawSession({
          session_id: session(2),
          user_id: u1,
          content_id: 'ep_1_1_1',
          started_at: at('2024-02-11T20:00:00Z'),
          watch_duration_s: 2800,
        }),
        rawSession({
          session_id: session(3),
          user_id: u1,
          content_id: 'ep_1_1_2',
          started_at: at('2024-02-12T20:00:00Z'),
          watch_duration_s: 1500,
        }),
        // An episode the catalogue lists only from the next day on: an orphan until then.
        rawSession({
          session_id: session(4),
          user_id: u1,
          content_id: 'ep_1_1_3',
          started_at: at('2024-02-13T20:00:00Z'),
          watch_duration_s: 1500,
        }),
      ],
      day(1),
    );
    expectPublished(await buildModels(db, { models }));
    expect(await facts()).toEqual([
      { session_id: session(1), runtime_s: 6000, completion_ratio: 0.3, is_completed: false },
      {
        session_id: session(2),
        runtime_s: 3000,
        completion_ratio: 2800 / 3000,
        is_completed: true,
      },
      { session_id: session(3), runtime_s: 3000, completion_ratio: 0.5, is_completed: false },
      { session_id: session(4), runtime_s: null, completion_ratio: null, is_completed: false },
    ]);

    // The movie's runtime is corrected to 30 minutes, the pilot's to 60; the second episode keeps
    // 50; a third episode of 40 minutes is added.
    const edit = { ...day(2), _change_seq: 10, _changed_at: day(2)._extracted_at };
    await db
      .updateTable('raw.content')
      .set({ ...edit, updated_at: edit._extracted_at })
      .where('content_id', 'in', ['mov_1', 'ser_1'])
      .execute();
    await db
      .updateTable('raw.content')
      .set({ runtime_min: 30 })
      .where('content_id', '=', 'mov_1')
      .execute();
    await db
      .updateTable('raw.content__seasons__episodes')
      .set({ runtime_min: 60, _load_id: edit._load_id })
      .where('episode_id', '=', 'ep_1_1_1')
      .execute();
    await db
      .insertInto('raw.content__seasons__episodes')
      .values({
        _root_id: 'ser_1',
        _parent_id: 'ser_1/seasons/0',
        _list_idx: 2,
        _row_id: 'ser_1/seasons/0/episodes/2',
        _load_id: edit._load_id,
        episode_id: 'ep_1_1_3',
        episode_number: 3,
        title: 'Undertow',
        runtime_min: 40,
        release_date: '2024-02-13',
      })
      .execute();
    await landHistory(documents({ mov_1: 30, ep_1_1_1: 60, ep_1_1_2: 50, ep_1_1_3: 40 }), edit);
    expectPublished(await buildModels(db, { models }));

    expect(await facts()).toEqual([
      { session_id: session(1), runtime_s: 1800, completion_ratio: 1, is_completed: true },
      {
        session_id: session(2),
        runtime_s: 3600,
        completion_ratio: 2800 / 3600,
        is_completed: false,
      },
      { session_id: session(3), runtime_s: 3000, completion_ratio: 0.5, is_completed: false },
      { session_id: session(4), runtime_s: 2400, completion_ratio: 0.625, is_completed: false },
    ]);
    expect(
      await db
        .selectFrom('trusted.agg_daily_content')
        .select(['date_key', 'completed_sessions'])
        .orderBy('date_key')
        .execute(),
    ).toEqual([
      { date_key: 20240210, completed_sessions: 1 },
      { date_key: 20240211, completed_sessions: 0 },
      { date_key: 20240212, completed_sessions: 0 },
      { date_key: 20240213, completed_sessions: 0 },
    ]);
    expect(
      await db
        .selectFrom('trusted.agg_daily_usage')
        .select(['date_key', 'completed_sessions'])
        .orderBy('date_key')
        .execute(),
    ).toEqual([
      { date_key: 20240210, completed_sessions: 1 },
      { date_key: 20240211, completed_sessions: 0 },
      { date_key: 20240212, completed_sessions: 0 },
      { date_key: 20240213, completed_sessions: 0 },
    ]);
    expect(await differencesFromFullRebuild(db)).toEqual([]);

    // The movie's correction is reverted a day later, still with no new session: the fact's
    // newest extraction predates both versions, and the sessions must follow the second too.
    const revert = { ...day(3), _change_seq: 20, _changed_at: day(3)._extracted_at };
    await db
      .updateTable('raw.content')
      .set({ ...revert, updated_at: revert._extracted_at, runtime_min: 100 })
      .where('content_id', '=', 'mov_1')
      .execute();
    await landHistory(
      { mov_1: documents({ mov_1: 100, ep_1_1_1: 60, ep_1_1_2: 50 }).mov_1 },
      revert,
    );
    expectPublished(await buildModels(db, { models }));
    expect((await facts())[0]).toEqual({
      session_id: session(1),
      runtime_s: 6000,
      completion_ratio: 0.3,
      is_completed: false,
    });
    expect(await differencesFromFullRebuild(db)).toEqual([]);
  });
});

describe('a catalogue extracted after the sessions (the extractor extracts content last)', () => {
  it('re-resolves no session of an unchanged item in the next build, and still equals a full rebuild', async () => {
    await freshRawWithCatalogue(db);
    const sessionsLoad = day(1);
    // The same run extracts the catalogue an hour after the sessions: the fact's watermark (its
    // newest session extraction) is older than every catalogue version that run's build read.
    const catalogueLoad = {
      _load_id: uuid(1100),
      _extracted_at: new Date('2024-03-01T07:00:00Z'),
      _change_seq: 1,
    };
    await landHistory(documents({ mov_1: 100, ep_1_1_1: 50, ep_1_1_2: 50 }), catalogueLoad);
    await landUsers(db, [rawUser({ user_id: u1 })], sessionsLoad);
    await landSessions(
      db,
      [
        rawSession({ session_id: session(1), user_id: u1 }),
        rawSession({ session_id: session(2), user_id: u1, content_id: 'ep_1_1_1' }),
        rawSession({ session_id: session(3), user_id: u1, content_id: 'ep_1_1_2' }),
      ],
      sessionsLoad,
    );
    expectPublished(await buildModels(db, { models }));

    // The next day brings one session and no catalogue change.
    await landSessions(db, [rawSession({ session_id: session(5), user_id: u1 })], day(2));
    const result = await buildModels(db, { models });
    expectPublished(result);
    const fact = result.models.find((model) => model.name === 'fact_viewing_session');
    expect({ mode: fact?.mode, rows: fact?.rows }).toEqual({ mode: 'incremental_delta', rows: 1 });
    expect(await differencesFromFullRebuild(db)).toEqual([]);
  });
});

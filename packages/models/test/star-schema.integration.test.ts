import { readFile } from 'node:fs/promises';

import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildModels } from '@reelhouse/model-compiler';
import { usePostgresDatabase } from '@reelhouse/services/testing';
import { createKysely, createPool, type WarehouseDatabase } from '@reelhouse/warehouse';

import { models } from '../src/index.ts';
import { catalogue } from './fixtures/catalogue.ts';
import { landSessions, landUsers } from './fixtures/land-raw.ts';
import { rawSession } from './fixtures/raw-session.ts';
import { rawUser } from './fixtures/raw-user.ts';
import { rawTablesDdl } from './raw-tables.ts';

const pg = usePostgresDatabase('models_star_schema');

// raw keys and load ids are uuids, as the extractor lands them.
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const [u1, u2, ghost] = [uuid(1), uuid(2), uuid(99)];
const session = (n: number) => uuid(100 + n);
const firstLoad = { _load_id: uuid(1001), _extracted_at: new Date('2024-03-01T00:00:00Z') };
let db: Kysely<WarehouseDatabase>;

const published = [
  'ref_country',
  'dim_date',
  'dim_user',
  'dim_content',
  'bridge_content_genre',
  'bridge_content_cast',
  'fact_viewing_session',
  'agg_daily_usage',
  'agg_daily_content',
];

/** Rows in one relation and not the other, both ways: 0 and 0 means equal contents (duplicates counted). */
async function differences(left: string, right: string): Promise<[number, number]> {
  const count = async (a: string, b: string) =>
    Number(
      (
        await sql<{
          n: number;
        }>`select count(*) as n from (select * from ${sql.table(a)} except all select * from ${sql.table(b)}) d`.execute(
          db,
        )
      ).rows[0]?.n,
    );
  return [await count(left, right), await count(right, left)];
}

/** Column names and types of a relation, in order. */
async function columnTypes(relation: string): Promise<string[]> {
  const { rows } = await sql<{
    column: string;
  }>`select attname || ' ' || format_type(atttypid, atttypmod) as "column" from pg_attribute where attrelid = ${relation}::regclass and attnum > 0 and not attisdropped order by attnum`.execute(
    db,
  );
  return rows.map((row) => row.column);
}

async function snapshot(schema: string): Promise<void> {
  await sql`drop schema if exists ${sql.id(schema)} cascade; create schema ${sql.id(schema)}`.execute(
    db,
  );
  for (const name of published)
    await sql`create table ${sql.table(`${schema}.${name}`)} as table ${sql.table(`trusted.${name}`)}`.execute(
      db,
    );
}

beforeAll(async () => {
  db = createKysely(createPool({ url: pg.url, max: 3 }));
  await sql.raw(rawTablesDdl).execute(db);
  await landUsers(
    db,
    [
      rawUser({ user_id: u1 }),
      rawUser({ user_id: u2, plan: 'premium', country_code: 'JP', birth_year: null }),
    ],
    firstLoad,
  );
  await landSessions(
    db,
    [
      rawSession({ session_id: session(1), user_id: u1 }),
      rawSession({
        session_id: session(2),
        user_id: u2,
        country_code: 'JP',
        content_id: 'ep_1_1_2',
        watch_duration_s: 3000,
        exit_reason: 'completed',
      }),
      rawSession({ session_id: session(3), user_id: ghost }),
      rawSession({
        session_id: session(4),
        user_id: u1,
        content_id: 'mov_404',
        device_type: 'mobile',
      }),
    ],
    firstLoad,
  );
  await db
    .insertInto('raw.content')
    .values(catalogue.content.map((c) => ({ ...c, ...firstLoad, _doc: JSON.stringify(c._doc) })))
    .execute();
  const loaded = <Row extends object>(rows: readonly Row[]) =>
    rows.map((row) => ({ ...row, _load_id: firstLoad._load_id }));
  await db.insertInto('raw.content__genres').values(loaded(catalogue.genres)).execute();
  await db.insertInto('raw.content__cast').values(loaded(catalogue.cast)).execute();
  await db.insertInto('raw.content__seasons').values(loaded(catalogue.seasons)).execute();
  await db
    .insertInto('raw.content__seasons__episodes')
    .values(loaded(catalogue.episodes))
    .execute();
});
afterAll(async () => {
  await db.destroy();
});

describe('the star schema built by buildModels', () => {
  it('builds every model from raw, tests passing, and publishes into trusted', async () => {
    const result = await buildModels(db, { models });
    expect(result.models.filter((m) => m.status !== 'success')).toEqual([]);
    expect(result.published).toBe(true);
    const fact = await db
      .selectFrom('trusted.fact_viewing_session')
      .select(['session_id', 'user_key', 'content_key', 'date_key'])
      .orderBy('session_id')
      .execute();
    expect(
      fact.map((f) => [f.session_id, f.user_key === -1, f.content_key === -1, f.date_key]),
    ).toEqual([
      [session(1), false, false, 20240210],
      [session(2), false, false, 20240210],
      [session(3), true, false, 20240210],
      [session(4), false, true, 20240210],
    ]);
  });

  it('equals the hand-written SQL of the benchmark, table by table', async () => {
    const script = await readFile(new URL('../bench/star-schema.sql', import.meta.url), 'utf8');
    // psql substitutes :"target"; the meta-command only stops psql on errors.
    await sql
      .raw(script.replace(/^\\set .*$/m, '').replaceAll(':"target"', '"hand_written"'))
      .execute(db);
    for (const name of published)
      expect(await columnTypes(`hand_written.${name}`)).toEqual(
        await columnTypes(`trusted.${name}`),
      );
    for (const name of published)
      expect([name, ...(await differences(`trusted.${name}`, `hand_written.${name}`))]).toEqual([
        name,
        0,
        0,
      ]);
  });

  it('leaves every table identical, keys included, when raw has not changed', async () => {
    await snapshot('before_rerun');
    const result = await buildModels(db, { models });
    expect(result.status).toBe('success');
    for (const name of published)
      expect([name, ...(await differences(`trusted.${name}`, `before_rerun.${name}`))]).toEqual([
        name,
        0,
        0,
      ]);
  });

  it('on a later load, versions the changed user and merges the new sessions with the version valid at their start', async () => {
    const later = { _load_id: uuid(1002), _extracted_at: new Date('2024-03-05T00:00:00Z') };
    await landUsers(
      db,
      [rawUser({ user_id: u1, plan: 'basic_ads', updated_at: new Date('2024-03-01T00:00:00Z') })],
      later,
    );
    await landSessions(
      db,
      [
        rawSession({
          session_id: session(5),
          user_id: u1,
          started_at: new Date('2024-03-02T18:00:00Z'),
        }),
      ],
      later,
    );
    const result = await buildModels(db, { models });
    expect(result.models.filter((m) => m.status !== 'success')).toEqual([]);
    const versions = await db
      .selectFrom('trusted.dim_user')
      .selectAll()
      .where('user_id', '=', u1)
      .orderBy('valid_from')
      .execute();
    expect(
      versions.map((u) => [
        u.plan,
        u.valid_from.toISOString(),
        u.valid_to?.toISOString() ?? null,
        u.is_current,
      ]),
    ).toEqual([
      ['standard', '2023-01-10T12:00:00.000Z', '2024-03-01T00:00:00.000Z', false],
      ['basic_ads', '2024-03-01T00:00:00.000Z', null, true],
    ]);
    const fact = await db
      .selectFrom('trusted.fact_viewing_session as f')
      .innerJoin('trusted.dim_user as u', 'u.user_key', 'f.user_key')
      .select(['f.session_id', 'u.plan'])
      .where('u.user_id', '=', u1)
      .orderBy('f.session_id')
      .execute();
    expect(fact).toEqual([
      { session_id: session(1), plan: 'standard' },
      { session_id: session(4), plan: 'standard' },
      { session_id: session(5), plan: 'basic_ads' },
    ]);
    const usage = await db
      .selectFrom('trusted.agg_daily_usage')
      .select(['date_key', 'plan', 'sessions'])
      .where('date_key', '=', 20240302)
      .execute();
    expect(usage).toEqual([{ date_key: 20240302, plan: 'basic_ads', sessions: 1 }]);
  });

  it('leaves trusted exactly as it was when a data test fails', async () => {
    await snapshot('before_failure');
    await landSessions(
      db,
      [rawSession({ session_id: session(6), user_id: u1, device_type: 'toaster' })],
      { _load_id: uuid(1003), _extracted_at: new Date('2024-03-06T00:00:00Z') },
    );
    const result = await buildModels(db, { models });
    expect(result.published).toBe(false);
    const fact = result.models.find((m) => m.name === 'fact_viewing_session');
    expect(fact?.tests.find((t) => t.status === 'error')).toMatchObject({
      name: 'accepted_values(device_type)',
      samples: [expect.objectContaining({ session_id: session(6) })],
    });
    for (const name of published)
      expect([name, ...(await differences(`trusted.${name}`, `before_failure.${name}`))]).toEqual([
        name,
        0,
        0,
      ]);
  });
});

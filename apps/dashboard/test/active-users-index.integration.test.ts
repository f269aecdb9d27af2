import { parseMetricQuery, runMetricQuery, type MetricQueryInput } from '@reelhouse/metrics';
import { closeKysely, insertTrustedFixture } from '@reelhouse/metrics/testing';
import { usePostgresDatabase } from '@reelhouse/services/testing';
import { createKysely, createPool, type TrustedSchema } from '@reelhouse/warehouse';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { loadActiveUsersIndex, type ActiveUsersIndex } from '../src/active-users-index.ts';
import { createDashboardApp } from '../src/index.ts';

const database = usePostgresDatabase('dashboard_active_users_index');
let db: Kysely<TrustedSchema>;
let index: ActiveUsersIndex;
let lastDay: string;
const statements: string[] = [];

const isoOf = (key: number) =>
  `${String(key).slice(0, 4)}-${String(key).slice(4, 6)}-${String(key).slice(6, 8)}`;
const daysBefore = (iso: string, days: number) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  const seed = createKysely<TrustedSchema>(createPool({ url: database.url, max: 2 }));
  await insertTrustedFixture(seed);
  await closeKysely(seed, database);
  db = new Kysely<TrustedSchema>({
    dialect: new PostgresDialect({ pool: createPool({ url: database.url, max: 2 }) }),
    log: (event) => {
      statements.push(event.query.sql);
    },
  });
  const { rows } = await sql<{
    last: number;
  }>`select max(date_key) as last from trusted.fact_viewing_session`.execute(db);
  lastDay = isoOf(rows[0]!.last);
  index = await loadActiveUsersIndex(db, 'fixture');
});

afterAll(async () => {
  await closeKysely(db, database);
});

/** Two values of each slicer the fixture holds, as the URL would give them. */
async function sampleValues(column: string, table: 'f' | 'u' | 'c'): Promise<string[]> {
  const relation = { f: 'fact_viewing_session', u: 'dim_user', c: 'dim_content' }[table];
  const { rows } = await sql<{ value: string }>`
    select distinct ${sql.ref(column)} as value from ${sql.table(`trusted.${relation}`)}
    where ${sql.ref(column)} is not null order by 1 limit 2`.execute(db);
  return rows.map((row) => row.value);
}

describe('active-users index (issue 14: exact distinct users without scanning the warehouse)', () => {
  it('answers active_users exactly as the warehouse does, over ranges, splits and filter combinations', async () => {
    const values = {
      device: await sampleValues('device_type', 'f'),
      plan: await sampleValues('plan', 'u'),
      region: await sampleValues('region', 'f'),
      country: await sampleValues('country_code', 'f'),
      quality: await sampleValues('quality', 'f'),
      // Free text matches whatever its case, as in SQL's lower(...).
      genre: (await sampleValues('primary_genre', 'c')).map((value) => value.toUpperCase()),
      content_type: await sampleValues('content_type', 'c'),
      age_band: await sampleValues('age_band', 'u'),
      gender: await sampleValues('gender', 'u'),
      acquisition_channel: await sampleValues('acquisition_channel', 'u'),
    };
    const filterSets: MetricQueryInput['filters'][] = [
      {},
      { device: values.device.slice(0, 1) },
      { plan: values.plan },
      { genre: values.genre.slice(0, 1) },
      { region: values.region.slice(0, 1), age_band: values.age_band.slice(0, 1) },
      { country: values.country, gender: values.gender.slice(0, 1) },
      {
        quality: values.quality.slice(0, 1),
        content_type: values.content_type.slice(0, 1),
        acquisition_channel: values.acquisition_channel,
      },
      // Filters that match nothing: one group-less row of zeros, or no rows.
      { device: ['unknown'] },
      { genre: ['no such genre'] },
    ];
    const splits = [
      [],
      ['country'],
      ['region'],
      ['device'],
      ['plan'],
      ['quality'],
      ['genre'],
      ['content_type'],
      ['age_band'],
      ['gender'],
      ['acquisition_channel'],
    ] as const;
    let compared = 0;
    let usersCounted = 0;
    for (const days of [7, 30, 120])
      for (const dimensions of splits)
        for (const filters of filterSets) {
          const query = parseMetricQuery({
            metrics: ['active_users'],
            dimensions: [...dimensions],
            filters,
            from: daysBefore(lastDay, days - 1),
            to: lastDay,
            // A short limit checks the order, ties included.
            limit: days === 30 ? 3 : 100,
          });
          const fromIndex = index.answer(query);
          const fromWarehouse = await runMetricQuery(db, query);
          expect(fromIndex?.rows, JSON.stringify(query)).toEqual(fromWarehouse.rows);
          expect(fromIndex?.period).toEqual(fromWarehouse.period);
          compared += 1;
          for (const row of fromWarehouse.rows)
            usersCounted += row.values.active_users?.current ?? 0;
        }
    expect(compared).toBe(3 * splits.length * filterSets.length);
    expect(usersCounted).toBeGreaterThan(1000);
  });

  it('declines what it does not hold: other metrics, two splits, time splits', () => {
    const query = (input: Partial<MetricQueryInput>) =>
      parseMetricQuery({
        metrics: ['active_users'],
        from: daysBefore(lastDay, 29),
        to: lastDay,
        ...input,
      });
    expect(index.answer(query({ metrics: ['sessions'] }))).toBeUndefined();
    expect(index.answer(query({ dimensions: ['series', 'episode'] }))).toBeUndefined();
    expect(index.answer(query({ dimensions: ['date'] }))).toBeUndefined();
    expect(index.answer(query({ filters: { title: ['x'] } }))).toBeUndefined();
  });

  it('serves active-user panels without SQL once the index of the load is built', async () => {
    const app = await createDashboardApp({ db, activeUsersIndex: true });
    const plain = await createDashboardApp({ db });
    // The first active-user request starts building the index of the load.
    await app.request('/api/panels/users_by_age?preset=90d&device=mobile');
    await expect
      .poll(
        async () =>
          ((await (await app.request('/healthz')).json()) as { activeUsersIndex: string })
            .activeUsersIndex,
        { timeout: 30_000 },
      )
      .toBe('ready');
    statements.length = 0;
    const answered = await app.request('/api/panels/users_by_age?preset=90d&plan=premium');
    expect(answered.status).toBe(200);
    expect(statements.filter((text) => text.includes('fact_viewing_session'))).toEqual([]);
    const reference = await plain.request('/api/panels/users_by_age?preset=90d&plan=premium');
    expect(await answered.json()).toEqual(await reference.json());
  });
});

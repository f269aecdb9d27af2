import { DuckDBInstance } from '@duckdb/node-api';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  answerableDimensions,
  metricNames,
  parseMetricQuery,
  runMetricQuery,
  type DimensionName,
  type MetricQueryInput,
} from '@reelhouse/metrics';
import { closeKysely, insertTrustedFixture } from '@reelhouse/metrics/testing';
import { usePostgresDatabase } from '@reelhouse/services/testing';
import { createKysely, createPool, type TrustedSchema } from '@reelhouse/warehouse';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { importWarehouse, type ImportedWarehouse } from '../src/imported-warehouse.ts';
import { createImportedWarehouses } from '../src/imported-warehouses.ts';
import { createDashboardApp } from '../src/index.ts';
import { panelDefinitions } from '../src/panel-definitions.ts';
import { planWarehouseImport } from '../src/warehouse-import-plan.ts';

const database = usePostgresDatabase('dashboard_imported_warehouse');
let db: Kysely<TrustedSchema>;
let imported: ImportedWarehouse;
let dir: string;
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
  dir = await mkdtemp(join(tmpdir(), 'reelhouse-imported-'));
  imported = await importWarehouse({
    db,
    url: database.url,
    loadKey: 'fixture',
    path: join(dir, 'fixture.duckdb'),
  });
}, 120_000);

afterAll(async () => {
  imported?.close();
  await closeKysely(db, database);
  await rm(dir, { recursive: true, force: true });
});

/** Two values of a slicer the fixture holds, upper-cased where matching ignores case. */
async function sampleValues(column: string, table: 'f' | 'u' | 'c'): Promise<string[]> {
  const relation = { f: 'fact_viewing_session', u: 'dim_user', c: 'dim_content' }[table];
  const { rows } = await sql<{ value: string }>`
    select distinct ${sql.ref(column)} as value from ${sql.table(`trusted.${relation}`)}
    where ${sql.ref(column)} is not null order by 1 limit 2`.execute(db);
  return rows.map((row) => row.value);
}

describe('in-memory copy of the warehouse (issue 14: every filter answered from memory, exact)', () => {
  it('answers every metric by every dimension it splits by exactly as the warehouse does, under filters and ranges', async () => {
    const values = {
      device: await sampleValues('device_type', 'f'),
      plan: await sampleValues('plan', 'u'),
      region: await sampleValues('region', 'f'),
      country: await sampleValues('country_code', 'f'),
      quality: await sampleValues('quality', 'f'),
      genre: (await sampleValues('primary_genre', 'c')).map((value) => value.toUpperCase()),
      content_type: await sampleValues('content_type', 'c'),
      age_band: await sampleValues('age_band', 'u'),
      gender: await sampleValues('gender', 'u'),
      acquisition_channel: await sampleValues('acquisition_channel', 'u'),
    } satisfies Partial<Record<DimensionName, string[]>>;
    const filterSets: Partial<Record<DimensionName, string[]>>[] = [
      {},
      { device: values.device.slice(0, 1), plan: values.plan },
      { genre: values.genre.slice(0, 1), region: values.region.slice(0, 1) },
      { country: values.country, age_band: values.age_band.slice(0, 1) },
      {
        quality: values.quality.slice(0, 1),
        content_type: values.content_type.slice(0, 1),
        gender: values.gender.slice(0, 1),
        acquisition_channel: values.acquisition_channel,
      },
      // Matches nothing: totals 0, ratios null, as the warehouse says.
      { device: ['unknown'] },
    ];
    let compared = 0;
    let nonEmpty = 0;
    const check = async (input: MetricQueryInput) => {
      const query = parseMetricQuery(input);
      const fromCopy = await imported.run(query);
      const fromWarehouse = await runMetricQuery(db, query);
      expect(fromCopy, JSON.stringify(input)).toEqual(fromWarehouse);
      compared += 1;
      if (fromWarehouse.rows.some((row) => Object.values(row.values).some((v) => v?.current)))
        nonEmpty += 1;
    };
    for (const metric of metricNames) {
      const splits = answerableDimensions([metric]);
      for (const days of [45, 200])
        for (const dimensions of [[], ...splits.map((name) => [name])] as DimensionName[][])
          for (const filters of filterSets) {
            const applicable = Object.fromEntries(
              Object.entries(filters).filter(([name]) => splits.includes(name as DimensionName)),
            );
            await check({
              metrics: [metric],
              dimensions,
              filters: applicable,
              from: daysBefore(lastDay, days - 1),
              to: lastDay,
              // A short limit checks the order, ties included.
              limit: days === 45 ? 3 : 100,
            });
          }
    }
    // Every panel as the dashboard asks it, two splits and calendar grains included.
    for (const panel of panelDefinitions)
      for (const [days, grain] of [
        [30, 'date'],
        [200, 'week'],
        [500, 'month'],
      ] as const)
        await check({
          metrics: [...panel.metrics],
          dimensions: panel.dimensions.map((name) => (name === 'period' ? grain : name)),
          filters: Object.fromEntries(
            Object.entries(panel.filters ?? {}).map(([name, list]) => [name, [...(list ?? [])]]),
          ),
          from: daysBefore(lastDay, days - 1),
          to: lastDay,
          limit: panel.limit ?? 100,
        });
    expect(compared).toBeGreaterThan(1000);
    expect(nonEmpty).toBeGreaterThan(compared / 2);
  }, 900_000);

  it('counts distinct users by bitmaps while the groups fit the memory budget and by hashing past it, with the same answers', async () => {
    const { rows } = await sql<{
      users: number;
    }>`select count(distinct user_id)::int as users from trusted.dim_user`.execute(db);
    const bitmapBytes = Math.ceil(rows[0]!.users / 8);
    // Room for about ten groups' bitmaps per period: a split by region fits, one by 200 days does not.
    const budgeted = await importWarehouse({
      db,
      url: database.url,
      loadKey: 'fixture',
      path: join(dir, 'budgeted.duckdb'),
      distinctBitmapBudgetBytes: bitmapBytes * 12,
    });
    try {
      const query = (
        metric: 'active_users' | 'signups' | 'cancellations',
        split: DimensionName[],
      ) =>
        parseMetricQuery({
          metrics: [metric],
          dimensions: split,
          filters: {},
          from: daysBefore(lastDay, 199),
          to: lastDay,
          limit: 100,
        });
      expect(imported.compile(query('active_users', ['date'])).sql).toContain('bitstring_agg');
      // Splits no panel makes (a panel's split has a previous-day column instead, tested below).
      expect(budgeted.compile(query('active_users', ['plan'])).sql).toContain('bitstring_agg');
      expect(budgeted.compile(query('active_users', ['quality'])).sql).toContain('bitstring_agg');
      expect(budgeted.compile(query('active_users', ['date'])).sql).toContain('count(distinct');
      // Sign-ups count current versions, one per user: no distinct at all.
      expect(budgeted.compile(query('signups', ['date'])).sql).not.toMatch(/distinct|bitstring/);
      for (const metric of ['active_users', 'signups', 'cancellations'] as const)
        for (const split of [
          [],
          ['region'],
          ['title'],
          ['plan', 'month'],
          ['date'],
        ] as DimensionName[][]) {
          if (!split.every((name) => answerableDimensions([metric]).includes(name))) continue;
          const reference = await runMetricQuery(db, query(metric, split));
          expect(await imported.run(query(metric, split))).toEqual(reference);
          expect(await budgeted.run(query(metric, split))).toEqual(reference);
        }
    } finally {
      budgeted.close();
    }
  }, 120_000);

  it("counts a panel's distinct users from its previous-day column, exactly, and only for queries that column keys", async () => {
    const plan = planWarehouseImport(db);
    const splits = plan.previousDays.map(({ dimensions, filters }) => ({ dimensions, filters }));
    // Every distinct-user split of the panels and drill levels, the KPI's included.
    expect(splits).toEqual(
      expect.arrayContaining([
        { dimensions: [], filters: [] },
        { dimensions: ['episode', 'series'], filters: ['content_type'] },
        { dimensions: ['country'], filters: ['region'] },
        { dimensions: ['age_band'], filters: [] },
      ]),
    );
    /** The values of `name` with the most sessions, as a filter names them. */
    const topValues = async (name: DimensionName, limit: number) => {
      const result = await runMetricQuery(
        db,
        parseMetricQuery({
          metrics: ['sessions'],
          dimensions: [name],
          from: daysBefore(lastDay, 999),
          to: lastDay,
          limit,
        }),
      );
      return result.rows.map((row) => String(row.dimensions[name]));
    };
    // Long ones first: they hold the users a wrong form would count twice or miss.
    const ranges = [
      { from: daysBefore(lastDay, 89), to: lastDay },
      { from: daysBefore(lastDay, 59), to: daysBefore(lastDay, 20) },
      { from: lastDay, to: lastDay },
    ];
    let counted = 0;
    /** Compares with the warehouse over each range, and whether `column` answered the query. */
    const check = async (
      input: { dimensions: DimensionName[]; filters: Partial<Record<DimensionName, string[]>> },
      column: string,
      used: boolean,
    ) => {
      for (const range of ranges) {
        const query = parseMetricQuery({
          metrics: ['active_users'],
          limit: 1000,
          ...input,
          ...range,
        });
        const reference = await runMetricQuery(db, query);
        expect(await imported.run(query), JSON.stringify({ input, range })).toEqual(reference);
        expect(imported.compile(query).sql.includes(`"${column}"`), JSON.stringify(input)).toBe(
          used,
        );
        if (reference.rows.some((row) => (row.values.active_users?.current ?? 0) > 0)) counted += 1;
      }
    };
    for (const { dimensions: keys, filters, column } of plan.previousDays) {
      const dimensions = [...keys];
      const one: Partial<Record<DimensionName, string[]>> = {};
      for (const name of filters) one[name] = await topValues(name, 1);
      await check({ dimensions, filters: one }, column, true);
      // A grouped dimension may be filtered to several values: each group still holds one key.
      if (dimensions.length > 0) {
        const grouped = dimensions[0]!;
        const two = await runMetricQuery(
          db,
          parseMetricQuery({
            metrics: ['sessions'],
            dimensions: [grouped],
            filters: one,
            from: daysBefore(lastDay, 999),
            to: lastDay,
            limit: 2,
          }),
        );
        const members = two.rows.map((row) => String(row.dimensions[grouped]));
        expect(members).toHaveLength(2);
        await check({ dimensions, filters: { ...one, [grouped]: members } }, column, true);
      }
      // Any other slicer, a key left unfiltered or a coarser split would count a user twice or
      // miss one: those take another form.
      await check(
        { dimensions, filters: { ...one, device: await topValues('device', 1) } },
        column,
        false,
      );
      if (dimensions.length > 1)
        await check({ dimensions: dimensions.slice(1), filters: one }, column, false);
      for (const name of filters) {
        const { [name]: _left, ...rest } = one;
        await check({ dimensions, filters: rest }, column, false);
      }
      // Several values of a key that is not grouped put two keys in a group.
      for (const name of filters)
        await check(
          { dimensions, filters: { ...one, [name]: await topValues(name, 2) } },
          column,
          false,
        );
    }
    expect(counted).toBeGreaterThan(splits.length);
  }, 300_000);

  it('copies only what the metric SQL reads, and computes per-title labels once per title', () => {
    const plan = planWarehouseImport(db);
    const wide = Object.fromEntries(plan.wide.map((table) => [table.source, table]));
    // The sources that join dimensions are pre-joined, each with its per-title labels.
    expect(Object.keys(wide).sort()).toEqual(['content', 'sessions']);
    for (const source of ['content', 'sessions'])
      expect(wide[source]!.derived.map(({ dimension }) => dimension).sort()).toEqual([
        'episode',
        'title',
      ]);
    expect(wide['sessions']!.joins.find(({ alias }) => alias === 'u')?.columns).toContain(
      'user_id',
    );
    // Personal data no metric reads stays in the warehouse.
    expect(plan.tables.flatMap(({ columns }) => columns)).not.toContain('email_sha256');
  });

  it('answers text filters in any case from the spellings it stores, exactly, without lower-casing rows', async () => {
    const from = daysBefore(lastDay, 199);
    const filterSets: Partial<Record<DimensionName, string[]>>[] = [];
    for (const dimension of ['genre', 'title', 'series', 'episode'] as const) {
      const { rows } = await runMetricQuery(
        db,
        parseMetricQuery({ metrics: ['sessions'], dimensions: [dimension], from, to: lastDay }),
      );
      const [first, second] = rows.flatMap((row) => row.dimensions[dimension] ?? []).map(String);
      expect(second, dimension).toBeDefined();
      filterSets.push(
        { [dimension]: [first!.toUpperCase()] },
        { [dimension]: [second!.toLowerCase(), 'no such value'] },
        { [dimension]: ['No Such Value'] },
      );
    }
    let nonEmpty = 0;
    for (const filters of filterSets)
      // The content aggregate, the fact (a session-level split) and distinct users.
      for (const [metrics, dimensions] of [
        [['sessions', 'watch_hours'], []],
        [['watch_hours', 'avg_startup_ms'], ['device']],
        [['active_users'], ['date']],
      ] as const) {
        const query = parseMetricQuery({ metrics, dimensions, filters, from, to: lastDay });
        const fromWarehouse = await runMetricQuery(db, query);
        expect(await imported.run(query), JSON.stringify(query)).toEqual(fromWarehouse);
        expect(imported.compile(query).sql).not.toMatch(/lower\(/);
        if (fromWarehouse.rows.some((row) => Object.values(row.values).some((v) => v?.current)))
          nonEmpty += 1;
      }
    // Two of every three filter sets match rows: in every form.
    expect(nonEmpty).toBe((filterSets.length * 2 * 3) / 3);
  });

  it("stores the pre-joined tables' text as enums of their sorted values, and answers titles from them", async () => {
    expect(
      imported.compile(
        parseMetricQuery({
          metrics: ['watch_hours'],
          dimensions: ['title'],
          from: lastDay,
          to: lastDay,
        }),
      ).sql,
    ).toContain('agg_daily_content_wide');
    const instance = await DuckDBInstance.create(join(dir, 'fixture.duckdb'), {
      access_mode: 'READ_ONLY',
    });
    try {
      const connection = await instance.connect();
      const types = async (table: string) =>
        Object.fromEntries(
          (await connection.runAndReadAll(`describe trusted.${table}`))
            .getRowObjects()
            .map((row) => [String(row['column_name']), String(row['column_type'])]),
        );
      const sessions = await types('fact_viewing_session_wide');
      const content = await types('agg_daily_content_wide');
      expect(sessions['device_type']).toMatch(/^ENUM\(/);
      expect(sessions['c']).toMatch(/series_title ENUM\(/);
      expect(sessions['c']).toMatch(/__title ENUM\(/);
      expect(content['c']).toMatch(/__episode ENUM\(/);
      // Sorted: ORDER BY an enum orders by its position, which must be the text's order.
      const { rows } = await sql<{ value: string }>`
        select distinct device_type as value from trusted.fact_viewing_session order by 1`.execute(
        db,
      );
      expect(sessions['device_type']).toBe(
        `ENUM(${rows.map(({ value }) => `'${value}'`).join(', ')})`,
      );
      connection.closeSync();
    } finally {
      instance.closeSync();
    }
  });

  it('serves panels without warehouse SQL once the copy of the load is ready, and keeps one file per load', async () => {
    const copies = createImportedWarehouses({ db, url: database.url, dir });
    const app = await createDashboardApp({ db, imported: copies });
    const plain = await createDashboardApp({ db });
    try {
      // The first request starts importing the load; the warehouse answers it meanwhile.
      await app.request('/api/panels/episode_dropoff?preset=90d&device=mobile');
      await expect
        .poll(
          async () =>
            ((await (await app.request('/healthz')).json()) as { inMemory: string }).inMemory,
          { timeout: 60_000 },
        )
        .toBe('ready');
      for (const panel of ['episode_dropoff', 'kpi_subscribers', 'usage_over_time', 'top_titles']) {
        statements.length = 0;
        const answered = await app.request(`/api/panels/${panel}?preset=365d&plan=premium`);
        expect(answered.status).toBe(200);
        expect(
          statements.filter((text) => /fact_viewing_session|agg_daily|dim_user/.test(text)),
        ).toEqual([]);
        const reference = await plain.request(`/api/panels/${panel}?preset=365d&plan=premium`);
        expect(await answered.json()).toEqual(await reference.json());
      }
      const folders = await readdir(dir);
      const files = (
        await Promise.all(
          folders
            .filter((name) => !name.endsWith('.duckdb'))
            .map((name) => readdir(join(dir, name))),
        )
      ).flat();
      expect(files.filter((name) => name.endsWith('.duckdb'))).toHaveLength(1);
    } finally {
      copies.close();
    }
  }, 120_000);
});

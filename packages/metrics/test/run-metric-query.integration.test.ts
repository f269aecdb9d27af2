import { usePostgresDatabase } from '@reelhouse/services/testing';
import { createKysely, createPool, type TrustedSchema } from '@reelhouse/warehouse';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  metricNames,
  parseMetricQuery,
  runMetricQuery,
  type MetricName,
  type MetricQueryInput,
} from '../src/index.ts';
import { closeKysely, insertTrustedFixture } from '../src/testing/index.ts';

const pg = usePostgresDatabase('metrics');
let db: Kysely<TrustedSchema>;

beforeAll(async () => {
  db = createKysely<TrustedSchema>(createPool({ url: pg.url, max: 2 }));
  await insertTrustedFixture(db);
});

afterAll(async () => {
  await closeKysely(db, pg);
});

const range = { from: '2026-02-15', to: '2026-03-31' };
const previous = { from: '2026-01-01', to: '2026-02-14' };

// Independent definitions, written by hand over the fact table and the user dimension.
const sessionWhere = (period: { from: string; to: string }) =>
  sql.raw(
    `f.date_key between ${period.from.replaceAll('-', '')} and ${period.to.replaceAll('-', '')}`,
  );
const asOf = (period: { to: string }) =>
  sql.raw(
    `u.valid_from < date '${period.to}' + 1 and (u.valid_to is null or u.valid_to >= date '${period.to}' + 1)`,
  );
const handWritten: Record<
  MetricName,
  (period: { from: string; to: string }) => ReturnType<typeof sql<number | null>>
> = {
  sessions: (p) =>
    sql`select count(*) from trusted.fact_viewing_session f where ${sessionWhere(p)}`,
  active_users: (p) =>
    sql`select count(distinct u.user_id) from trusted.fact_viewing_session f join trusted.dim_user u using (user_key) where ${sessionWhere(p)} and f.user_key <> -1`,
  watch_hours: (p) =>
    sql`select sum(watch_duration_s) / 3600.0 from trusted.fact_viewing_session f where ${sessionWhere(p)}`,
  avg_session_minutes: (p) =>
    sql`select avg(watch_duration_s) / 60.0 from trusted.fact_viewing_session f where ${sessionWhere(p)}`,
  completion_rate: (p) =>
    sql`select avg(case when is_completed then 1.0 else 0.0 end) from trusted.fact_viewing_session f where ${sessionWhere(p)}`,
  rebuffer_ratio: (p) =>
    sql`select sum(rebuffer_ms) / (1000.0 * sum(watch_duration_s)) from trusted.fact_viewing_session f where ${sessionWhere(p)}`,
  rebuffers_per_hour: (p) =>
    sql`select sum(rebuffer_count) / (sum(watch_duration_s) / 3600.0) from trusted.fact_viewing_session f where ${sessionWhere(p)}`,
  avg_bitrate_kbps: (p) =>
    sql`select sum(avg_bitrate_kbps::numeric * watch_duration_s) / sum(watch_duration_s) from trusted.fact_viewing_session f where ${sessionWhere(p)}`,
  avg_startup_ms: (p) =>
    sql`select avg(startup_ms) from trusted.fact_viewing_session f where ${sessionWhere(p)}`,
  revenue_per_user: (p) =>
    sql`select avg(monthly_price_cents) / 100.0 from trusted.dim_user u where ${asOf(p)} and subscription_status = 'active' and user_key <> -1`,
  mrr: (p) =>
    sql`select sum(monthly_price_cents) / 100.0 from trusted.dim_user u where ${asOf(p)} and subscription_status = 'active' and user_key <> -1`,
  signups: (p) =>
    sql`select count(*) from trusted.dim_user u where is_current and user_key <> -1 and signup_date_key between ${Number(p.from.replaceAll('-', ''))} and ${Number(p.to.replaceAll('-', ''))}`,
  cancellations: (p) =>
    sql`select count(*) from trusted.dim_user u where is_current and subscription_status = 'cancelled' and to_date(cancelled_date_key::text, 'YYYYMMDD') between ${p.from}::date and ${p.to}::date`,
  subscribers: (p) =>
    sql`select count(*) from trusted.dim_user u where ${asOf(p)} and user_key <> -1 and subscription_status in ('active', 'paused')`,
  users: (p) => sql`select count(*) from trusted.dim_user u where ${asOf(p)} and user_key <> -1`,
  churn_rate: (p) =>
    sql`with start as (select user_id from trusted.dim_user u where user_key <> -1 and subscription_status in ('active', 'paused') and u.valid_from < date '${sql.raw(p.from)}' and (u.valid_to is null or u.valid_to >= date '${sql.raw(p.from)}'))
      select count(*) filter (where u.subscription_status = 'cancelled')::float8 / (select count(*) from start)
      from trusted.dim_user u join start using (user_id) where ${asOf(p)}`,
};

async function expected(
  metric: MetricName,
  period: { from: string; to: string },
): Promise<number | null> {
  const result = await sql<{
    value: number | null;
  }>`select (${handWritten[metric](period)})::float8 as value`.execute(db);
  return result.rows[0]?.value ?? null;
}

async function run(input: MetricQueryInput) {
  return runMetricQuery(db, parseMetricQuery(input));
}

describe('runMetricQuery on the fixture', () => {
  it.each(metricNames)(
    '%s equals the hand-written query in the current and the previous period',
    async (metric) => {
      const result = await run({ metrics: [metric], ...range });
      const value = result.rows[0]?.values[metric];
      const [current, before] = await Promise.all([
        expected(metric, range),
        expected(metric, previous),
      ]);
      expect(current).not.toBeNull();
      expect(value?.current).toBeCloseTo(current!, 6);
      expect(value?.previous).toBeCloseTo(before!, 6);
    },
  );

  it('splits sessions by device from the aggregate exactly as the fact table counts them', async () => {
    const result = await run({
      metrics: ['sessions', 'watch_hours'],
      dimensions: ['device'],
      ...range,
    });
    expect(result.source).toBe('usage');
    const byHand = await sql<{ device: string; sessions: number; watch_hours: number }>`
      select device_type as device, count(*)::int as sessions, sum(watch_duration_s) / 3600.0 as watch_hours
      from trusted.fact_viewing_session f where ${sessionWhere(range)}
      group by device_type order by sessions desc, device`.execute(db);
    expect(result.rows.map((row) => [row.dimensions.device, row.values.sessions?.current])).toEqual(
      byHand.rows.map((row) => [row.device, row.sessions]),
    );
  });

  it('applies filters to both periods', async () => {
    const result = await run({
      metrics: ['sessions'],
      filters: { country: ['US', 'CA'], plan: ['premium'] },
      ...range,
    });
    const count = (period: { from: string; to: string }) =>
      sql<{
        n: number;
      }>`select count(*)::int as n from trusted.fact_viewing_session f join trusted.dim_user u using (user_key)
        where ${sessionWhere(period)} and f.country_code in ('US', 'CA') and u.plan = 'premium'`.execute(
        db,
      );
    const [current, before] = await Promise.all([count(range), count(previous)]);
    expect(result.rows[0]?.values.sessions).toEqual({
      current: current.rows[0]?.n,
      previous: before.rows[0]?.n,
    });
  });

  it('aligns the previous period day by day on a daily series', async () => {
    const result = await run({
      metrics: ['sessions'],
      dimensions: ['date'],
      from: '2026-03-01',
      to: '2026-03-07',
    });
    expect(result.rows.map((row) => row.dimensions.date)).toEqual([
      '2026-03-01',
      '2026-03-02',
      '2026-03-03',
      '2026-03-04',
      '2026-03-05',
      '2026-03-06',
      '2026-03-07',
    ]);
    const first = await sql<{ current: number; previous: number }>`
      select count(*) filter (where date_key = 20260301)::int as current, count(*) filter (where date_key = 20260222)::int as previous
      from trusted.fact_viewing_session`.execute(db);
    expect(result.rows[0]?.values.sessions).toEqual(first.rows[0]);
  });

  it('ranks series by watch hours, episodes rolled up', async () => {
    const result = await run({
      metrics: ['watch_hours'],
      dimensions: ['title'],
      filters: { content_type: ['episode'] },
      ...range,
    });
    expect(result.rows.map((row) => row.dimensions.title).sort()).toEqual([
      'Harbour Lights',
      'Orbit Station',
    ]);
  });

  it('drills a series into its seasons and a season into its episodes (issue 14)', async () => {
    const seasons = await run({
      metrics: ['watch_hours'],
      dimensions: ['season'],
      filters: { series: ['Harbour Lights'] },
      ...range,
    });
    expect(seasons.source).toBe('content');
    expect(seasons.rows.map((row) => row.dimensions.season)).toEqual([1, 2]);
    const episodes = await run({
      metrics: ['watch_hours'],
      dimensions: ['episode'],
      filters: { series: ['Harbour Lights'], season: [2] },
      ...range,
    });
    expect(episodes.rows.map((row) => row.dimensions.episode)).toEqual([
      'S02E01',
      'S02E02',
      'S02E03',
    ]);
    const expected = await sql<{ episode: string; hours: number }>`
      select format('S%sE%s', lpad(c.season_number::text, 2, '0'), lpad(c.episode_number::text, 2, '0')) as episode,
        sum(f.watch_duration_s)::float8 / 3600 as hours
      from trusted.fact_viewing_session f join trusted.dim_content c using (content_key)
      where c.series_title = 'Harbour Lights' and c.season_number = 2
        and f.date_key between ${Number(range.from.replaceAll('-', ''))} and ${Number(range.to.replaceAll('-', ''))}
      group by 1 order by 1`.execute(db);
    expect(
      episodes.rows.map((row) => [row.dimensions.episode, row.values.watch_hours?.current]),
    ).toEqual(
      expected.rows.map((row): [string, unknown] => [row.episode, expect.closeTo(row.hours, 6)]),
    );
  });

  it('sorts bucket dimensions by value', async () => {
    const result = await run({ metrics: ['sessions'], dimensions: ['hour_local'], ...range });
    const hours = result.rows.map((row) => Number(row.dimensions.hour_local));
    expect(hours).toEqual([...hours].sort((a, b) => a - b));
    expect(result.source).toBe('sessions');
  });
});

describe('runMetricQuery failures', () => {
  it('turns a driver error into a typed error naming the query', async () => {
    await sql`alter table trusted.agg_daily_content rename column sessions to n_sessions`.execute(
      db,
    );
    try {
      await expect(
        run({ metrics: ['sessions'], dimensions: ['genre'], ...range }),
      ).rejects.toMatchObject({
        name: 'ReelhouseError',
        code: 'query_failed',
        context: {
          metrics: ['sessions'],
          dimensions: ['genre'],
          source: 'content',
          sqlState: '42703',
        },
      });
    } finally {
      await sql`alter table trusted.agg_daily_content rename column n_sessions to sessions`.execute(
        db,
      );
    }
  });
});

import type { TrustedSchema } from '@reelhouse/warehouse';
import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  sql,
} from 'kysely';
import { describe, expect, it } from 'vitest';

import {
  compileMetricQuery,
  metricSources,
  parseMetricQuery,
  planMetricQuery,
  type DimensionName,
  type MetricSource,
} from '../src/index.ts';

const db = new Kysely<TrustedSchema>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (kysely) => new PostgresIntrospector(kysely),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

const compile = (input: unknown) => compileMetricQuery(db, parseMetricQuery(input));

describe('compileMetricQuery', () => {
  it('answers KPI totals from the daily usage aggregate, both periods in one statement', () => {
    const compiled = compile({
      metrics: ['sessions', 'watch_hours', 'avg_bitrate_kbps'],
      from: '2026-02-15',
      to: '2026-03-31',
    });
    expect(compiled.sql).toMatchInlineSnapshot(
      `"select coalesce(sum("a"."sessions") filter (where a.date_key between $1 and $2), 0) as "sessions", coalesce(sum("a"."sessions") filter (where a.date_key between $3 and $4), 0) as "sessions__previous", coalesce(sum("a"."watch_seconds") filter (where a.date_key between $5 and $6)::float8 / 3600, 0) as "watch_hours", coalesce(sum("a"."watch_seconds") filter (where a.date_key between $7 and $8)::float8 / 3600, 0) as "watch_hours__previous", sum("a"."bitrate_kbps_seconds") filter (where a.date_key between $9 and $10)::float8 / nullif(sum("a"."watch_seconds") filter (where a.date_key between $11 and $12), 0) as "avg_bitrate_kbps", sum("a"."bitrate_kbps_seconds") filter (where a.date_key between $13 and $14)::float8 / nullif(sum("a"."watch_seconds") filter (where a.date_key between $15 and $16), 0) as "avg_bitrate_kbps__previous" from "trusted"."agg_daily_usage" as "a" where a.date_key between $17 and $18 limit $19"`,
    );
    expect(compiled.parameters).toMatchInlineSnapshot(`
      [
        20260215,
        20260331,
        20260101,
        20260214,
        20260215,
        20260331,
        20260101,
        20260214,
        20260215,
        20260331,
        20260215,
        20260331,
        20260101,
        20260214,
        20260101,
        20260214,
        20260101,
        20260331,
        100,
      ]
    `);
  });

  it('aligns the previous period onto the current buckets of a time series', () => {
    const compiled = compile({
      metrics: ['sessions'],
      dimensions: ['week'],
      filters: { device: ['mobile', 'tablet'] },
      from: '2026-03-01',
      to: '2026-03-14',
    });
    expect(compiled.sql).toMatchInlineSnapshot(
      `"select date_trunc('week', (to_date(a.date_key::text, 'YYYYMMDD') + case when a.date_key < 20260301 then 14 else 0 end))::date as "week", coalesce(sum("a"."sessions") filter (where a.date_key between $1 and $2), 0) as "sessions", coalesce(sum("a"."sessions") filter (where a.date_key between $3 and $4), 0) as "sessions__previous" from "trusted"."agg_daily_usage" as "a" where a.date_key between $5 and $6 and "a"."device_type" in ($7, $8) group by date_trunc('week', (to_date(a.date_key::text, 'YYYYMMDD') + case when a.date_key < 20260301 then 14 else 0 end))::date order by date_trunc('week', (to_date(a.date_key::text, 'YYYYMMDD') + case when a.date_key < 20260301 then 14 else 0 end))::date limit $9"`,
    );
    expect(compiled.parameters).toMatchInlineSnapshot(`
      [
        20260301,
        20260314,
        20260215,
        20260228,
        20260215,
        20260314,
        "mobile",
        "tablet",
        100,
      ]
    `);
  });

  it('falls back to the fact table for distinct users and session-level dimensions', () => {
    const compiled = compile({
      metrics: ['active_users', 'completion_rate'],
      dimensions: ['age_band'],
      filters: { country: ['US'] },
      from: '2026-03-01',
      to: '2026-03-31',
      limit: 10,
    });
    expect(compiled.sql).toMatchInlineSnapshot(
      `"select "u"."age_band" as "age_band", coalesce(count(distinct u.user_id) filter (where f.date_key between $1 and $2 and u.user_key <> -1), 0) as "active_users", coalesce(count(distinct u.user_id) filter (where f.date_key between $3 and $4 and u.user_key <> -1), 0) as "active_users__previous", count(*) filter (where f.date_key between $5 and $6 and f.is_completed)::float8 / nullif(count(*) filter (where f.date_key between $7 and $8), 0) as "completion_rate", count(*) filter (where f.date_key between $9 and $10 and f.is_completed)::float8 / nullif(count(*) filter (where f.date_key between $11 and $12), 0) as "completion_rate__previous" from "trusted"."fact_viewing_session" as "f" inner join "trusted"."dim_user" as "u" on "u"."user_key" = "f"."user_key" inner join "trusted"."dim_content" as "c" on "c"."content_key" = "f"."content_key" where f.date_key between $13 and $14 and "f"."country_code" in ($15) group by "u"."age_band" order by "u"."age_band" limit $16"`,
    );
  });

  it('reads subscriber snapshots from the user dimension as of the last day of each period', () => {
    const compiled = compile({
      metrics: ['subscribers', 'revenue_per_user'],
      dimensions: ['plan'],
      from: '2026-03-01',
      to: '2026-03-31',
    });
    expect(compiled.sql).toMatchInlineSnapshot(
      `"select "u"."plan" as "plan", coalesce(count(*) filter (where (u.valid_from < ($1::date + 1)::timestamp at time zone 'UTC' and (u.valid_to is null or u.valid_to >= ($2::date + 1)::timestamp at time zone 'UTC')) and u.subscription_status in ('active', 'paused')), 0) as "subscribers", coalesce(count(*) filter (where (u.valid_from < ($3::date + 1)::timestamp at time zone 'UTC' and (u.valid_to is null or u.valid_to >= ($4::date + 1)::timestamp at time zone 'UTC')) and u.subscription_status in ('active', 'paused')), 0) as "subscribers__previous", sum("u"."monthly_price_cents") filter (where (u.valid_from < ($5::date + 1)::timestamp at time zone 'UTC' and (u.valid_to is null or u.valid_to >= ($6::date + 1)::timestamp at time zone 'UTC')) and u.subscription_status = 'active')::float8 / nullif(100 * count(*) filter (where (u.valid_from < ($7::date + 1)::timestamp at time zone 'UTC' and (u.valid_to is null or u.valid_to >= ($8::date + 1)::timestamp at time zone 'UTC')) and u.subscription_status = 'active'), 0) as "revenue_per_user", sum("u"."monthly_price_cents") filter (where (u.valid_from < ($9::date + 1)::timestamp at time zone 'UTC' and (u.valid_to is null or u.valid_to >= ($10::date + 1)::timestamp at time zone 'UTC')) and u.subscription_status = 'active')::float8 / nullif(100 * count(*) filter (where (u.valid_from < ($11::date + 1)::timestamp at time zone 'UTC' and (u.valid_to is null or u.valid_to >= ($12::date + 1)::timestamp at time zone 'UTC')) and u.subscription_status = 'active'), 0) as "revenue_per_user__previous" from "trusted"."dim_user" as "u" where u.user_key <> -1 group by "u"."plan" order by "subscribers" desc nulls last, "u"."plan" limit $13"`,
    );
  });

  it('ranks titles from the daily content aggregate', () => {
    const plan = planMetricQuery(
      db,
      parseMetricQuery({
        metrics: ['watch_hours', 'completion_rate'],
        dimensions: ['title'],
        from: '2026-03-01',
        to: '2026-03-31',
        limit: 10,
      }),
    );
    expect(plan.source).toBe('content');
    expect(plan.query.compile().sql).toMatchInlineSnapshot(
      `"select coalesce(c.series_title, c.title) as "title", coalesce(sum("ac"."watch_seconds") filter (where ac.date_key between $1 and $2)::float8 / 3600, 0) as "watch_hours", coalesce(sum("ac"."watch_seconds") filter (where ac.date_key between $3 and $4)::float8 / 3600, 0) as "watch_hours__previous", sum("ac"."completed_sessions") filter (where ac.date_key between $5 and $6)::float8 / nullif(sum("ac"."sessions") filter (where ac.date_key between $7 and $8), 0) as "completion_rate", sum("ac"."completed_sessions") filter (where ac.date_key between $9 and $10)::float8 / nullif(sum("ac"."sessions") filter (where ac.date_key between $11 and $12), 0) as "completion_rate__previous" from "trusted"."agg_daily_content" as "ac" inner join "trusted"."dim_content" as "c" on "c"."content_key" = "ac"."content_key" where ac.date_key between $13 and $14 group by coalesce(c.series_title, c.title) order by "watch_hours" desc nulls last, coalesce(c.series_title, c.title) limit $15"`,
    );
  });

  it("filters a text dimension ignoring case, in the source's own form where it has one", () => {
    const query = parseMetricQuery({
      metrics: ['watch_hours'],
      filters: { genre: ['Drama', 'SCI-FI'], device: ['smart_tv'] },
      from: '2026-03-01',
      to: '2026-03-31',
    });
    const where = (sources?: readonly MetricSource[]) => {
      const compiled = planMetricQuery(db, query, sources).query.compile();
      return {
        sql: compiled.sql.slice(compiled.sql.indexOf(' where ')),
        parameters: compiled.parameters.slice(4),
      };
    };
    expect(where()).toEqual({
      sql: ' where f.date_key between $5 and $6 and lower("c"."primary_genre") in ($7, $8) and "f"."device_type" in ($9) limit $10',
      parameters: [20260129, 20260331, 'drama', 'sci-fi', 'smart_tv', 100],
    });
    const asked: unknown[] = [];
    const own = metricSources.map((source) => ({
      ...source,
      matchesIgnoringCase: (dimension: DimensionName, lowered: readonly string[]) => {
        asked.push([source.name, dimension, lowered]);
        return sql<boolean>`c.primary_genre = any(${[...lowered]})`;
      },
    }));
    // Case-sensitive codes keep their plain `in`; only the text dimension is asked.
    expect(where(own)).toEqual({
      sql: ' where f.date_key between $5 and $6 and c.primary_genre = any($7) and "f"."device_type" in ($8) limit $9',
      parameters: [20260129, 20260331, ['drama', 'sci-fi'], 'smart_tv', 100],
    });
    expect(asked).toEqual([['sessions', 'genre', ['drama', 'sci-fi']]]);
  });

  it('refuses a split no source can answer, naming what each metric splits by', () => {
    expect(() =>
      compile({
        metrics: ['subscribers'],
        dimensions: ['device'],
        from: '2026-03-01',
        to: '2026-03-31',
      }),
    ).toThrowError(
      /No source answers metrics \[subscribers\] by \[device\]: 'subscribers' splits by country, region, plan/,
    );
  });
});

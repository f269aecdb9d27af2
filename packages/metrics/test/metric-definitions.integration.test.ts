import { usePostgresDatabase } from '@reelhouse/services/testing';
import { createKysely, createPool, type TrustedSchema } from '@reelhouse/warehouse';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { type metricDefinitions, parseMetricQuery, runMetricQuery } from '../src/index.ts';
import { buildTrustedFixture, closeKysely, insertTrustedFixture } from '../src/testing/index.ts';

// Issue 14: each KPI against a value computed in TypeScript from the fixture's rows, not in SQL.
const pg = usePostgresDatabase('metric_definitions');
const fixture = buildTrustedFixture();
let db: Kysely<TrustedSchema>;

beforeAll(async () => {
  db = createKysely<TrustedSchema>(createPool({ url: pg.url, max: 2 }));
  await insertTrustedFixture(db, fixture);
});

afterAll(async () => {
  await closeKysely(db, pg);
});

const range = { from: '2026-02-15', to: '2026-03-31' };
const instant = (day: string) => Date.parse(`${day}T00:00:00Z`);
const endOf = (day: string) => instant(day) + 86_400_000;
const people = fixture.dimUser.filter((user) => user.user_key !== -1);
/** Each user's version valid at an instant: valid_from <= t < valid_to. */
const versionsAt = (ms: number) =>
  people.filter(
    (user) =>
      new Date(user.valid_from as Date).getTime() <= ms &&
      (user.valid_to == null || new Date(user.valid_to as Date).getTime() > ms),
  );
const subscribed = (status: string | null | undefined) =>
  status === 'active' || status === 'paused';
const keyOf = (day: string) => Number(day.replaceAll('-', ''));
const sessionsIn = fixture.factViewingSession.filter(
  (session) => session.date_key >= keyOf(range.from) && session.date_key <= keyOf(range.to),
);

async function value(metric: keyof typeof metricDefinitions, dimensions: string[] = []) {
  return runMetricQuery(db, parseMetricQuery({ metrics: [metric], dimensions, ...range }));
}

describe('KPI definitions, checked against the fixture rows', () => {
  it('Subscribers: users whose version valid at the end of the range is active or paused', async () => {
    const atEnd = versionsAt(endOf(range.to) - 1);
    const byHand = new Set(
      atEnd.filter((user) => subscribed(user.subscription_status)).map((user) => user.user_id),
    ).size;
    const everyone = new Set(atEnd.map((user) => user.user_id)).size;
    // The fixture has cancelled and paused users at that instant: the definition matters.
    expect(atEnd.some((user) => user.subscription_status === 'cancelled')).toBe(true);
    expect(atEnd.some((user) => user.subscription_status === 'paused')).toBe(true);
    expect(byHand).toBeLessThan(everyone);
    expect((await value('subscribers')).rows[0]?.values.subscribers?.current).toBe(byHand);
    expect((await value('users')).rows[0]?.values.users?.current).toBe(everyone);
  });

  it('MRR: monthly prices of the users active at the end of the range', async () => {
    const byHand =
      versionsAt(endOf(range.to) - 1)
        .filter((user) => user.subscription_status === 'active')
        .reduce((sum, user) => sum + Number(user.monthly_price_cents), 0) / 100;
    expect(byHand).toBeGreaterThan(0);
    expect((await value('mrr')).rows[0]?.values.mrr?.current).toBeCloseTo(byHand, 6);
  });

  it('Churn rate: subscribers at the start who are cancelled at the end, over those subscribers', async () => {
    const atStart = new Set(
      versionsAt(instant(range.from) - 1)
        .filter((user) => subscribed(user.subscription_status))
        .map((user) => user.user_id),
    );
    const churned = versionsAt(endOf(range.to) - 1).filter(
      (user) => user.subscription_status === 'cancelled' && atStart.has(user.user_id),
    ).length;
    expect(churned).toBeGreaterThan(0);
    expect((await value('churn_rate')).rows[0]?.values.churn_rate?.current).toBeCloseTo(
      churned / atStart.size,
      9,
    );
  });

  it('Startup time: mean time to first frame of the sessions in the range', async () => {
    const byHand =
      sessionsIn.reduce((sum, session) => sum + Number(session.startup_ms), 0) / sessionsIn.length;
    expect((await value('avg_startup_ms')).rows[0]?.values.avg_startup_ms?.current).toBeCloseTo(
      byHand,
      6,
    );
  });

  it('Rebuffering by device: rebuffer time over watch time, per device', async () => {
    const totals = new Map<string, { rebufferMs: number; watchS: number }>();
    for (const session of sessionsIn) {
      const entry = totals.get(session.device_type) ?? { rebufferMs: 0, watchS: 0 };
      entry.rebufferMs += Number(session.rebuffer_ms);
      entry.watchS += Number(session.watch_duration_s);
      totals.set(session.device_type, entry);
    }
    const result = await value('rebuffer_ratio', ['device']);
    expect(result.rows).toHaveLength(totals.size);
    for (const row of result.rows) {
      const entry = totals.get(String(row.dimensions.device))!;
      expect(row.values.rebuffer_ratio?.current).toBeCloseTo(
        entry.rebufferMs / (1000 * entry.watchS),
        12,
      );
    }
  });
});

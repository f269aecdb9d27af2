import { describe, expect, it } from 'vitest';

import type { RowOf } from '@reelhouse/model-compiler';
import { buildModelInIsolation, modelRows } from '@reelhouse/model-compiler/testing';
import type { RawUser } from '@reelhouse/warehouse';

import { dim_date, dim_user, ref_country } from '../src/index.ts';
import { dateRow } from './fixtures/date-row.ts';
import { rawUser } from './fixtures/raw-user.ts';
import { someCountries } from './fixtures/some-countries.ts';
import { useModelDatabase } from './fixtures/use-model-database.ts';
import { userHistory, userVersion } from './fixtures/user-history.ts';
import { expectedKey, micros } from './surrogate-key.ts';

const warehouse = useModelDatabase('models_dim_user');

type DimUserRow = RowOf<typeof dim_user>;
const signup = '2023-01-10T12:00:00.000Z';
const days = [-1, 20230110, 20240201].map((key) => dateRow(key));
const load = (n: number) => ({ _extracted_at: new Date(`2024-03-0${n}T00:00:00Z`) });
/** The history rows, in `_change_seq` order. */
const history = (users: readonly RawUser[]) =>
  users.map((user, index) => userVersion(user, { _change_seq: index + 1 }));
const build = (users: readonly RawUser[], existing?: readonly DimUserRow[]) =>
  buildModelInIsolation(warehouse.db, {
    model: dim_user,
    inputs: [
      userHistory(history(users)),
      modelRows(ref_country, someCountries),
      modelRows(dim_date, days),
    ],
    ...(existing ? { existing } : {}),
  });
const versions = (rows: readonly DimUserRow[]) =>
  rows.map((r) => ({
    user_key: r.user_key,
    user_id: r.user_id,
    plan: r.plan,
    valid_from: r.valid_from.toISOString(),
    valid_to: r.valid_to?.toISOString() ?? null,
    is_current: r.is_current,
  }));

describe('dim_user', () => {
  it('starts each user with one current version from sign-up, keyed by (user_id, valid_from), plus -1', async () => {
    const { rows, testResults } = await build([
      rawUser({ user_id: 'u1', email: 'ada@example.com', birth_year: 1990, country_code: 'JP' }),
      rawUser({ user_id: 'u2', birth_year: null, gender: null, country_code: 'XX' }),
    ]);
    expect(
      rows.map((r) => [
        r.user_key,
        r.user_id,
        r.email_sha256,
        r.age_band,
        r.gender,
        r.country_code,
        r.region,
        r.signup_date_key,
        r.valid_to,
        r.is_current,
      ]),
    ).toEqual([
      [-1, 'unknown', null, 'unknown', 'unknown', 'ZZ', 'unknown', -1, null, true],
      ...[
        [
          expectedKey('u1', micros(signup)),
          'u1',
          'b5fc85e55755f9e0d030a10ab4429b6b2944855f9a0d60077fe832becbc41d72',
          '25-34',
          'female',
          'JP',
          'APAC',
          20230110,
          null,
          true,
        ],
        [
          expectedKey('u2', micros(signup)),
          'u2',
          expect.stringMatching(/^[0-9a-f]{64}$/),
          'unknown',
          'unknown',
          'XX',
          'unknown',
          20230110,
          null,
          true,
        ],
      ].sort((a, b) => Number(a[0]) - Number(b[0])),
    ]);
    expect(rows.find((r) => r.user_id === 'u1')?.valid_from.toISOString()).toBe(signup);
    expect(testResults.filter((t) => t.status !== 'pass')).toEqual([]);
  });

  it('opens a version at the source time of a plan change, overwrites other attributes, and keeps every existing key', async () => {
    const base = [rawUser({ user_id: 'u1', ...load(1) }), rawUser({ user_id: 'u2', ...load(1) })];
    const first = await build(base);
    const upgradedAt = '2024-02-20T08:00:00.000Z';
    const second = await build(
      [
        ...base,
        rawUser({
          user_id: 'u1',
          plan: 'premium',
          monthly_price_cents: 2299,
          updated_at: new Date(upgradedAt),
          ...load(2),
        }),
        // A change of another attribute: the version takes it, no new version.
        rawUser({
          user_id: 'u2',
          email: 'new@example.com',
          updated_at: new Date(upgradedAt),
          ...load(2),
        }),
        rawUser({ user_id: 'u3', signup_ts: new Date('2024-02-01T00:00:00Z'), ...load(2) }),
      ],
      first.rows,
    );
    const u1Old = expectedKey('u1', micros(signup));
    const u1New = expectedKey('u1', micros(upgradedAt));
    expect(versions(second.rows).filter((v) => v.user_id === 'u1')).toEqual(
      [
        {
          user_key: u1Old,
          user_id: 'u1',
          plan: 'standard',
          valid_from: signup,
          valid_to: upgradedAt,
          is_current: false,
        },
        {
          user_key: u1New,
          user_id: 'u1',
          plan: 'premium',
          valid_from: upgradedAt,
          valid_to: null,
          is_current: true,
        },
      ].sort((a, b) => a.user_key - b.user_key),
    );
    const u2Before = first.rows.find((r) => r.user_id === 'u2');
    const u2After = second.rows.filter((r) => r.user_id === 'u2');
    expect(u2After).toHaveLength(1);
    expect(u2After[0]?.user_key).toBe(u2Before?.user_key);
    expect(u2After[0]?.email_sha256).not.toBe(u2Before?.email_sha256);
    expect(second.rows.find((r) => r.user_id === 'u3')?.user_key).toBe(
      expectedKey('u3', micros('2024-02-01T00:00:00.000Z')),
    );
    expect(second.rows.map((r) => r.user_key)).toEqual(
      expect.arrayContaining(first.rows.map((r) => r.user_key)),
    );
    expect(second.testResults.filter((t) => t.status !== 'pass')).toEqual([]);
  });

  it('changes nothing when raw has not changed', async () => {
    const users = [rawUser({ user_id: 'u1' }), rawUser({ user_id: 'u2', plan: 'premium' })];
    const first = await build(users);
    const again = await build(users, first.rows);
    expect(again.rows).toEqual(first.rows);
  });

  it('dates a cancellation on its version, and opens a new one when the user comes back', async () => {
    const cancelledAt = '2024-02-01T23:30:00.000Z';
    const u1 = (rows: readonly DimUserRow[]) =>
      rows
        .filter((r) => r.user_id === 'u1')
        .sort((a, b) => a.valid_from.getTime() - b.valid_from.getTime())
        .map((r) => [
          r.subscription_status,
          r.cancelled_date_key,
          r.valid_from.toISOString(),
          r.is_current,
        ]);
    const { rows, testResults } = await build([
      rawUser({ user_id: 'u1' }),
      rawUser({
        user_id: 'u1',
        subscription_status: 'cancelled',
        cancelled_at: new Date(cancelledAt),
        updated_at: new Date(cancelledAt),
      }),
      rawUser({ user_id: 'u1', updated_at: new Date('2024-03-01T00:00:00.000Z') }),
    ]);
    expect(u1(rows)).toEqual([
      ['active', null, signup, false],
      ['cancelled', 20240201, cancelledAt, false],
      ['active', null, '2024-03-01T00:00:00.000Z', true],
    ]);
    expect(testResults.filter((t) => t.status !== 'pass')).toEqual([]);
  });
});

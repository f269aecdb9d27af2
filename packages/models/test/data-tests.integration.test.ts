import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildModelInIsolation, modelRows, sourceRows } from '@reelhouse/model-compiler/testing';
import { usePostgresDatabase } from '@reelhouse/services/testing';
import { createKysely, createPool } from '@reelhouse/warehouse';

import { dim_date, dim_user, ref_country, stg_users, stg_viewing_sessions } from '../src/index.ts';
import { rawSession, rawUser, someCountries, stagedUser } from './fixtures.ts';

const pg = usePostgresDatabase('models_data_tests');
let db: Kysely<object>;
beforeAll(() => {
  db = createKysely(createPool({ url: pg.url, max: 2 }));
});
afterAll(async () => {
  await db.destroy();
});

const day = (key: number) => ({
  date_key: key,
  full_date: null,
  year: null,
  quarter: null,
  month: null,
  month_name: null,
  iso_week: null,
  day_of_month: null,
  day_of_week: null,
  day_name: null,
  is_weekend: null,
});
const failed = (results: readonly { name: string; status: string }[]) =>
  results.filter((t) => t.status !== 'pass');

describe('generic data tests catch the defect they exist for and name the failing rows', () => {
  it('unique: a session id that differs only in casing and spaces collapses into a duplicate', async () => {
    const { testResults } = await buildModelInIsolation(db, {
      model: stg_viewing_sessions,
      inputs: [
        sourceRows('raw.viewing_sessions', [
          rawSession({ session_id: 's1' }),
          rawSession({ session_id: ' S1' }),
          rawSession({ session_id: 's2' }),
        ]),
      ],
    });
    expect(failed(testResults)).toEqual([
      expect.objectContaining({
        kind: 'unique',
        status: 'error',
        failures: 1,
        samples: [expect.objectContaining({ session_id: 's1' })],
      }),
    ]);
  });

  it('not_null: a user without an email', async () => {
    const { testResults } = await buildModelInIsolation(db, {
      model: stg_users,
      inputs: [
        sourceRows('raw.users', [
          rawUser({ user_id: 'u1' }),
          { ...rawUser({ user_id: 'u2' }), email: null },
        ]),
      ],
    });
    expect(failed(testResults)).toEqual([
      expect.objectContaining({
        kind: 'not_null',
        status: 'error',
        failures: 1,
        samples: [expect.objectContaining({ user_id: 'u2' })],
      }),
    ]);
  });

  it('accepted_values and relationships: an unknown plan and a sign-up day missing from dim_date', async () => {
    const { testResults } = await buildModelInIsolation(db, {
      model: dim_user,
      inputs: [
        modelRows(stg_users, [
          stagedUser({ user_id: 'u1', plan: 'gold' }),
          stagedUser({ user_id: 'u2', signup_ts: new Date('2023-05-05T10:00:00Z') }),
        ]),
        modelRows(ref_country, someCountries),
        modelRows(dim_date, [day(-1), day(20230110)]),
      ],
    });
    expect(failed(testResults)).toEqual([
      expect.objectContaining({
        kind: 'accepted_values',
        status: 'error',
        failures: 1,
        samples: [expect.objectContaining({ plan: 'gold' })],
      }),
      expect.objectContaining({
        kind: 'relationships',
        status: 'error',
        failures: 1,
        samples: [expect.objectContaining({ signup_date_key: 20230505 })],
      }),
    ]);
  });
});

import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildModelInIsolation, modelRows, sourceRows } from '@reelhouse/model-compiler/testing';
import { usePostgresDatabase } from '@reelhouse/services/testing';
import { createKysely, createPool } from '@reelhouse/warehouse';

import {
  dim_content,
  dim_date,
  dim_user,
  fact_viewing_session,
  ref_country,
  stg_content,
  stg_users,
  stg_viewing_sessions,
} from '../src/index.ts';
import { catalogue, rawSession, rawUser, someCountries, stagedUser } from './fixtures.ts';

const pg = usePostgresDatabase('models_data_tests');
let db: Kysely<object>;
beforeAll(() => {
  db = createKysely(createPool({ url: pg.url, max: 2 }));
});
afterAll(async () => {
  await db.destroy();
});

const day = (key: number, fullDate: string | null = null) => ({
  date_key: key,
  full_date: fullDate,
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

const unknownUser = {
  user_key: -1,
  user_id: 'unknown',
  email_sha256: null,
  age_band: 'unknown',
  gender: 'unknown',
  country_code: 'ZZ',
  region: 'unknown',
  preferred_language: null,
  plan: 'unknown',
  monthly_price_cents: null,
  currency: null,
  subscription_status: 'unknown',
  signup_date_key: -1,
  acquisition_channel: 'unknown',
  valid_from: new Date('1900-01-01T00:00:00Z'),
  valid_to: null,
  is_current: true,
};
const unknownItem = {
  content_key: -1,
  content_id: 'unknown',
  content_type: 'unknown',
  title: 'Unknown',
  series_id: null,
  series_title: null,
  season_number: null,
  episode_number: null,
  runtime_s: null,
  release_date: null,
  primary_genre: 'unknown',
  maturity_rating: null,
  original_language: null,
  is_original: null,
  rating_internal_avg: null,
  rating_imdb_score: null,
};

describe('data tests catch the defect they exist for and name the failing rows', () => {
  it('unique: two title ids that differ only by surrounding spaces collapse into one', async () => {
    const [movie] = catalogue.content;
    const { testResults } = await buildModelInIsolation(db, {
      model: stg_content,
      inputs: [sourceRows('raw.content', [movie!, { ...movie!, content_id: 'mov_1 ' }])],
    });
    expect(failed(testResults)).toEqual([
      expect.objectContaining({
        kind: 'unique',
        status: 'error',
        failures: 1,
        samples: [expect.objectContaining({ content_id: 'mov_1' })],
      }),
    ]);
  });

  it('custom (warn): a malformed email', async () => {
    const { testResults } = await buildModelInIsolation(db, {
      model: stg_users,
      inputs: [
        sourceRows('raw.users', [
          rawUser({ user_id: 'u1' }),
          rawUser({ user_id: 'u2', email: 'u2-at-example.com' }),
        ]),
      ],
    });
    expect(failed(testResults)).toEqual([
      expect.objectContaining({
        name: 'malformed_emails',
        status: 'warn',
        failures: 1,
        samples: [{ user_id: 'u2', email: 'u2-at-example.com' }],
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
        samples: [expect.objectContaining({ user_id: 'u1', plan: 'gold' })],
      }),
      expect.objectContaining({
        kind: 'relationships',
        status: 'error',
        failures: 1,
        samples: [expect.objectContaining({ user_id: 'u2', signup_date_key: 20230505 })],
      }),
    ]);
  });

  describe('on the fact', () => {
    const dimensions = [
      modelRows(dim_user, [unknownUser]),
      modelRows(dim_content, [unknownItem]),
      modelRows(dim_date, [day(-1), day(20240210, '2024-02-10')]),
      modelRows(ref_country, someCountries),
    ];

    it('accepted_values: an unknown device, named by its session', async () => {
      const { testResults } = await buildModelInIsolation(db, {
        model: fact_viewing_session,
        inputs: [
          modelRows(stg_viewing_sessions, [
            rawSession({ session_id: 's1' }),
            rawSession({ session_id: 's2', device_type: 'toaster' }),
          ]),
          ...dimensions,
        ],
      });
      expect(failed(testResults).filter((t) => t.name !== 'orphan_sessions')).toEqual([
        expect.objectContaining({
          name: 'accepted_values(device_type)',
          status: 'error',
          failures: 1,
          samples: [expect.objectContaining({ session_id: 's2', device_type: 'toaster' })],
        }),
      ]);
    });

    it('primary key: a duplicated session fails the build, naming the key', async () => {
      const build = buildModelInIsolation(db, {
        model: fact_viewing_session,
        inputs: [
          modelRows(stg_viewing_sessions, [
            rawSession({ session_id: 's1' }),
            rawSession({ session_id: 's1', watch_duration_s: 60 }),
          ]),
          ...dimensions,
        ],
      });
      await expect(build).rejects.toMatchObject({ code: 'contract_violation' });
      await expect(build).rejects.toThrow('Key (session_id)=(s1) is duplicated.');
    });
  });
});

import { describe, expect, it } from 'vitest';

import type { RowOf } from '@reelhouse/model-compiler';
import { buildModelInIsolation, modelRows } from '@reelhouse/model-compiler/testing';

import {
  dim_content,
  dim_date,
  dim_user,
  fact_viewing_session,
  ref_country,
  stg_viewing_sessions,
} from '../src/index.ts';
import { noChangeHistory } from './fixtures/no-change-history.ts';
import { dateRow } from './fixtures/date-row.ts';
import { rawSession } from './fixtures/raw-session.ts';
import { someCountries } from './fixtures/some-countries.ts';
import { unknownContentRow } from './fixtures/unknown-content-row.ts';
import { unknownUserRow } from './fixtures/unknown-user-row.ts';
import { useModelDatabase } from './fixtures/use-model-database.ts';

const warehouse = useModelDatabase('models_fact');

const userVersion = {
  ...unknownUserRow,
  user_id: 'u1',
  age_band: '25-34',
  gender: 'female',
  country_code: 'US',
  region: 'UCAN',
  preferred_language: 'en-US',
  monthly_price_cents: 1549,
  currency: 'USD',
  subscription_status: 'active',
  signup_date_key: 20230110,
  cancelled_date_key: null,
  acquisition_channel: 'organic',
  _extracted_at: null,
};
// u1 was on `standard` until 2024-02-15, then `premium`.
const users = [
  unknownUserRow,
  {
    ...userVersion,
    user_key: 101,
    plan: 'standard',
    valid_from: new Date('2023-01-10T12:00:00Z'),
    valid_to: new Date('2024-02-15T00:00:00Z'),
    is_current: false,
  },
  { ...userVersion, user_key: 102, plan: 'premium', valid_from: new Date('2024-02-15T00:00:00Z') },
];
const items = [
  unknownContentRow,
  {
    ...unknownContentRow,
    content_key: 7,
    content_id: 'mov_1',
    content_type: 'movie',
    title: 'The Long Night',
    runtime_s: 6000,
    primary_genre: 'thriller',
  },
];
const isoDay = (key: number) =>
  key < 0 ? null : `${String(key).slice(0, 4)}-${String(key).slice(4, 6)}-${String(key).slice(6)}`;
const day = (key: number) => dateRow(key, isoDay(key));
const days = [-1, 20240210, 20240216, 20240220].map(day);
const dimensions = [
  modelRows(dim_user, users),
  modelRows(dim_content, items),
  modelRows(dim_date, days),
  modelRows(ref_country, someCountries),
  ...noChangeHistory,
];

type FactRow = RowOf<typeof fact_viewing_session>;
const keyColumns = (rows: readonly FactRow[]) =>
  rows.map((r) => [
    r.session_id,
    r.user_key,
    r.content_key,
    r.date_key,
    r.start_hour_local,
    r.day_of_week_local,
    r.region,
    r.completion_ratio,
    r.is_completed,
  ]);

describe('fact_viewing_session', () => {
  it('points each session at the user version valid at its start, the item and the UTC day, in local time', async () => {
    const { rows, testResults } = await buildModelInIsolation(warehouse.db, {
      model: fact_viewing_session,
      inputs: [
        modelRows(stg_viewing_sessions, [
          // Saturday 2024-02-10 20:00 UTC is 15:00 in New York.
          rawSession({ session_id: 's1' }),
          // After the upgrade; Tuesday 2024-02-20 15:30 UTC is Wednesday 00:30 in Tokyo.
          rawSession({
            session_id: 's2',
            country_code: 'JP',
            started_at: new Date('2024-02-20T15:30:00Z'),
            watch_duration_s: 6000,
            exit_reason: 'completed',
          }),
          rawSession({
            session_id: 's3',
            started_at: new Date('2024-02-16T10:00:00Z'),
            watch_duration_s: 5500,
          }),
        ]),
        ...dimensions,
      ],
    });
    expect(keyColumns(rows)).toEqual([
      ['s1', 101, 7, 20240210, 15, 6, 'UCAN', 0.3, false],
      ['s2', 102, 7, 20240220, 0, 3, 'APAC', 1, true],
      ['s3', 102, 7, 20240216, 5, 5, 'UCAN', 5500 / 6000, true],
    ]);
    expect(testResults.filter((t) => t.status !== 'pass')).toEqual([]);
  });

  it('sends orphan users and items to the -1 members and reports them', async () => {
    const { rows, testResults } = await buildModelInIsolation(warehouse.db, {
      model: fact_viewing_session,
      inputs: [
        modelRows(stg_viewing_sessions, [
          rawSession({ session_id: 's1', user_id: 'ghost' }),
          rawSession({ session_id: 's2', content_id: 'mov_404' }),
          // Before the user's first version (a session before sign-up): no version is valid.
          rawSession({
            session_id: 's3',
            started_at: new Date('2022-12-31T10:00:00Z'),
            country_code: 'XX',
          }),
        ]),
        modelRows(dim_user, users),
        modelRows(dim_content, items),
        modelRows(dim_date, [...days, day(20221231)]),
        modelRows(ref_country, someCountries),
        ...noChangeHistory,
      ],
    });
    expect(
      rows.map((r) => [
        r.session_id,
        r.user_key,
        r.content_key,
        r.runtime_s,
        r.completion_ratio,
        r.region,
        r.start_hour_local,
      ]),
    ).toEqual([
      ['s1', -1, 7, 6000, 0.3, 'UCAN', 15],
      ['s2', 101, -1, null, null, 'UCAN', 15],
      ['s3', -1, 7, 6000, 0.3, 'unknown', 10],
    ]);
    const orphans = testResults.find((t) => t.name.includes('orphan_sessions'));
    expect(orphans).toMatchObject({ status: 'warn', failures: 3 });
    expect(orphans?.samples.map((s) => s['session_id'])).toEqual(
      expect.arrayContaining(['s1', 's2', 's3']),
    );
  });

  it('merges newly extracted sessions into the table as it stands', async () => {
    const firstLoad = { _load_id: 'load-1', _extracted_at: new Date('2024-03-01T00:00:00Z') };
    const secondLoad = { _load_id: 'load-2', _extracted_at: new Date('2024-03-02T00:00:00Z') };
    const sessions = [
      rawSession({ session_id: 's1', ...firstLoad }),
      rawSession({ session_id: 's2', ...firstLoad }),
    ];
    const first = await buildModelInIsolation(warehouse.db, {
      model: fact_viewing_session,
      inputs: [modelRows(stg_viewing_sessions, sessions), ...dimensions],
    });
    const second = await buildModelInIsolation(warehouse.db, {
      model: fact_viewing_session,
      inputs: [
        modelRows(stg_viewing_sessions, [
          ...sessions,
          // s2 re-extracted with a longer watch time, s3 new.
          rawSession({ session_id: 's2', watch_duration_s: 3000, ...secondLoad }),
          rawSession({
            session_id: 's3',
            started_at: new Date('2024-02-16T10:00:00Z'),
            ...secondLoad,
          }),
        ]),
        ...dimensions,
      ],
      existing: first.rows,
    });
    expect(
      second.rows.map((r) => [r.session_id, r.user_key, r.watch_duration_s, r._load_id]),
    ).toEqual([
      ['s1', 101, 1800, 'load-1'],
      ['s2', 101, 3000, 'load-2'],
      ['s3', 102, 1800, 'load-2'],
    ]);
  });
});

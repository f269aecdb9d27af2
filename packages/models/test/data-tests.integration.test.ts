import { describe, expect, it } from 'vitest';

import { buildModelInIsolation, modelRows, sourceRows } from '@reelhouse/model-compiler/testing';

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
import { catalogue } from './fixtures/catalogue.ts';
import { noChangeHistory } from './fixtures/no-change-history.ts';
import { userHistory, userVersion } from './fixtures/user-history.ts';
import { dateRow } from './fixtures/date-row.ts';
import { rawSession } from './fixtures/raw-session.ts';
import { rawUser } from './fixtures/raw-user.ts';
import { someCountries } from './fixtures/some-countries.ts';
import { unknownContentRow } from './fixtures/unknown-content-row.ts';
import { unknownUserRow } from './fixtures/unknown-user-row.ts';
import { useModelDatabase } from './fixtures/use-model-database.ts';

const warehouse = useModelDatabase('models_data_tests');

const failed = (results: readonly { name: string; status: string }[]) =>
  results.filter((t) => t.status !== 'pass');

describe('data tests catch the defect they exist for and name the failing rows', () => {
  it('unique: two title ids that differ only by surrounding spaces collapse into one', async () => {
    const [movie] = catalogue.content;
    const { testResults } = await buildModelInIsolation(warehouse.db, {
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
    const { testResults } = await buildModelInIsolation(warehouse.db, {
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
    const { testResults } = await buildModelInIsolation(warehouse.db, {
      model: dim_user,
      inputs: [
        userHistory([
          userVersion(rawUser({ user_id: 'u1', plan: 'gold' }), { _change_seq: 1 }),
          userVersion(rawUser({ user_id: 'u2', signup_ts: new Date('2023-05-05T10:00:00Z') }), {
            _change_seq: 2,
          }),
        ]),
        modelRows(ref_country, someCountries),
        modelRows(dim_date, [dateRow(-1), dateRow(20230110)]),
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
      modelRows(dim_user, [unknownUserRow]),
      modelRows(dim_content, [unknownContentRow]),
      modelRows(dim_date, [dateRow(-1), dateRow(20240210, '2024-02-10')]),
      modelRows(ref_country, someCountries),
      ...noChangeHistory,
    ];

    it('accepted_values: an unknown device, named by its session', async () => {
      const { testResults } = await buildModelInIsolation(warehouse.db, {
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
      const build = buildModelInIsolation(warehouse.db, {
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

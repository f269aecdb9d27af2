import { beforeEach, describe, expect, it } from 'vitest';

import { checkSourceFreshness } from '../src/index.ts';
import { resetToRawFixture } from './fixtures/reset-to-raw-fixture.ts';
import { useTestKysely } from './fixtures/use-test-kysely.ts';

const warehouse = useTestKysely('source_freshness', { max: 2 });
beforeEach(async () => {
  await resetToRawFixture(warehouse.db);
  await warehouse.db
    .insertInto('raw.viewing_sessions')
    .values({
      session_id: 's1',
      user_id: 'u1',
      started_at: new Date('2024-01-01T00:00:00Z'),
      watch_duration_s: 10,
      updated_at: new Date('2024-01-10T00:00:00Z'),
    })
    .execute();
});

const rule = (warnHours: number, errorHours: number) => ({
  source: 'raw.viewing_sessions',
  loadedAtColumn: 'updated_at',
  warnAfter: { count: warnHours, period: 'hour' },
  errorAfter: { count: errorHours, period: 'hour' },
});

describe('checkSourceFreshness (issue 15)', () => {
  it('compares the newest load with the warn and error thresholds of each source', async () => {
    const now = new Date('2024-01-10T12:00:00Z');
    const check = async (rules: unknown[]) =>
      (await checkSourceFreshness(warehouse.db, { rules, now })).map((r) => [
        r.status,
        r.ageSeconds,
      ]);
    expect(await check([rule(13, 24)])).toEqual([['pass', 43_200]]);
    expect(await check([rule(6, 24)])).toEqual([['warn', 43_200]]);
    expect(await check([rule(1, 6)])).toEqual([['error', 43_200]]);
  });

  it('an empty source fails its error threshold; an unreadable one is a runtime error', async () => {
    await warehouse.db.deleteFrom('raw.viewing_sessions').execute();
    const results = await checkSourceFreshness(warehouse.db, {
      rules: [rule(1, 2), { ...rule(1, 2), source: 'raw.missing' }],
    });
    expect(results.map((r) => [r.source, r.status, r.maxLoadedAt])).toEqual([
      ['raw.viewing_sessions', 'error', null],
      ['raw.missing', 'runtime error', null],
    ]);
  });

  it('rejects a rule without thresholds or with a bad period, naming it', async () => {
    await expect(
      checkSourceFreshness(warehouse.db, {
        rules: [
          { source: 'raw.users', loadedAtColumn: 'x' },
          { ...rule(1, 2), warnAfter: { count: 1, period: 'week' } },
        ],
      }),
    ).rejects.toThrow(/rule 0: give warnAfter, errorAfter or both; rule 1\.warnAfter\.period/);
  });
});

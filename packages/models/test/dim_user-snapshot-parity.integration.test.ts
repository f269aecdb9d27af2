import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildModels } from '@reelhouse/model-compiler';
import { usePostgresDatabase } from '@reelhouse/services/testing';
import { createKysely, createPool, type WarehouseDatabase } from '@reelhouse/warehouse';

import { dim_date, dim_user, ref_country } from '../src/index.ts';
import { dim_user_before_snapshot } from './fixtures/dim-user-before-snapshot.ts';
import { freshRawWithCatalogue } from './fixtures/fresh-raw.ts';
import { expectPublished } from './fixtures/full-rebuild.ts';
import { eraseUser, landSessions, landUsers } from './fixtures/land-raw.ts';
import { simulatedWorld } from './fixtures/simulated-world.ts';

// Issue 15: dim_user moved onto defineSnapshot with no change to its rows. The hand-coded model
// it replaced is built next to it, day after day, each incrementally, and compared row for row.
const pg = usePostgresDatabase('models_dim_user_parity');
let db: Kysely<WarehouseDatabase>;
const start = new Date('2023-12-10T00:00:00Z');
const models = [ref_country, dim_date, dim_user, dim_user_before_snapshot];

beforeAll(async () => {
  db = createKysely(createPool({ url: pg.url, max: 4 }));
  await freshRawWithCatalogue(db);
});
afterAll(async () => {
  await db.destroy();
});

/** Rows of one table missing from the other, both ways (duplicates counted). */
async function differences() {
  const { rows } = await sql<{ side: string; row: string }>`
    (select 'only snapshot' as side, d::text as row from (select * from trusted.dim_user
      except all select * from trusted.dim_user_before_snapshot) d)
    union all
    (select 'only hand-coded', d::text from (select * from trusted.dim_user_before_snapshot
      except all select * from trusted.dim_user) d)
    order by 1, 2`.execute(db);
  return rows;
}

describe('dim_user on defineSnapshot (issue 15)', () => {
  it('has the rows of the hand-coded SCD2 after every daily build of late users, plan changes, returns and erasures', async () => {
    const world = simulatedWorld({ seed: 15, start });
    let versions = 0;
    for (let day = 0; day <= 30; day++) {
      const batch = world.day(day);
      const load = {
        _load_id: `00000000-0000-4000-8000-${String(6000 + day).padStart(12, '0')}`,
        _extracted_at: new Date(start.getTime() + (day + 1) * 86_400_000 + 6 * 3_600_000),
      };
      await landUsers(db, batch.users, load);
      await landSessions(db, batch.sessions, load);
      for (const user of batch.erasedUsers) await eraseUser(db, user, load);
      expectPublished(await buildModels(db, { models }));
      expect([day, await differences()]).toEqual([day, []]);
    }
    const counts = await sql<{ versions: number; erased: number; reopened: number }>`
      select count(*)::int as versions,
        count(*) filter (where subscription_status = 'erased')::int as erased,
        (select count(*)::int from (select user_id from trusted.dim_user group by user_id, plan
          having count(*) > 1) r) as reopened
      from trusted.dim_user`.execute(db);
    versions = counts.rows[0]?.versions ?? 0;
    // The world exercised what the primitive must get right: many versions, erasures, returns.
    expect(versions).toBeGreaterThan(100);
    expect(counts.rows[0]?.erased).toBeGreaterThan(0);
    expect(counts.rows[0]?.reopened).toBeGreaterThan(0);
  }, 300_000);
});

import { type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildModels } from '@reelhouse/model-compiler';
import { usePostgresDatabase } from '@reelhouse/services/testing';
import { createKysely, createPool, type WarehouseDatabase } from '@reelhouse/warehouse';

import { models } from '../src/index.ts';
import { freshRawWithCatalogue } from './fixtures/fresh-raw.ts';
import { differencesFromFullRebuild, expectPublished } from './fixtures/full-rebuild.ts';
import { deleteSession, eraseUser, landSessions, landUsers } from './fixtures/land-raw.ts';
import { simulatedWorld } from './fixtures/simulated-world.ts';

// Issue 13, part 6: the invariant, day after day. The world is simulated here and landed in raw as
// the contract's extractor lands it (current rows plus append-only history).
const pg = usePostgresDatabase('models_thirty_days');
let db: Kysely<WarehouseDatabase>;
const days = 30;
// Starts in December, so the simulated days cross a new year (dim_date grows, ages move).
const start = new Date('2023-12-10T00:00:00Z');

beforeAll(async () => {
  db = createKysely(createPool({ url: pg.url, max: 4 }));
  await freshRawWithCatalogue(db);
});
afterAll(async () => {
  await db.destroy();
});

/** The current raw rows as comparable text, and the sources' rows the same way. */
async function rawUsersAndSessions() {
  const users = await db
    .selectFrom('raw.users')
    .select(['user_id', 'plan', 'subscription_status', 'email', 'updated_at'])
    .orderBy('user_id')
    .execute();
  const sessions = await db
    .selectFrom('raw.viewing_sessions')
    .select(['session_id', 'user_id', 'started_at', 'watch_duration_s', 'quality'])
    .orderBy('session_id')
    .execute();
  return { users, sessions };
}

describe('thirty simulated days of late, corrected and erased data (issue 13 invariant)', () => {
  it('after every daily run, trusted equals a full rebuild of the same raw, and raw equals the sources', async () => {
    const world = simulatedWorld({ seed: 13, start });
    for (let day = 0; day <= days; day++) {
      const batch = world.day(day);
      const load = {
        _load_id: `00000000-0000-4000-8000-${String(5000 + day).padStart(12, '0')}`,
        _extracted_at: new Date(start.getTime() + (day + 1) * 86_400_000 + 6 * 3_600_000),
      };
      await landUsers(db, batch.users, load);
      await landSessions(db, batch.sessions, load);
      for (const user of batch.erasedUsers) await eraseUser(db, user, load);
      for (const session of batch.deletedSessions) await deleteSession(db, session, load);

      expectPublished(await buildModels(db, { models }));
      expect([day, await differencesFromFullRebuild(db)]).toEqual([day, []]);

      const raw = await rawUsersAndSessions();
      const sourceUsers = [...world.sources.users.values()]
        .map((u) => ({
          user_id: u.user_id,
          plan: u.plan,
          subscription_status: u.subscription_status,
          email: u.email,
          updated_at: u.updated_at,
        }))
        .sort((a, b) => a.user_id.localeCompare(b.user_id));
      const sourceSessions = [...world.sources.sessions.values()]
        .map((s) => ({
          session_id: s.session_id,
          user_id: s.user_id,
          started_at: s.started_at,
          watch_duration_s: s.watch_duration_s,
          quality: s.quality,
        }))
        .sort((a, b) => a.session_id.localeCompare(b.session_id));
      expect(raw.users).toEqual(sourceUsers);
      expect(raw.sessions).toEqual(sourceSessions);
    }
    // Two builds a day for 31 days: about a minute alone on a 2-core machine.
  }, 300_000);
});

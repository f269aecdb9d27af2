import { createPostgresTables } from '@reelhouse/loaders';
import { usePostgresDatabase } from '@reelhouse/services/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool } from '@reelhouse/warehouse';
import type pg from 'pg';

import { sourceChangeSql } from '../src/stages/incremental.ts';

const database = usePostgresDatabase('bench_change');
let pool: pg.Pool;

beforeAll(async () => {
  pool = createPool({ url: database.url });
  await createPostgresTables(pool);
  // 40 sessions, one a day over 40 days, all updated long ago.
  await pool.query(`insert into public.viewing_sessions
    select gen_random_uuid(), gen_random_uuid(), 'mov_000001', day, day + interval '30 minutes', 1800, 0, 1800,
           'smart_tv', 'tizen', '8.1.0', 'US', 'HD', 3000, 675000000, 900, 0, 0, 'completed', false, timestamptz '2025-07-01'
      from generate_series(timestamptz '2025-05-01', timestamptz '2025-06-09', interval '1 day') as day`);
});
afterAll(async () => {
  await pool.end();
});

describe('sourceChangeSql', () => {
  it('adds new sessions in the last 20 hours and updates the latest ones, all past every cursor', async () => {
    await pool.query(sourceChangeSql({ newRows: 4, updatedRows: 2 }));
    const { rows } = await pool.query<{
      sessions: number;
      fresh: number;
      recent_new: number;
      bumped: number;
      durations_kept: boolean;
    }>(`
      select count(*)::int as sessions,
             count(*) filter (where updated_at > '2025-07-01')::int as fresh,
             count(*) filter (where updated_at > '2025-07-01' and rebuffer_count = 0
                              and started_at > timestamptz '2025-06-09' - interval '20 hours')::int as recent_new,
             count(*) filter (where rebuffer_count = 1 and started_at >= '2025-06-08')::int as bumped,
             bool_and(ended_at - started_at = interval '30 minutes') as durations_kept
        from public.viewing_sessions`);
    expect(rows[0]).toEqual({
      sessions: 44,
      fresh: 6,
      recent_new: 4,
      bumped: 2,
      durations_kept: true,
    });
  });
});

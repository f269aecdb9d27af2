import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { dayAfterBase } from '@reelhouse/generators';
import { createPool } from '@reelhouse/warehouse';
import type pg from 'pg';

import type { DataSetFlags } from '../src/cli-options.ts';
import { closePool } from '../src/close-pool.ts';
import { inProcessCli, runDay } from './daily-run.ts';
import { usePipelineEnvironment } from './pipeline-environment.ts';
import { rawVersusSources } from './raw-versus-sources.ts';

// REELHOUSE_EXTRACT_LOOKBACK_SECONDS reaches the extract of a `pnpm pipeline` run (it did only
// through `pnpm pipeline task`), and rereading the window keeps raw equal to the sources.
const environment = usePipelineEnvironment('extract_lookback');
const flags: DataSetFlags = { scale: 'tiny', users: 60, sessions: 400, titles: 12, seed: 5 };
let source: pg.Pool;
let warehouse: pg.Pool;
beforeAll(() => {
  source = createPool({ url: environment.source.url, max: 2 });
  warehouse = createPool({ url: environment.warehouse.url, max: 2 });
});
afterAll(async () => {
  await closePool(source);
  await closePool(warehouse);
});

describe('the extract lookback of the config', () => {
  it('rereads every change of the window on the next day, and raw still equals the sources', async () => {
    const { context, output } = inProcessCli({
      ...environment.env(),
      // A day: everything this test wrote is inside the window.
      REELHOUSE_EXTRACT_LOOKBACK_SECONDS: '86400',
    });
    for (const date of [dayAfterBase(1), dayAfterBase(2)]) {
      const run = await runDay(context, { flags, dir: environment.dir, date });
      expect([date, run.state], output()).toEqual([date, 'success']);
    }
    const users = await source.query<{ n: number }>('select count(*)::int as n from public.users');
    const reread = await warehouse.query<{ n: number }>(
      `select rows_extracted::int as n from raw._loads
       where stream = 'users' and status = 'succeeded' order by started_at desc limit 1`,
    );
    expect(reread.rows).toEqual(users.rows);
    expect(await rawVersusSources({ source, warehouse, mongo: environment.mongo.db })).toEqual([]);
  }, 300_000);
});

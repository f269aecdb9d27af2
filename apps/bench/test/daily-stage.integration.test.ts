import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createMemoryLogger } from '@reelhouse/core';
import { generateDataSet } from '@reelhouse/generators';
import { dropDatabase, ensureDatabase, withDatabase } from '@reelhouse/services';
import { useMongoDatabase, usePostgresDatabase } from '@reelhouse/services/testing';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { BenchContext } from '../src/bench-context.ts';
import type { BenchDatabases } from '../src/bench-databases.ts';
import { parseBenchArgs } from '../src/bench-options.ts';
import { evaluateStage } from '../src/bench-result.ts';
import { dataSetSize, readDataSet } from '../src/data-set.ts';
import { snapshotName } from '../src/database-snapshot.ts';
import { dailyStage } from '../src/stages/daily.ts';
import { countRows, withPool } from '../src/with-pool.ts';

const pg = usePostgresDatabase('bench_daily');
const mongo = useMongoDatabase('bench_daily');
const prefix = `rh_bench_daily_${Math.random().toString(16).slice(2, 8)}`;

describe('daily stage (smoke, 3,000 sessions)', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'bench-daily-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    for (const name of [`${prefix}_daily_source`, `${prefix}_daily_dw`])
      await dropDatabase(pg.serverUrl, name);
  });

  it('runs the day incrementally from the restored base and fully, with the same trusted, and judges the 5% target', async () => {
    const size = dataSetSize(3_000);
    const dataDir = join(dir, 'data');
    await generateDataSet({
      outDir: join(dataDir, `${size.scale}-seed5`),
      seed: 5,
      scale: size.scale,
      users: size.users,
      sessions: size.sessions,
      titles: size.titles,
    });
    const dataSet = readDataSet({ dataDir, size, seed: 5 });
    if (dataSet === undefined) throw new Error('no data set generated');
    const unused = 'postgres://unused/unused';
    const databases: BenchDatabases = {
      serverUrl: pg.serverUrl,
      source: unused,
      warehouse: unused,
      e2eSource: unused,
      e2eWarehouse: unused,
      dailySource: withDatabase(pg.serverUrl, `${prefix}_daily_source`),
      dailyWarehouse: withDatabase(pg.serverUrl, `${prefix}_daily_dw`),
      mongoUrl: mongo.url,
      mongoDb: 'unused',
      e2eMongoDb: 'unused',
      dailyMongoDb: mongo.databaseName,
      descriptions: [],
      recreate: async (name) => {
        await dropDatabase(pg.serverUrl, name);
        return ensureDatabase(pg.serverUrl, name);
      },
      dropMongo: async (name) => {
        const client = new MongoClient(mongo.url);
        await client.db(name).dropDatabase();
        await client.close();
      },
      stop: () => Promise.resolve(),
    };
    const onceDone = new Map<string, Promise<void>>();
    const context: BenchContext = {
      options: parseBenchArgs(['--sessions', '3000', '--runs', '1', '--db-prefix', prefix]),
      paths: {
        repoRoot: dir,
        outDir: dir,
        dataDir,
        workDir: dataDir,
        resultsDir: join(dir, 'results'),
        profileDir: join(dir, 'profiles'),
      },
      dataSet,
      databases,
      logger: createMemoryLogger(),
      finished: new Map(),
      once: (key, work) => onceDone.get(key) ?? onceDone.set(key, work()).get(key) ?? work(),
    };

    const result = evaluateStage(await dailyStage.run(context));

    expect([result.ours.name, ...result.baselines.map((b) => b.name)]).toEqual([
      'reelhouse daily run (2025-07-04)',
      'reelhouse full extract + build',
    ]);
    // A warm-up and one measured run each; the full runs found trusted as the daily runs left it.
    expect([result.ours, ...result.baselines].map((c) => c.runsMs.length)).toEqual([1, 1]);
    expect(result.outcomes.map((o) => o.description)).toEqual([
      'daily incremental run ≤ 5% of a full run (ratio ≥ 20)',
      'peak RSS < 250 MB',
    ]);
    expect(result.notes.join('\n')).toMatch(
      /measured day 2025-07-04: \d+ new sessions \((0\.[89]|1\.[01])\d% of the base/,
    );
    // The day's share is the generator's 1% ± 15%; the full run left trusted whole, and the templates are gone.
    await withPool(databases.dailySource, async (source) => {
      const sessions = await countRows(source, 'public.viewing_sessions');
      await withPool(databases.dailyWarehouse, async (warehouse) => {
        expect(await countRows(warehouse, 'trusted.fact_viewing_session')).toBe(sessions);
      });
    });
    const templates = await withPool(pg.serverUrl, async (pool) => {
      const { rows } = await pool.query<{ n: number }>(
        'select count(*)::int as n from pg_database where datname = any($1)',
        [[`${prefix}_daily_source`, `${prefix}_daily_dw`].map(snapshotName)],
      );
      return rows[0]?.n;
    });
    expect(templates).toBe(0);
  }, 900_000);
});

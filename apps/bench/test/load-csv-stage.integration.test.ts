import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { createMemoryLogger } from '@reelhouse/core';
import { generateDataSet } from '@reelhouse/generators';
import { usePostgresDatabase } from '@reelhouse/services/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { BenchContext } from '../src/bench-context.ts';
import type { BenchDatabases } from '../src/bench-databases.ts';
import { parseBenchArgs } from '../src/bench-options.ts';
import { evaluateStage } from '../src/bench-result.ts';
import { dataSetSize, readDataSet } from '../src/data-set.ts';
import { loadCsvStage } from '../src/stages/load-csv.ts';
import { countRows, withPool } from '../src/with-pool.ts';

const pg = usePostgresDatabase('bench_load');

describe('load_csv stage (smoke, 2,000 sessions)', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs Reelhouse, psql \\copy and pgloader on the same files into the same tables and judges the targets', async () => {
    const size = dataSetSize(2_000);
    const dataDir = join(dir, 'data');
    await generateDataSet({
      outDir: join(dataDir, `${size.scale}-seed3`),
      seed: 3,
      scale: size.scale,
      users: size.users,
      sessions: size.sessions,
      titles: size.titles,
    });
    const dataSet = readDataSet({ dataDir, size, seed: 3 });
    if (dataSet === undefined) throw new Error('no data set generated');
    const unused = () => Promise.reject(new Error('not used by this stage'));
    const databases: BenchDatabases = {
      serverUrl: pg.serverUrl,
      source: pg.url,
      warehouse: pg.url,
      e2eSource: pg.url,
      e2eWarehouse: pg.url,
      dailySource: pg.url,
      dailyWarehouse: pg.url,
      mongoUrl: 'mongodb://127.0.0.1:1/',
      mongoDb: 'unused',
      e2eMongoDb: 'unused',
      dailyMongoDb: 'unused',
      descriptions: [],
      recreate: unused,
      dropMongo: unused,
      stop: () => Promise.resolve(),
    };
    const onceDone = new Map<string, Promise<void>>();
    const context: BenchContext = {
      options: parseBenchArgs(['--sessions', '2000', '--runs', '1', '--no-warmup']),
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

    const result = evaluateStage(await loadCsvStage.run(context));

    expect(result.rows).toBe(
      dataSet.manifest.counts.users + dataSet.manifest.counts.viewing_sessions,
    );
    expect([result.ours.name, ...result.baselines.map((b) => b.name)]).toEqual([
      'reelhouse loadCsvsToPostgres',
      'psql \\copy',
      'pgloader',
    ]);
    expect([result.ours, ...result.baselines].map((c) => c.runsMs.length)).toEqual([1, 1, 1]);
    expect(result.outcomes.map((o) => o.description)).toEqual([
      '≥ 0.8× psql \\copy',
      'faster than pgloader',
      'peak RSS < 250 MB',
    ]);
    // The Reelhouse load ran last: the source holds the data set as the loader wrote it.
    const counts = await withPool(pg.url, async (pool) => [
      await countRows(pool, 'public.users'),
      await countRows(pool, 'public.viewing_sessions'),
    ]);
    expect(counts).toEqual([
      dataSet.manifest.counts.users,
      dataSet.manifest.counts.viewing_sessions,
    ]);
  });
});

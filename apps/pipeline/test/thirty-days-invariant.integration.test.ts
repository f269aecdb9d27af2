import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { dayBatchFiles, dayBatchFolder, dayBatchManifest } from '@reelhouse/contracts';
import { dayAfterBase } from '@reelhouse/generators';
import { createPool } from '@reelhouse/warehouse';
import type pg from 'pg';

import type { DataSetFlags } from '../src/cli-options.ts';
import { closePool } from '../src/close-pool.ts';
import { dataSetDir, resolvePipelineParams } from '../src/pipeline-params.ts';
import { inProcessCli, runDay } from './daily-run.ts';
import { usePipelineEnvironment } from './pipeline-environment.ts';
import { rawVersusSources } from './raw-versus-sources.ts';
import { correctRuntimes, type RuntimeCorrection } from './runtime-correction.ts';
import { trustedVersusRebuild } from './trusted-versus-rebuild.ts';

// Issue 13, part 6: the invariant through the real path. Each day is what
// `pnpm pipeline backfill --from D --to D` runs: the generator writes day D's batch, the loaders
// apply it to PostgreSQL and MongoDB, the extractor copies the changes into raw, the models build
// incrementally. After every day, raw's current rows equal the sources' and trusted equals a
// rebuild from scratch of the same raw.
const environment = usePipelineEnvironment('thirty_days');
const days = 30;
/** After this day's run, a runtime correction lands in MongoDB (the generator makes none). */
const correctionAfter = 11;
const flags: DataSetFlags = { scale: 'tiny', users: 200, sessions: 2_000, titles: 40, seed: 3 };
/** Kinds of change the batches must hold, or the test would pass without exercising them. */
const requiredChanges = [
  'new_users',
  'plan_changes',
  'cancellations',
  'returns',
  'erasures',
  'new_sessions',
  'late_sessions',
  'corrected_sessions',
  'moved_sessions',
  'deleted_sessions',
  'new_titles',
  'new_episodes',
  'catalogue_edits',
] as const;

let source: pg.Pool;
let warehouse: pg.Pool;
beforeAll(() => {
  source = createPool({ url: environment.source.url, max: 2 });
  // buildModels needs its concurrency (2) plus two connections.
  warehouse = createPool({ url: environment.warehouse.url, max: 5 });
});
afterAll(async () => {
  await closePool(source);
  await closePool(warehouse);
});

describe(`${days} daily runs of late, corrected and erased data (issue 13 invariant)`, () => {
  it('after every run, raw equals the sources and trusted equals a full rebuild from scratch', async () => {
    const { context, output } = inProcessCli(environment.env());
    const { config } = context;
    const dataSet = dataSetDir(
      config.dataDir,
      resolvePipelineParams({ flags, config, fullRefresh: false }),
    );
    const factModes: string[] = [];
    let correction: RuntimeCorrection | undefined;
    let correctedAt = new Date();
    for (let n = 1; n <= days; n++) {
      const date = dayAfterBase(n);
      const run = await runDay(context, { flags, dir: environment.dir, date });
      expect([date, run.state], output()).toEqual([date, 'success']);
      const fact = run.tasks.transform_with_models.result?.report?.materializations?.find(
        (m) => m.asset === 'trusted.fact_viewing_session',
      );
      factModes.push(String(fact?.metadata?.['mode']));

      const raw = await rawVersusSources({
        source,
        warehouse,
        mongo: environment.mongo.db,
      });
      expect([date, raw]).toEqual([date, []]);
      const trusted = await trustedVersusRebuild(warehouse);
      expect([date, trusted.differences]).toEqual([date, []]);
      expect(trusted.tables).toEqual(
        expect.arrayContaining([
          'dim_user',
          'dim_content',
          'dim_date',
          'fact_viewing_session',
          'agg_daily_usage',
          'agg_daily_content',
          'bridge_content_genre',
          'bridge_content_cast',
        ]),
      );
      if (correction !== undefined && n === correctionAfter + 1) {
        // Not vacuous: sessions extracted before the correction carry the corrected runtimes.
        const { rows } = await warehouse.query<{ content_id: string; runtime_s: number }>(
          `select distinct c.content_id, f.runtime_s from trusted.fact_viewing_session f
           join trusted.dim_content c using (content_key)
           where c.content_id = any($1) and f._extracted_at < $2 order by c.content_id`,
          [[correction.movie.id, correction.episode.id], correctedAt],
        );
        expect(rows).toEqual(
          [correction.movie, correction.episode]
            .map((item) => ({ content_id: item.id, runtime_s: item.runtimeS }))
            .sort((x, y) => x.content_id.localeCompare(y.content_id)),
        );
      }
      if (n === correctionAfter) {
        correctedAt = new Date();
        correction = await correctRuntimes({
          source,
          mongo: environment.mongo.db,
          dataSetDir: dataSet,
          through: date,
          dir: join(environment.dir, 'correction'),
        });
      }
    }
    // The first run builds from scratch; every later one merges its day's changes.
    expect(factModes).toEqual([
      'incremental_full',
      ...Array.from({ length: days - 1 }, () => 'incremental_delta'),
    ]);

    // The batches' ground truth: every kind of change happened at least once.
    const totals: Record<string, number> = {};
    for (let n = 1; n <= days; n++) {
      const file = join(dataSet, dayBatchFolder(dayAfterBase(n)), dayBatchFiles.manifest);
      const manifest = dayBatchManifest.parse(JSON.parse(await readFile(file, 'utf8')));
      for (const [kind, count] of Object.entries(manifest.counts))
        totals[kind] = (totals[kind] ?? 0) + count;
    }
    const missing = requiredChanges.filter((kind) => !((totals[kind] ?? 0) > 0));
    expect(missing, JSON.stringify(totals)).toEqual([]);
    // Several days of builds on a loaded 2-core machine.
  }, 900_000);
});

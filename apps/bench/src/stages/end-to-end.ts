import { ReelhouseError } from '@reelhouse/core';

import { contenderSettings, type BenchContext } from '../bench-context.ts';
import type { StageName } from '../bench-options.ts';
import type { ContenderRuns } from '../bench-result.ts';
import { measureCommand } from '../measure-command.ts';
import { partNote } from '../part-notes.ts';
import { runContenders } from '../run-contenders.ts';
import type { StageModule } from '../stage-module.ts';
import { countRows, withPool } from '../with-pool.ts';

/** The baseline of each stage `pnpm pipeline` covers, summed into the end-to-end baseline. */
const summedBaselines: readonly { stage: StageName; baseline: string }[] = [
  { stage: 'load_csv', baseline: 'psql \\copy' },
  { stage: 'extract', baseline: 'psql COPY pipe (text)' },
  { stage: 'transform', baseline: 'psql star-schema.sql' },
];

/** Sum of the baselines' medians measured earlier in this invocation, or the stages that did not run. */
export function sumOfBaselines(
  finished: BenchContext['finished'],
): { sum: ContenderRuns } | { missing: string[] } {
  const missing: string[] = [];
  let ms = 0;
  let rss = 0;
  for (const { stage, baseline } of summedBaselines) {
    const found = finished.get(stage)?.baselines.find((b) => b.name === baseline);
    if (found === undefined) missing.push(stage);
    else {
      ms += found.medianMs;
      rss = Math.max(rss, found.maxRssMb);
    }
  }
  return missing.length > 0
    ? { missing }
    : { sum: { name: 'sum of baselines', runsMs: [ms], maxRssMb: rss } };
}

/** Task durations of the pipeline's last run, from its own history in `ops` (read after the timed run). */
async function taskDurations(warehouseUrl: string): Promise<Record<string, number>> {
  return withPool(warehouseUrl, async (pool) => {
    const result = await pool.query<{ task_id: string; duration_ms: number | null }>(
      `select task_id, duration_ms from ops.task_runs
        where run_id = (select run_id from ops.dag_runs order by started_at desc limit 1)`,
    );
    return Object.fromEntries(
      result.rows
        .filter((r) => r.duration_ms !== null)
        .map((r) => [r.task_id, Number(r.duration_ms)]),
    );
  });
}

/** End to end: `pnpm pipeline run` on empty databases (data files already generated) against the sum of the stage baselines. */
export const endToEndStage: StageModule = {
  name: 'end_to_end',
  async run(context: BenchContext) {
    const { databases, dataSet, paths } = context;
    // Measured even when a baseline is missing (its stage failed or was not selected): then without a target.
    const baselines = sumOfBaselines(context.finished);
    const mongoUrl = new URL(databases.mongoUrl);
    mongoUrl.pathname = `/${databases.e2eMongoDb}`;
    const env = {
      SOURCE_DATABASE_URL: databases.e2eSource,
      WAREHOUSE_DATABASE_URL: databases.e2eWarehouse,
      MONGODB_URL: mongoUrl.toString(),
      REELHOUSE_DATA_DIR: paths.dataDir,
      REELHOUSE_SEED: String(dataSet.seed),
      REELHOUSE_LOG_LEVEL: 'warn',
    };
    const command = `pnpm --silent --dir '${paths.repoRoot}' pipeline run ${dataSet.size.pipelineFlags.join(' ')} --seed ${dataSet.seed} > /dev/null`;
    const [ours] = await runContenders({
      ...contenderSettings(context, 'end_to_end'),
      contenders: [
        {
          name: 'reelhouse pnpm pipeline',
          // The stages before it warmed the files and the server; a warm-up here would cost a whole pipeline run.
          warmup: false,
          prepare: async () => {
            await databases.recreate(new URL(databases.e2eSource).pathname.slice(1));
            await databases.recreate(new URL(databases.e2eWarehouse).pathname.slice(1));
            await databases.dropMongo(databases.e2eMongoDb);
            await databases.dropMongo('streaming');
          },
          measure: async () => {
            const { wallMs, maxRssMb } = await measureCommand(command, env);
            return { ms: wallMs, maxRssMb, parts: await taskDurations(databases.e2eWarehouse) };
          },
          verify: async () => {
            const facts = await withPool(databases.e2eWarehouse, (pool) =>
              countRows(pool, 'trusted.fact_viewing_session'),
            );
            if (facts !== dataSet.manifest.counts.viewing_sessions) {
              throw new ReelhouseError({
                code: 'internal',
                message: `pnpm pipeline: trusted.fact_viewing_session holds ${facts} rows, expected ${dataSet.manifest.counts.viewing_sessions}`,
              });
            }
          },
        },
      ],
    });
    if (ours === undefined) throw new Error('end_to_end: contender missing');
    const summed = 'sum' in baselines;
    return {
      stage: 'end_to_end',
      rows: dataSet.csvRows,
      ours,
      baselines: summed ? [baselines.sum] : [],
      targets: summed
        ? [
            {
              baseline: 'sum of baselines',
              minRatio: 1 / 1.5,
              description: 'end to end ≤ 1.5× sum of baselines (ratio ≥ 0.67)',
            },
          ]
        : [],
      maxRssMb: 250,
      notes: [
        'pnpm pipeline run on empty databases each run (files already generated, so generate_data is skipped); wall time includes pnpm and Node start-up; no warm-up run (the stages before warmed files and server)',
        summed
          ? 'sum of baselines = medians of psql \\copy + psql COPY pipe (text) + psql star-schema.sql from this invocation; it has no counterpart for the MongoDB load and the users/content extract the pipeline also does'
          : `no target: the baselines of ${baselines.missing.join(', ')} were not measured in this invocation`,
        'peak RSS is the largest process of the pipeline run (pnpm, Node)',
        ...[partNote(ours, 10)]
          .filter((note) => note !== undefined)
          .map((note) => `${note} (task durations from ops.task_runs)`),
      ],
    };
  },
  child() {
    return Promise.reject(
      new ReelhouseError({
        code: 'internal',
        message: 'end_to_end runs `pnpm pipeline` itself: it has no child job',
      }),
    );
  },
};

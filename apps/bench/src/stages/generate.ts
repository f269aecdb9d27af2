import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { generateDataSet } from '@reelhouse/generators';
import { z } from 'zod';

import { contenderSettings, type BenchContext } from '../bench-context.ts';
import { measureCommand } from '../measure-command.ts';
import { runContenders } from '../run-contenders.ts';
import { childContender } from '../run-stage-child.ts';
import type { StageModule } from '../stage-module.ts';

const generateJob = z.strictObject({
  outDir: z.string(),
  seed: z.int(),
  scale: z.string(),
  users: z.int(),
  sessions: z.int(),
  titles: z.int(),
});

/** Rows the generator writes: users, sessions and catalogue documents. */
function generatedRows(counts: {
  users: number;
  viewing_sessions: number;
  titles: number;
}): number {
  return counts.users + counts.viewing_sessions + counts.titles;
}

/** Generation: `generateDataSet` rows/s (target ≥ 400k), and bytes/s against `dd` writing the same volume. */
export const generateStage: StageModule = {
  name: 'generate',
  async run(context: BenchContext) {
    const { dataSet, paths } = context;
    const outDir = join(paths.workDir, 'generate');
    const ddFile = join(paths.workDir, 'dd.bin');
    const megabytes = Math.max(1, Math.round(dataSet.bytes / 2 ** 20));
    const { scale, users, sessions, titles } = dataSet.size;
    const job: z.input<typeof generateJob> = {
      outDir,
      seed: dataSet.seed,
      scale,
      users,
      sessions,
      titles,
    };
    const clean = () => {
      rmSync(outDir, { recursive: true, force: true });
      rmSync(ddFile, { force: true });
      mkdirSync(paths.workDir, { recursive: true });
      return Promise.resolve();
    };
    const [ours, dd] = await runContenders({
      ...contenderSettings(context, 'generate'),
      contenders: [
        childContender({
          name: 'reelhouse generateDataSet',
          stage: 'generate',
          job,
          prepare: clean,
        }),
        {
          name: `dd ${megabytes} MiB conv=fsync`,
          prepare: clean,
          measure: async () => {
            const { wallMs, maxRssMb } = await measureCommand(
              `dd if=/dev/zero of='${ddFile}' bs=1M count=${megabytes} conv=fsync status=none`,
            );
            return { ms: wallMs, maxRssMb };
          },
        },
      ],
    });
    await clean();
    if (ours === undefined || dd === undefined) throw new Error('generate: contenders missing');
    return {
      stage: 'generate',
      rows: generatedRows(dataSet.manifest.counts),
      bytes: dataSet.bytes,
      ours,
      baselines: [dd],
      targets: [],
      minRowsPerSecond: 400_000,
      maxRssMb: 250,
      profile: ours.profile,
      notes: [
        `rows = users + viewing sessions + catalogue titles (${dataSet.manifest.counts.users.toLocaleString('en-US')} + ${dataSet.manifest.counts.viewing_sessions.toLocaleString('en-US')} + ${dataSet.manifest.counts.titles.toLocaleString('en-US')}); ${(dataSet.bytes / 2 ** 20).toFixed(0)} MiB written`,
        'dd is the disk-write limit for the same volume (bytes/s column), and fsyncs; the generator does not: no target, context only',
      ],
    };
  },
  async child(job) {
    const options = generateJob.parse(job);
    const report = await generateDataSet(options);
    return { rows: generatedRows(report.manifest.counts) };
  },
};

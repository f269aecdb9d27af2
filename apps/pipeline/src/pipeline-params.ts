import { join } from 'node:path';

import type { ReelhouseConfig } from '@reelhouse/config';
import { dataSetFolderName, type DataManifest } from '@reelhouse/contracts';
import { ReelhouseError } from '@reelhouse/core';
import { scalePresets, type ScaleName } from '@reelhouse/generators';
import { z } from 'zod';

import type { DataSetFlags } from './cli-options.ts';

/** The params of a pipeline run, stored with the run in `ops.dag_runs` so a resume sees the same ones. */
export const pipelineParamsSchema = z.strictObject({
  /** Data-set label: the preset name, or the preset plus explicit sizes (`tiny-u200-s2000-t50`). */
  scale: z.string(),
  /** The `--scale` preset the sizes started from. */
  preset: z.string(),
  seed: z.int().nonnegative(),
  users: z.int().positive(),
  sessions: z.int().nonnegative(),
  titles: z.int().positive(),
  defectRate: z.number().min(0).max(0.5),
  fullRefresh: z.boolean(),
  /** `--data-dir`: the folder of an existing data set, used as it is instead of `<dataDir>/<scale>-seed<seed>`. */
  dataSetPath: z.string().optional(),
  /** `--allow-empty`: a source file without records loads instead of failing the run. */
  allowEmpty: z.boolean().optional(),
});
export type PipelineParams = z.output<typeof pipelineParamsSchema>;

/** `0.02` → `d0p02`: the rate in a data-set name without a dot, which the name rule refuses. */
export function defectLabel(rate: number): string {
  return `d${String(rate).replace('.', 'p')}`;
}

const isPreset = (scale: string): scale is ScaleName => Object.hasOwn(scalePresets, scale);

/**
 * Turns the command line's data-set flags and the config defaults into run params. Explicit sizes
 * differing from the preset get their own label, so two different data sets never share a folder.
 */
export function resolvePipelineParams(options: {
  flags: DataSetFlags;
  config: ReelhouseConfig;
  fullRefresh: boolean;
}): PipelineParams {
  const { flags, config } = options;
  const scale = flags.scale ?? config.scale;
  if (
    !isPreset(scale) &&
    (flags.users === undefined || flags.sessions === undefined || flags.titles === undefined)
  ) {
    throw new ReelhouseError({
      code: 'invalid_input',
      message: `--scale ${scale}: not a preset (${Object.keys(scalePresets).join(', ')}); give --users, --sessions and --titles for a custom size`,
      context: { scale },
    });
  }
  const preset = isPreset(scale) ? scalePresets[scale] : undefined;
  const users = flags.users ?? preset?.users ?? 0;
  const sessions = flags.sessions ?? preset?.sessions ?? 0;
  const titles = flags.titles ?? preset?.titles ?? 0;
  const defectRate = flags.defects ?? 0;
  const matchesPreset =
    preset?.users === users && preset.sessions === sessions && preset.titles === titles;
  const sized = matchesPreset ? scale : `${scale}-u${users}-s${sessions}-t${titles}`;
  const label = defectRate > 0 ? `${sized}-${defectLabel(defectRate)}` : sized;
  return pipelineParamsSchema.parse({
    scale: label,
    preset: scale,
    seed: flags.seed ?? config.seed,
    users,
    sessions,
    titles,
    defectRate,
    fullRefresh: options.fullRefresh,
  });
}

/** The data-set folder of these params: `--data-dir` when given, else `<dataDir>/<scale>-seed<seed>`. */
export function dataSetDir(
  dataDir: string,
  params: Pick<PipelineParams, 'scale' | 'seed' | 'dataSetPath'>,
): string {
  return params.dataSetPath ?? join(dataDir, dataSetFolderName(params.scale, params.seed));
}

/** Run params describing the existing data set at `dir` (`--data-dir`), from its manifest. */
export function paramsOfDataSet(options: {
  dir: string;
  manifest: DataManifest;
  fullRefresh: boolean;
}): PipelineParams {
  const { manifest } = options;
  return pipelineParamsSchema.parse({
    scale: manifest.scale,
    preset: manifest.scale,
    seed: manifest.seed,
    users: manifest.counts.users,
    sessions: manifest.counts.viewing_sessions,
    titles: manifest.counts.titles,
    defectRate: manifest.defect_rate,
    fullRefresh: options.fullRefresh,
    dataSetPath: options.dir,
  });
}

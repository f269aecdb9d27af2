import type { ReelhouseConfig } from '@reelhouse/config';
import { ReelhouseError } from '@reelhouse/core';

import type { DataSetFlags } from './cli-options.ts';
import { readDataManifest, verifyDataSet } from './existing-data-set.ts';
import { paramsOfDataSet, resolvePipelineParams, type PipelineParams } from './pipeline-params.ts';
import { fromRoot } from './workspace-paths.ts';

/**
 * The params of a run or task: from `--data-dir`'s manifest once every file matches its checksum
 * (an edited file is `invalid_input`, exit 2), else from the size flags and config.
 */
export async function resolveRunParams(options: {
  flags: DataSetFlags;
  config: ReelhouseConfig;
  fullRefresh: boolean;
}): Promise<PipelineParams> {
  const { flags } = options;
  const allowEmpty = flags.allowEmpty === true ? { allowEmpty: true } : {};
  if (flags.dataDir === undefined) return { ...resolvePipelineParams(options), ...allowEmpty };
  const sizing = (['scale', 'seed', 'users', 'sessions', 'titles', 'defects'] as const).filter(
    (flag) => flags[flag] !== undefined,
  );
  if (sizing.length > 0)
    throw new ReelhouseError({
      code: 'invalid_input',
      message: `--data-dir runs the data set its manifest describes: drop ${sizing.map((flag) => `--${flag}`).join(', ')}`,
    });
  const dir = fromRoot(flags.dataDir);
  const manifest = await readDataManifest(dir);
  if (manifest === undefined)
    throw new ReelhouseError({
      code: 'invalid_input',
      message: `--data-dir ${dir}: no manifest.json there; it runs only a complete generated data set (pnpm pipeline generate --out ${dir})`,
      context: { file: dir },
    });
  await verifyDataSet(dir, manifest);
  return { ...paramsOfDataSet({ dir, manifest, fullRefresh: options.fullRefresh }), ...allowEmpty };
}

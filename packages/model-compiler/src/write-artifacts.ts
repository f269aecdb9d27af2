import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { BuildResult } from './build-result.ts';
import type { CompiledProject } from './compiled-model.ts';
import { toDbtArtifacts } from './dbt-artifacts.ts';
import type { Exposure } from './exposure.ts';
import type { SourceVersions } from './model-state.ts';

/**
 * Writes `manifest.json` (graph, compiled SQL, config) and `run_results.json` (with the source
 * versions the build read) into `dir`, each atomically; with `dbt`, also dbt's v12 manifest and
 * v6 run results into `dir/dbt/`.
 */
export async function writeArtifacts(
  dir: string,
  artifacts: {
    readonly project: CompiledProject;
    readonly result: BuildResult;
    readonly sourceVersions?: SourceVersions;
    readonly dbt?: boolean;
    /** Consumers of the models (dashboard pages and panels), written to both manifests. */
    readonly exposures?: readonly Exposure[];
  },
): Promise<void> {
  await mkdir(dir, { recursive: true });
  const generatedAt = new Date().toISOString();
  const manifest = {
    kind: 'reelhouse_manifest',
    version: 1,
    generatedAt,
    targetSchema: artifacts.project.targetSchema,
    models: artifacts.project.models,
    exposures: artifacts.exposures ?? [],
  };
  const runResults = {
    kind: 'reelhouse_run_results',
    version: 1,
    generatedAt,
    ...artifacts.result,
    sourceVersions: artifacts.sourceVersions ?? {},
  };
  await writeJson(join(dir, 'manifest.json'), manifest);
  await writeJson(join(dir, 'run_results.json'), runResults);
  if (artifacts.dbt !== true) return;
  const dbt = toDbtArtifacts(artifacts.project, {
    result: artifacts.result,
    generatedAt,
    ...(artifacts.exposures === undefined ? {} : { exposures: artifacts.exposures }),
  });
  await mkdir(join(dir, 'dbt'), { recursive: true });
  await writeJson(join(dir, 'dbt', 'manifest.json'), dbt.manifest);
  await writeJson(join(dir, 'dbt', 'run_results.json'), dbt.runResults);
}

async function writeJson(path: string, value: unknown): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(value, null, 2)}\n`);
  await rename(temporary, path);
}

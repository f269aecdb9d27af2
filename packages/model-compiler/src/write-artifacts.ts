import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { BuildResult } from './build-result.ts';
import type { CompiledProject } from './compiled-model.ts';

/** Writes `manifest.json` (graph, compiled SQL, config) and `run_results.json` into `dir`, each atomically. */
export async function writeArtifacts(
  dir: string,
  artifacts: { readonly project: CompiledProject; readonly result: BuildResult },
): Promise<void> {
  await mkdir(dir, { recursive: true });
  const generatedAt = new Date().toISOString();
  const manifest = {
    kind: 'reelhouse_manifest',
    version: 1,
    generatedAt,
    targetSchema: artifacts.project.targetSchema,
    models: artifacts.project.models,
  };
  const runResults = {
    kind: 'reelhouse_run_results',
    version: 1,
    generatedAt,
    ...artifacts.result,
  };
  await writeJson(join(dir, 'manifest.json'), manifest);
  await writeJson(join(dir, 'run_results.json'), runResults);
}

async function writeJson(path: string, value: unknown): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(value, null, 2)}\n`);
  await rename(temporary, path);
}

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  dataFiles,
  dataManifest,
  dataSetFolderName,
  type DataManifest,
} from '@reelhouse/contracts';
import { generatorVersion } from '@reelhouse/generators';

/** The generators' presets with a session count the bench is run at (`scalePresets`, by session count). */
const presets = {
  medium: { users: 100_000, sessions: 1_000_000, titles: 5_000 },
  large: { users: 1_000_000, sessions: 10_000_000, titles: 20_000 },
} as const;

export interface DataSetSize {
  /** The data set's scale label, named as `pnpm pipeline` names it, so the pipeline finds the files. */
  readonly scale: string;
  readonly users: number;
  readonly sessions: number;
  readonly titles: number;
  /** The `pnpm pipeline run` flags that select this data set. */
  readonly pipelineFlags: readonly string[];
}

/** The data set for a session count: the preset with that many sessions, else the same proportions as the presets. */
export function dataSetSize(sessions: number): DataSetSize {
  for (const [scale, size] of Object.entries(presets))
    if (size.sessions === sessions) return { scale, ...size, pipelineFlags: ['--scale', scale] };
  const users = Math.max(100, Math.round(sessions / 10));
  const titles = Math.max(50, Math.round(sessions / 200));
  // The pipeline labels a custom size `<scale>-u<users>-s<sessions>-t<titles>`.
  return {
    scale: `bench-u${users}-s${sessions}-t${titles}`,
    users,
    sessions,
    titles,
    pipelineFlags: [
      '--scale',
      'bench',
      '--users',
      String(users),
      '--sessions',
      String(sessions),
      '--titles',
      String(titles),
    ],
  };
}

export interface DataSet {
  readonly size: DataSetSize;
  readonly seed: number;
  /** The data-set folder (`<dataDir>/<scale>-seed<seed>`). */
  readonly dir: string;
  readonly manifest: DataManifest;
  /** Bytes of every generated file. */
  readonly bytes: number;
  /** Users and viewing sessions: the CSV rows the load stage moves. */
  readonly csvRows: number;
}

/** The folder a data set lives in. */
export function dataSetDir(options: { dataDir: string; size: DataSetSize; seed: number }): string {
  return join(options.dataDir, dataSetFolderName(options.size.scale, options.seed));
}

/** Reads a complete data set (a folder with a manifest of the expected size, clean, from this generator version), or undefined. */
export function readDataSet(options: {
  dataDir: string;
  size: DataSetSize;
  seed: number;
}): DataSet | undefined {
  const dir = dataSetDir(options);
  const manifestPath = join(dir, dataFiles.manifest);
  if (!existsSync(manifestPath)) return undefined;
  const manifest = dataManifest.parse(JSON.parse(readFileSync(manifestPath, 'utf8')));
  const { counts } = manifest;
  const stale = manifest.generator_version !== generatorVersion || manifest.defect_rate !== 0;
  if (
    stale ||
    counts.viewing_sessions !== options.size.sessions ||
    counts.users !== options.size.users
  )
    return undefined;
  const bytes = Object.values(manifest.files).reduce((sum, file) => sum + file.bytes, 0);
  return {
    size: options.size,
    seed: options.seed,
    dir,
    manifest,
    bytes,
    csvRows: counts.users + counts.viewing_sessions,
  };
}

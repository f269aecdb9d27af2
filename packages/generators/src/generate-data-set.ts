import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { dataFiles, type DataManifest } from '@reelhouse/contracts';
import { classifyError, ReelhouseError, silentLogger, type StepReport } from '@reelhouse/core';

import { FileSink, type FileDigest } from './file-sink.ts';
import { generateOptionsSchema, type GenerateOptions } from './generate-options.ts';
import { baseLastDay, generateDayBatches } from './generate-day-batches.ts';
import { generatorVersion } from './generator-version.ts';
import { injectDefects } from './inject-defects.ts';
import { isoTimestamp } from './iso-timestamp.ts';
import { timeline } from './timeline.ts';
import { writeCatalogue } from './write-catalogue.ts';
import { writeSessions } from './write-sessions.ts';
import { writeUsers } from './write-users.ts';

export interface GenerateReport extends StepReport {
  readonly manifest: DataManifest;
  readonly outDir: string;
}

const partial = (path: string): string => `${path}.partial`;
const dataFileNames = [dataFiles.content, dataFiles.users, dataFiles.viewingSessions] as const;

function validate(options: GenerateOptions): void {
  const parsed = generateOptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new ReelhouseError({
      code: 'invalid_input',
      message: `invalid generate options: ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
      context: { outDir: options.outDir },
    });
  }
}

async function withSink<T>(
  options: { readonly path: string; readonly signal: AbortSignal | undefined },
  write: (sink: FileSink) => Promise<T>,
): Promise<{ result: T; digest: FileDigest }> {
  const sink = new FileSink(partial(options.path), options.signal);
  try {
    const result = await write(sink);
    return { result, digest: await sink.close() };
  } catch (error) {
    await sink.destroy();
    throw error;
  }
}

/**
 * Generates a complete data set into `outDir`: the catalogue, users and viewing sessions, then
 * (with `defectRate`) the seeded defect pass, then `manifest.json` last. Files are written under
 * temporary names and renamed at the end, so a folder with a manifest is always complete.
 */
export async function generateDataSet(options: GenerateOptions): Promise<GenerateReport> {
  validate(options);
  const started = performance.now();
  const logger = (options.logger ?? silentLogger).child({
    step: 'generate_data',
    outDir: options.outDir,
  });
  const { outDir, seed, signal } = options;
  const defectRate = options.defectRate ?? 0;
  const path = (name: string): string => join(outDir, name);
  try {
    await mkdir(outDir, { recursive: true });
    // Without its manifest the folder reads as incomplete while it is rewritten.
    await rm(path(dataFiles.manifest), { force: true });
    await rm(path(dataFiles.defects), { force: true });
    const content = await withSink({ path: path(dataFiles.content), signal }, (sink) =>
      writeCatalogue({ sink, seed, titles: options.titles }),
    );
    logger.info(
      { file: dataFiles.content, titles: options.titles, bytes: content.digest.bytes },
      'catalogue written',
    );
    const users = await withSink({ path: path(dataFiles.users), signal }, (sink) =>
      writeUsers({ sink, seed, users: options.users }),
    );
    logger.info(
      { file: dataFiles.users, users: options.users, bytes: users.digest.bytes },
      'users written',
    );
    const sessions = await withSink({ path: path(dataFiles.viewingSessions), signal }, (sink) =>
      writeSessions({
        sink,
        seed,
        sessions: options.sessions,
        users: users.result,
        catalogue: content.result,
      }),
    );
    logger.info(
      { file: dataFiles.viewingSessions, sessions: options.sessions, bytes: sessions.digest.bytes },
      'viewing sessions written',
    );
    const files: Record<string, FileDigest> = {
      [dataFiles.content]: content.digest,
      [dataFiles.users]: users.digest,
      [dataFiles.viewingSessions]: sessions.digest,
    };
    let defects: { readonly total: number; readonly byClass: Readonly<Record<string, number>> } = {
      total: 0,
      byClass: {},
    };
    if (defectRate > 0) {
      const injected = await injectDefects({
        dir: outDir,
        seed,
        defectRate,
        coverage: sessions.result,
        sessions: options.sessions,
        signal,
      });
      Object.assign(files, injected.files);
      defects = { total: injected.count, byClass: injected.byClass };
      logger.info({ defects: injected.count }, 'defects injected');
    }
    for (const name of Object.keys(files)) await rename(partial(path(name)), path(name));
    const manifest: DataManifest = {
      generator_version: generatorVersion,
      seed,
      scale: options.scale,
      counts: {
        users: options.users,
        viewing_sessions: options.sessions,
        titles: options.titles,
        movies: content.result.counts.movies,
        series: content.result.counts.series,
        episodes: content.result.counts.episodes,
      },
      reference_time: isoTimestamp(timeline.referenceMs),
      defect_rate: defectRate,
      last_day: baseLastDay,
      // Code-unit order, not locale order: the manifest's bytes must not depend on the machine.
      files: Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1))),
    };
    await writeFile(partial(path(dataFiles.manifest)), `${JSON.stringify(manifest, null, 2)}\n`);
    await rename(partial(path(dataFiles.manifest)), path(dataFiles.manifest));
    if ((options.days ?? 0) > 0) {
      const batches = await generateDayBatches({
        outDir,
        seed,
        scale: options.scale,
        users: options.users,
        sessions: options.sessions,
        titles: options.titles,
        days: options.days ?? 0,
        ...(options.dailySessionShare === undefined
          ? {}
          : { dailySessionShare: options.dailySessionShare }),
        ...(signal === undefined ? {} : { signal }),
        logger,
      });
      manifest.days = [...batches.days];
    }
    const durationMs = performance.now() - started;
    logger.info(
      { durationMs, sessionsPerSecond: Math.round(options.sessions / (durationMs / 1000)) },
      'data set complete',
    );
    return {
      step: 'generate_data',
      rowsRead: 0,
      rowsWritten: options.users + options.sessions + options.titles,
      rowsRejected: 0,
      durationMs,
      warnings: [],
      details: { defects, files },
      manifest,
      outDir,
    };
  } catch (error) {
    // Best effort: the folder itself may be what failed.
    await Promise.all(
      [...dataFileNames, dataFiles.defects, dataFiles.manifest].map((name) =>
        rm(partial(path(name)), { force: true }).catch(() => undefined),
      ),
    );
    if (signal?.aborted === true && !ReelhouseError.is(error)) {
      throw new ReelhouseError({
        code: 'aborted',
        message: 'data generation aborted',
        context: { outDir },
        cause: error,
      });
    }
    throw classifyError(error, { outDir });
  }
}

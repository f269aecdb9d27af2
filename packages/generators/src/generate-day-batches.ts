import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import {
  dataFiles,
  dataManifest,
  dayBatchFiles,
  dayBatchFolder,
  dayBatchManifest,
  userColumns,
  viewingSessionColumns,
  type DayBatchManifest,
} from '@reelhouse/contracts';
import { classifyError, ReelhouseError, silentLogger, type Logger } from '@reelhouse/core';

import { csvRow } from './csv-row.ts';
import { simulateDayContent } from './day-content.ts';
import { simulateDaySessions } from './day-sessions.ts';
import { changedUserRow, simulateDayUsers } from './day-users.ts';
import { DayWorld, type UserChange } from './day-world.ts';
import { generatorVersion } from './generator-version.ts';
import { isoDate } from './iso-timestamp.ts';
import { Random } from './random.ts';
import { dayMs, timeline } from './timeline.ts';
import { userIdWords } from './user-id.ts';
import { createUserTable } from './user-table.ts';
import { formatUuid } from './uuid.ts';
import { userRows } from './write-users.ts';

/** New sessions a day, as a share of the base data set's sessions (the recent, grown daily rate). */
export const defaultDailySessionShare = 0.004;

/** The last day the base data set covers: its sessions end before the reference time. */
export const baseLastDay = isoDate(timeline.referenceMs - dayMs);

/** Day `n` (1-based) after the base data set, as `YYYY-MM-DD`. */
export function dayAfterBase(n: number): string {
  return isoDate(timeline.referenceMs + (n - 1) * dayMs);
}

export interface GenerateDayBatchesOptions {
  /** The data-set folder; its base files are not read (the base state is regenerated from the seed). */
  readonly outDir: string;
  readonly seed: number;
  readonly scale: string;
  readonly users: number;
  readonly sessions: number;
  readonly titles: number;
  /** How many days after the base set must have their batch; existing batches are kept as they are. */
  readonly days: number;
  /** New sessions a day as a share of `sessions` (default `defaultDailySessionShare`). */
  readonly dailySessionShare?: number;
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
}

export interface DayBatchesReport {
  /** Every day batch that exists after the call, in order. */
  readonly days: readonly string[];
  /** The ones this call wrote. */
  readonly written: readonly string[];
  readonly manifests: readonly DayBatchManifest[];
}

interface UserUpsert {
  readonly index: number;
  readonly change: UserChange | undefined;
}

interface PendingBatch {
  readonly day: string;
  readonly dir: string;
  readonly users: readonly UserUpsert[];
  readonly files: Record<string, { bytes: number; sha256: string }>;
  readonly manifest: Omit<DayBatchManifest, 'files'>;
}

async function exists(path: string): Promise<boolean> {
  return readFile(path).then(
    () => true,
    () => false,
  );
}

async function writeDigested(
  path: string,
  text: string,
): Promise<{ bytes: number; sha256: string }> {
  const bytes = Buffer.from(text, 'utf8');
  await writeFile(`${path}.partial`, bytes);
  return { bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

function contentText(documents: readonly object[]): string {
  const lines = documents.map(
    (d, i) => `${JSON.stringify(d)}${i < documents.length - 1 ? ',' : ''}\n`,
  );
  return `[\n${lines.join('')}]\n`;
}

/** The base rows of the given users, regenerated from the seed in one pass. */
function baseUserRows(options: {
  seed: number;
  users: number;
  wanted: ReadonlySet<number>;
}): Map<number, string[]> {
  const rows = new Map<number, string[]>();
  if (options.wanted.size === 0) return rows;
  const table = createUserTable({ count: options.users, seed: options.seed });
  let index = 0;
  for (const row of userRows({ seed: options.seed, table })) {
    if (options.wanted.has(index)) rows.set(index, row);
    index++;
  }
  return rows;
}

async function updateBaseManifest(outDir: string, days: readonly string[]): Promise<void> {
  const path = join(outDir, dataFiles.manifest);
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return;
  const manifest = dataManifest.parse(JSON.parse(text));
  const known = new Set([...(manifest.days ?? []), ...days]);
  const next = { ...manifest, last_day: baseLastDay, days: [...known].sort() };
  await writeFile(`${path}.partial`, `${JSON.stringify(next, null, 2)}\n`);
  await rename(`${path}.partial`, path);
}

/**
 * Writes one batch per day for the `days` days after the base data set, under `days/<YYYY-MM-DD>/`:
 * the rows to upsert (`users.csv`, `viewing_sessions.csv`, `content.json`), `deletes.json`, and
 * `manifest.json` (ground truth and checksums) last. The world is replayed from the seed, so day D
 * is the same whatever `days` was asked, and a batch already written is kept.
 */
export async function generateDayBatches(
  options: GenerateDayBatchesOptions,
): Promise<DayBatchesReport> {
  const logger = (options.logger ?? silentLogger).child({
    step: 'generate_day_batches',
    outDir: options.outDir,
  });
  const { seed, signal } = options;
  if (!Number.isInteger(options.days) || options.days < 0 || options.days > 3_650)
    throw new ReelhouseError({
      code: 'invalid_input',
      message: `days must be a whole number from 0 to 3650, got ${options.days}`,
      context: { days: options.days },
    });
  const share = options.dailySessionShare ?? defaultDailySessionShare;
  const written: string[] = [];
  const all: string[] = [];
  const manifests: DayBatchManifest[] = [];
  const pending: PendingBatch[] = [];
  try {
    if (options.days === 0) return { days: [], written, manifests };
    const world = await DayWorld.rebuild({ seed, users: options.users, titles: options.titles });
    for (let n = 1; n <= options.days; n++) {
      signal?.throwIfAborted();
      const day = dayAfterBase(n);
      const startMs = Date.parse(`${day}T00:00:00.000Z`);
      const stream = (part: string) => new Random(seed, `day:${day}:${part}`);
      const userEvents = simulateDayUsers(world, stream('users'), { startMs });
      const changedUsers = [
        ...userEvents.planChanges,
        ...userEvents.cancellations,
        ...userEvents.returns,
      ];
      const userUpserts: UserUpsert[] = [
        ...changedUsers.map((index) => {
          const change = world.userChanges.get(index);
          return { index, change: change === undefined ? undefined : { ...change } };
        }),
        ...userEvents.newUsers.map((index) => ({ index, change: undefined })),
      ];
      const sessionEvents = simulateDaySessions(world, stream('sessions'), {
        index: n,
        startMs,
        newSessions: Math.round(options.sessions * share * (0.85 + 0.3 * stream('volume').float())),
      });
      const contentEvents = simulateDayContent(world, stream('content'), { startMs });
      all.push(day);
      const dir = join(options.outDir, dayBatchFolder(day));
      const manifestPath = join(dir, dayBatchFiles.manifest);
      if (await exists(manifestPath)) {
        manifests.push(dayBatchManifest.parse(JSON.parse(await readFile(manifestPath, 'utf8'))));
        continue;
      }
      await mkdir(dir, { recursive: true });
      const ids = new Uint32Array(4);
      const deletes = {
        users: userEvents.erasures.map((index) => formatUuid(userIdWords(seed, index, ids), 0)),
        viewing_sessions: sessionEvents.deletes,
        content: contentEvents.deletes,
      };
      const files: Record<string, { bytes: number; sha256: string }> = {
        [dayBatchFiles.viewingSessions]: await writeDigested(
          join(dir, dayBatchFiles.viewingSessions),
          `${viewingSessionColumns.join(',')}\n${sessionEvents.rows.map(csvRow).join('')}`,
        ),
        [dayBatchFiles.content]: await writeDigested(
          join(dir, dayBatchFiles.content),
          contentText(contentEvents.documents),
        ),
        [dayBatchFiles.deletes]: await writeDigested(
          join(dir, dayBatchFiles.deletes),
          `${JSON.stringify(deletes)}\n`,
        ),
      };
      pending.push({
        day,
        dir,
        users: userUpserts,
        files,
        manifest: {
          generator_version: generatorVersion,
          seed,
          scale: options.scale,
          day,
          previous_day: n === 1 ? baseLastDay : dayAfterBase(n - 1),
          counts: {
            new_users: userEvents.newUsers.length,
            plan_changes: userEvents.planChanges.length,
            cancellations: userEvents.cancellations.length,
            returns: userEvents.returns.length,
            erasures: userEvents.erasures.length,
            new_sessions: sessionEvents.newSessions,
            late_sessions: sessionEvents.lateSessions,
            corrected_sessions: sessionEvents.correctedSessions,
            moved_sessions: sessionEvents.movedSessions,
            deleted_sessions: sessionEvents.deletes.length,
            new_titles: contentEvents.newTitles,
            new_episodes: contentEvents.newEpisodes,
            catalogue_edits: contentEvents.edits,
            deleted_titles: contentEvents.deletes.length,
          },
          upserts: {
            users: userUpserts.length,
            viewing_sessions: sessionEvents.rows.length,
            content: contentEvents.documents.length,
          },
          deletes: {
            users: deletes.users.length,
            viewing_sessions: deletes.viewing_sessions.length,
            content: deletes.content.length,
          },
        },
      });
    }
    // users.csv last: a changed base user's row is regenerated from the seed, once for all batches.
    const wanted = new Set(
      pending.flatMap((batch) =>
        batch.users.map((u) => u.index).filter((index) => index < world.baseUsers),
      ),
    );
    const baseRows = baseUserRows({ seed, users: options.users, wanted });
    for (const batch of pending) {
      const rows = batch.users.map(({ index, change }) => {
        const row = index < world.baseUsers ? baseRows.get(index) : world.newUserRows.get(index);
        if (row === undefined) throw new Error(`no row for user ${index}`);
        return csvRow(changedUserRow(row, change));
      });
      batch.files[dayBatchFiles.users] = await writeDigested(
        join(batch.dir, dayBatchFiles.users),
        `${userColumns.join(',')}\n${rows.join('')}`,
      );
      const files = Object.fromEntries(
        Object.entries(batch.files).sort(([a], [b]) => (a < b ? -1 : 1)),
      );
      const manifest: DayBatchManifest = { ...batch.manifest, files };
      for (const name of Object.keys(files))
        await rename(join(batch.dir, `${name}.partial`), join(batch.dir, name));
      await writeFile(
        join(batch.dir, `${dayBatchFiles.manifest}.partial`),
        `${JSON.stringify(manifest, null, 2)}\n`,
      );
      await rename(
        join(batch.dir, `${dayBatchFiles.manifest}.partial`),
        join(batch.dir, dayBatchFiles.manifest),
      );
      written.push(batch.day);
      manifests.push(manifest);
      logger.info({ day: batch.day, counts: manifest.counts }, 'day batch written');
    }
    await updateBaseManifest(options.outDir, all);
    manifests.sort((a, b) => (a.day < b.day ? -1 : 1));
    return { days: all, written, manifests };
  } catch (error) {
    await Promise.all(
      pending.flatMap((batch) =>
        Object.values(dayBatchFiles).map((name) =>
          rm(join(batch.dir, `${name}.partial`), { force: true }).catch(() => undefined),
        ),
      ),
    );
    if (signal?.aborted === true && !ReelhouseError.is(error))
      throw new ReelhouseError({
        code: 'aborted',
        message: 'day batch generation aborted',
        context: { outDir: options.outDir },
        cause: error,
      });
    throw classifyError(error, { outDir: options.outDir });
  }
}

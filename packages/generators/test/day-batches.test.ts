import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  contentDocument,
  dataManifest,
  dayBatchDeletes,
  dayBatchFolder,
  dayBatchManifest,
  userCsvRow,
  viewingSessionCsvRow,
} from '@reelhouse/contracts';

import { dayAfterBase, generateDataSet, generateDayBatches } from '../src/index.ts';
import { documentText, readCsvRecords, readLines } from './data-set-files.ts';

const size = { users: 600, sessions: 6_000, titles: 120 };
const batchFiles = ['users.csv', 'viewing_sessions.csv', 'content.json', 'deletes.json'];
let root = '';
let tenDays = '';

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'reelhouse-days-'));
  tenDays = join(root, 'ten');
  await generateDataSet({ outDir: tenDays, seed: 11, scale: 'test', ...size, days: 10 });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function manifestOf(dir: string, day: string) {
  return dayBatchManifest.parse(
    JSON.parse(await readFile(join(dir, dayBatchFolder(day), 'manifest.json'), 'utf8')),
  );
}

describe('day batches', () => {
  it('continue the base data set the day after its last day, and the base manifest lists them', async () => {
    const base = dataManifest.parse(
      JSON.parse(await readFile(join(tenDays, 'manifest.json'), 'utf8')),
    );
    expect(base.last_day).toBe('2025-06-30');
    expect(base.days).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(dayAfterBase));
    expect(dayAfterBase(1)).toBe('2025-07-01');
    const first = await manifestOf(tenDays, '2025-07-01');
    expect(first.previous_day).toBe('2025-06-30');
  });

  it('write day D identically whatever number of days is asked (deterministic by seed)', async () => {
    const three = join(root, 'three');
    await generateDayBatches({ outDir: three, seed: 11, scale: 'test', ...size, days: 3 });
    for (const day of [1, 2, 3].map(dayAfterBase))
      for (const file of [...batchFiles, 'manifest.json'])
        expect(await readFile(join(three, dayBatchFolder(day), file))).toEqual(
          await readFile(join(tenDays, dayBatchFolder(day), file)),
        );
  });

  it('hold what their manifest says: rows per kind, valid records, checksums', async () => {
    const totals = {
      late: 0,
      corrected: 0,
      erasures: 0,
      moved: 0,
      newUsers: 0,
      cancellations: 0,
      returns: 0,
    };
    for (let n = 1; n <= 10; n++) {
      const day = dayAfterBase(n);
      const dir = join(tenDays, dayBatchFolder(day));
      const manifest = await manifestOf(tenDays, day);
      for (const file of batchFiles) {
        const bytes = await readFile(join(dir, file));
        expect(manifest.files[file]?.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      }
      const users = readCsvRecords(dir, 'users.csv');
      const sessions = readCsvRecords(dir, 'viewing_sessions.csv');
      const documents = readLines(dir, 'content.json')
        .slice(1, -1)
        .map((line) => JSON.parse(documentText(line)) as unknown);
      const deletes = dayBatchDeletes.parse(
        JSON.parse(await readFile(join(dir, 'deletes.json'), 'utf8')),
      );
      for (const user of users) expect(userCsvRow.safeParse(user).success).toBe(true);
      for (const session of sessions)
        expect(viewingSessionCsvRow.safeParse(session).success).toBe(true);
      for (const document of documents)
        expect(contentDocument.safeParse(document).success).toBe(true);
      const { counts } = manifest;
      expect(manifest.upserts).toEqual({
        users: users.length,
        viewing_sessions: sessions.length,
        content: documents.length,
      });
      expect(manifest.deletes).toEqual({
        users: deletes.users.length,
        viewing_sessions: deletes.viewing_sessions.length,
        content: deletes.content.length,
      });
      expect(users.length).toBe(
        counts.new_users + counts.plan_changes + counts.cancellations + counts.returns,
      );
      expect(users.filter((u) => u['signup_ts']!.startsWith(day))).toHaveLength(counts.new_users);
      expect(users.filter((u) => u['cancelled_at']!.startsWith(day))).toHaveLength(
        counts.cancellations,
      );
      expect(sessions.length).toBe(counts.new_sessions + counts.corrected_sessions);
      const dayStart = Date.parse(`${day}T00:00:00Z`);
      const started = sessions.map((s) => Date.parse(s['started_at']!));
      // Late sessions start up to 3 days before the day they arrive on (a moved correction up to
      // 1.5 days more); none starts after it.
      expect(started.filter((ms) => ms < dayStart - 4.5 * 86_400_000)).toHaveLength(0);
      expect(started.every((ms) => ms < dayStart + 86_400_000)).toBe(true);
      expect(counts.deleted_sessions).toBe(deletes.viewing_sessions.length);
      expect(counts.erasures).toBe(deletes.users.length);
      totals.late += counts.late_sessions;
      totals.corrected += counts.corrected_sessions;
      totals.moved += counts.moved_sessions;
      totals.erasures += counts.erasures;
      totals.newUsers += counts.new_users;
      totals.cancellations += counts.cancellations;
      totals.returns += counts.returns;
      // No key is both upserted and deleted in one batch.
      const deleted = new Set([...deletes.users, ...deletes.viewing_sessions, ...deletes.content]);
      expect(users.some((u) => deleted.has(u['user_id']!))).toBe(false);
      expect(sessions.some((s) => deleted.has(s['session_id']!))).toBe(false);
    }
    // Ten days at this size see every kind of change at least once.
    for (const [kind, total] of Object.entries(totals)) expect(total, kind).toBeGreaterThan(0);
  });

  it('correct sessions that arrived on earlier days and erase users that existed before', async () => {
    const seenSessions = new Set(
      readCsvRecords(tenDays, 'viewing_sessions.csv').map((s) => s['session_id']),
    );
    const seenUsers = new Set(readCsvRecords(tenDays, 'users.csv').map((u) => u['user_id']));
    for (let n = 1; n <= 10; n++) {
      const dir = join(tenDays, dayBatchFolder(dayAfterBase(n)));
      const manifest = await manifestOf(tenDays, dayAfterBase(n));
      const sessions = readCsvRecords(dir, 'viewing_sessions.csv');
      const repeated = sessions.filter((s) => seenSessions.has(s['session_id']));
      expect(repeated).toHaveLength(manifest.counts.corrected_sessions);
      const deletes = dayBatchDeletes.parse(
        JSON.parse(await readFile(join(dir, 'deletes.json'), 'utf8')),
      );
      for (const id of [...deletes.users]) expect(seenUsers.has(id)).toBe(true);
      for (const id of deletes.viewing_sessions) expect(seenSessions.has(id)).toBe(true);
      for (const s of sessions) seenSessions.add(s['session_id']);
      for (const u of readCsvRecords(dir, 'users.csv')) seenUsers.add(u['user_id']);
      for (const id of deletes.users) seenUsers.delete(id);
      for (const id of deletes.viewing_sessions) seenSessions.delete(id);
    }
  });
});

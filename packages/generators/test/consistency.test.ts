import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  contentDocument,
  dataFiles,
  qualities,
  userCsvRow,
  viewingSessionCsvRow,
  type ContentDocument,
  type User,
  type ViewingSession,
} from '@reelhouse/contracts';

import { generateDataSet } from '../src/index.ts';
import { documentText, readCsvRecords, readLines } from './data-set-files.ts';

const referenceTime = '2025-07-01T00:00:00.000Z';
const ladder = {
  SD: [1_050, 1_750],
  HD: [2_700, 3_300],
  FHD: [5_200, 6_400],
  UHD: [13_500, 16_500],
} as const;
const planCap = { basic_ads: 'HD', standard: 'FHD', premium: 'UHD' } as const;
const deviceCap = {
  smart_tv: 'UHD',
  streaming_stick: 'UHD',
  console: 'UHD',
  mobile: 'FHD',
  tablet: 'FHD',
  desktop: 'FHD',
} as const;

let root = '';

/** Collects every broken rule so one assertion reports them all, named by row. */
function rules(): { check: (ok: boolean, message: string) => void; violations: string[] } {
  const violations: string[] = [];
  return { violations, check: (ok, message) => void (ok || violations.push(message)) };
}
let users: User[] = [];
let sessions: ViewingSession[] = [];
let documents: ContentDocument[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'reelhouse-consistency-'));
  await generateDataSet({
    outDir: root,
    seed: 3,
    scale: 'test',
    users: 1_000,
    sessions: 10_000,
    titles: 200,
  });
  // Every row must satisfy its contract: parse() throws on the first that does not.
  users = readCsvRecords(root, dataFiles.users).map((row) => userCsvRow.parse(row));
  sessions = readCsvRecords(root, dataFiles.viewingSessions).map((row) =>
    viewingSessionCsvRow.parse(row),
  );
  documents = readLines(root, dataFiles.content)
    .slice(1, -1)
    .map((line) => contentDocument.parse(JSON.parse(documentText(line))));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('a clean data set', () => {
  it('has unique keys: user ids, e-mails, session ids, content and episode ids', () => {
    expect(new Set(users.map((u) => u.user_id)).size).toBe(users.length);
    expect(new Set(users.map((u) => u.email)).size).toBe(users.length);
    expect(new Set(sessions.map((s) => s.session_id)).size).toBe(sessions.length);
    const ids = documents.flatMap((d) =>
      d.type === 'movie'
        ? [d._id]
        : [d._id, ...d.seasons.flatMap((s) => s.episodes.map((e) => e.episode_id))],
    );
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps user timelines consistent: updated after sign-up and cancellation, nothing after the reference time', () => {
    const { check, violations } = rules();
    for (const user of users) {
      check(
        user.updated_at >= user.signup_ts,
        `${user.user_id}: user.updated_at >= user.signup_ts`,
      );
      if (user.cancelled_at !== null)
        check(
          user.updated_at >= user.cancelled_at,
          `${user.user_id}: user.updated_at >= user.cancelled_at`,
        );
      check(user.updated_at <= referenceTime, `${user.user_id}: user.updated_at <= referenceTime`);
    }
    expect(violations).toEqual([]);
  });

  it('starts every session after its viewer signed up, before any cancellation, after the release of an existing item', () => {
    const { check, violations } = rules();
    const byId = new Map(users.map((u) => [u.user_id, u]));
    const items = new Map<string, { release: string; runtimeS: number; uhd: boolean }>();
    for (const d of documents) {
      const uhd = d.available_qualities.includes('UHD');
      if (d.type === 'movie')
        items.set(d._id, { release: d.release_date, runtimeS: d.runtime_min * 60, uhd });
      else
        for (const season of d.seasons)
          for (const e of season.episodes)
            items.set(e.episode_id, { release: e.release_date, runtimeS: e.runtime_min * 60, uhd });
    }
    for (const s of sessions) {
      const user = byId.get(s.user_id);
      const item = items.get(s.content_id);
      if (user === undefined || item === undefined) {
        check(false, `${s.session_id}: unknown user or content`);
        continue;
      }
      check(s.started_at >= user.signup_ts, `${s.session_id}: s.started_at >= user.signup_ts`);
      if (user.cancelled_at !== null)
        check(
          s.started_at <= user.cancelled_at,
          `${s.session_id}: s.started_at <= user.cancelled_at`,
        );
      check(
        s.started_at >= `${item.release}T00:00:00.000Z`,
        `${s.session_id}: s.started_at >= ${item.release}T00:00:00.000Z`,
      );
      check(s.position_end_s <= item.runtimeS, `${s.session_id}: position beyond runtime`);
      check(item.uhd || s.quality !== 'UHD', `${s.session_id}: UHD of a title without UHD`);
      const finished = s.exit_reason === 'completed' || s.exit_reason === 'next_episode';
      check(
        finished === s.position_end_s >= 0.95 * item.runtimeS,
        `${s.session_id}: exit ${s.exit_reason} at ${s.position_end_s} of ${item.runtimeS} s`,
      );
    }
    expect(violations).toEqual([]);
  });

  it('keeps each session internally consistent: times, positions, bytes, quality caps', () => {
    const { check, violations } = rules();
    const byId = new Map(users.map((u) => [u.user_id, u]));
    for (const s of sessions) {
      check(s.ended_at >= s.started_at, `${s.session_id}: s.ended_at >= s.started_at`);
      check(s.updated_at >= s.ended_at, `${s.session_id}: s.updated_at >= s.ended_at`);
      check(s.updated_at <= referenceTime, `${s.session_id}: s.updated_at <= referenceTime`);
      check(
        Date.parse(s.ended_at) - Date.parse(s.started_at) >= s.watch_duration_s * 1000,
        `${s.session_id}: shorter than the watch time`,
      );
      check(
        s.position_end_s - s.position_start_s === s.watch_duration_s,
        `${s.session_id}: positions disagree with the watch time`,
      );
      check(
        s.bytes_transferred === s.avg_bitrate_kbps * 125 * s.watch_duration_s,
        `${s.session_id}: bytes are not bitrate x duration`,
      );
      const [low, high] = ladder[s.quality];
      check(
        s.avg_bitrate_kbps >= low && s.avg_bitrate_kbps <= high,
        `${s.session_id}: bitrate outside the ${s.quality} rung`,
      );
      const plan = byId.get(s.user_id)!.plan;
      const cap = Math.min(
        qualities.indexOf(planCap[plan]),
        qualities.indexOf(deviceCap[s.device_type]),
      );
      check(
        qualities.indexOf(s.quality) <= cap,
        `${s.session_id}: ${s.quality} above the ${plan}/${s.device_type} cap`,
      );
      check(
        !s.is_offline || s.device_type === 'mobile' || s.device_type === 'tablet',
        `${s.session_id}: offline on a ${s.device_type}`,
      );
    }
    expect(violations).toEqual([]);
  });
});

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  countryByCode,
  dataFiles,
  type ContentDocument,
  type DeviceType,
  type Plan,
} from '@reelhouse/contracts';

import { generateDataSet } from '../src/index.ts';
import { readCsvRecords } from './data-set-files.ts';

type Row = Record<string, string>;

// UTC offsets (minutes) the generator uses per country: fixed, standard time.
const offsets: Readonly<Record<string, number>> = {
  US: -300,
  CA: -300,
  GB: 0,
  DE: 60,
  FR: 60,
  ES: 60,
  IT: 60,
  NL: 60,
  PL: 60,
  SE: 60,
  TR: 180,
  ZA: 120,
  AE: 240,
  BR: -180,
  MX: -360,
  AR: -180,
  CO: -300,
  CL: -240,
  JP: 540,
  KR: 540,
  AU: 600,
  IN: 330,
  PH: 480,
  NZ: 720,
};

let root = '';
let users: Row[] = [];
let sessions: Row[] = [];
let documents: ContentDocument[] = [];
const runtimeS = new Map<string, number>();
const titleOf = new Map<string, string>();

function share<T>(rows: readonly T[], predicate: (row: T) => boolean): number {
  return rows.filter(predicate).length / rows.length;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.floor(p * (sorted.length - 1))] ?? Number.NaN;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'reelhouse-distributions-'));
  await generateDataSet({
    outDir: root,
    seed: 2024,
    scale: 'test',
    users: 5_000,
    sessions: 50_000,
    titles: 500,
  });
  users = readCsvRecords(root, dataFiles.users);
  sessions = readCsvRecords(root, dataFiles.viewingSessions);
  documents = JSON.parse(
    await readFile(join(root, dataFiles.content), 'utf8'),
  ) as ContentDocument[];
  for (const d of documents) {
    if (d.type === 'movie') {
      runtimeS.set(d._id, d.runtime_min * 60);
      titleOf.set(d._id, d._id);
    } else {
      for (const e of d.seasons.flatMap((s) => s.episodes)) {
        runtimeS.set(e.episode_id, e.runtime_min * 60);
        titleOf.set(e.episode_id, d._id);
      }
    }
  }
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('realistic distributions (5k users, 50k sessions, 500 titles)', () => {
  it('signs users up on plans 45/35/20 and regions 32/34/18/17 within 3 points', () => {
    const plans: Record<Plan, number> = { basic_ads: 0.45, standard: 0.35, premium: 0.2 };
    for (const [plan, expected] of Object.entries(plans))
      expect(share(users, (u) => u['plan'] === plan)).toBeCloseTo(expected, 1);
    const regions = { UCAN: 32 / 101, EMEA: 34 / 101, LATAM: 18 / 101, APAC: 17 / 101 };
    for (const [region, expected] of Object.entries(regions)) {
      expect(
        Math.abs(
          share(users, (u) => countryByCode.get(u['country_code'] ?? '')?.region === region) -
            expected,
        ),
      ).toBeLessThan(0.03);
    }
  });

  it('churns cheaper plans more', () => {
    const cancelled = (plan: Plan): number =>
      share(
        users.filter((u) => u['plan'] === plan),
        (u) => u['subscription_status'] === 'cancelled',
      );
    expect(cancelled('basic_ads')).toBeGreaterThan(cancelled('standard'));
    expect(cancelled('standard')).toBeGreaterThan(cancelled('premium'));
    expect(cancelled('premium')).toBeGreaterThan(0.1);
  });

  it('splits sessions across devices like the industry mix, within 3 points', () => {
    const mix: Record<DeviceType, number> = {
      smart_tv: 0.36,
      streaming_stick: 0.35,
      console: 0.07,
      mobile: 0.12,
      tablet: 0.04,
      desktop: 0.06,
    };
    for (const [device, expected] of Object.entries(mix))
      expect(
        Math.abs(share(sessions, (s) => s['device_type'] === device) - expected),
        device,
      ).toBeLessThan(0.03);
  });

  it('concentrates viewing on a few titles (Zipf): the top 1% of titles draw 15-45% of sessions', () => {
    const perTitle = new Map<string, number>();
    for (const s of sessions) {
      const title = titleOf.get(s['content_id'] ?? '') ?? '';
      perTitle.set(title, (perTitle.get(title) ?? 0) + 1);
    }
    const counts = [...perTitle.values()].sort((a, b) => b - a);
    const top =
      counts.slice(0, documents.length / 100).reduce((sum, n) => sum + n, 0) / sessions.length;
    expect(top).toBeGreaterThan(0.15);
    expect(top).toBeLessThan(0.45);
  });

  it('boosts new releases for their first 90 days, then lets them fall back', () => {
    const dayMs = 86_400_000;
    const reference = Date.parse('2025-07-01T00:00:00.000Z');
    const releases = new Map(
      documents.map((d) => [d._id, Date.parse(`${d.release_date}T00:00:00.000Z`)]),
    );
    let early = 0;
    let late = 0;
    let earlyDays = 0;
    let lateDays = 0;
    for (const [title, release] of releases) {
      if (release < Date.parse('2024-07-01T00:00:00.000Z') || release > reference - 180 * dayMs)
        continue;
      earlyDays += 90;
      lateDays += (reference - release) / dayMs - 90;
      for (const s of sessions) {
        if (titleOf.get(s['content_id'] ?? '') !== title) continue;
        if (Date.parse(s['started_at'] ?? '') < release + 90 * dayMs) early++;
        else late++;
      }
    }
    expect(earlyDays).toBeGreaterThan(0);
    expect(early / earlyDays / (late / lateDays)).toBeGreaterThan(1.8);
  });

  it('loses viewers episode after episode within a series', () => {
    const byEpisode = (suffix: string): number =>
      sessions.filter((s) => s['content_id']?.endsWith(suffix)).length;
    expect(byEpisode('_s01e01')).toBeGreaterThan(byEpisode('_s01e03'));
    expect(byEpisode('_s01e03')).toBeGreaterThan(byEpisode('_s01e06'));
  });

  it('peaks at 20-22h local time at 3-4.5x daytime, with more viewing at weekends', () => {
    const hours = new Array<number>(24).fill(0);
    const weekdays = new Array<number>(7).fill(0);
    for (const s of sessions) {
      const local = new Date(
        Date.parse(s['started_at'] ?? '') + (offsets[s['country_code'] ?? ''] ?? 0) * 60_000,
      );
      hours[local.getUTCHours()]! += 1;
      weekdays[local.getUTCDay()]! += 1;
    }
    const peak = (hours[20]! + hours[21]!) / 2;
    const daytime = hours.slice(10, 16).reduce((sum, n) => sum + n, 0) / 6;
    expect(peak / daytime).toBeGreaterThan(3);
    expect(peak / daytime).toBeLessThan(4.5);
    expect(hours.indexOf(Math.max(...hours))).toBeGreaterThanOrEqual(19);
    const weekend = (weekdays[0]! + weekdays[6]!) / 2;
    const weekday = weekdays.slice(1, 6).reduce((sum, n) => sum + n, 0) / 5;
    expect(weekend / weekday).toBeGreaterThan(1.15);
    expect(weekend / weekday).toBeLessThan(1.5);
  });

  it('draws watch time log-normally (median ~12 min, mean ~21 min) and completes 20-30% of plays', () => {
    const minutes = sessions.map((s) => Number(s['watch_duration_s']) / 60).sort((a, b) => a - b);
    expect(percentile(minutes, 0.5)).toBeGreaterThan(10);
    expect(percentile(minutes, 0.5)).toBeLessThan(15);
    const mean = minutes.reduce((sum, m) => sum + m, 0) / minutes.length;
    expect(mean).toBeGreaterThan(18);
    expect(mean).toBeLessThan(26);
    const completed = share(
      sessions,
      (s) =>
        Number(s['position_end_s']) >= 0.95 * (runtimeS.get(s['content_id'] ?? '') ?? Infinity),
    );
    expect(completed).toBeGreaterThan(0.2);
    expect(completed).toBeLessThan(0.3);
  });

  it('streams UHD only for premium users, on capable devices', () => {
    const premium = new Set(users.filter((u) => u['plan'] === 'premium').map((u) => u['user_id']));
    const uhd = sessions.filter((s) => s['quality'] === 'UHD');
    expect(uhd.length).toBeGreaterThan(0);
    expect(
      uhd.every(
        (s) =>
          premium.has(s['user_id']) &&
          ['smart_tv', 'streaming_stick', 'console'].includes(s['device_type'] ?? ''),
      ),
    ).toBe(true);
  });
});

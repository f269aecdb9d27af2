import {
  countries,
  deviceTypes,
  plans,
  qualities,
  viewingSessionColumns,
  type ExitReason,
} from '@reelhouse/contracts';

import { drawItem } from './catalogue.ts';
import { countryProfiles } from './datasets/country-profiles.ts';
import { appVersions, deviceOperatingSystems } from './datasets/devices.ts';
import { countAround } from './day-users.ts';
import { subscribed, type DayWorld, type RecentSession } from './day-world.ts';
import { isoTimestamp } from './iso-timestamp.ts';
import type { Random } from './random.ts';
import { bitrateLadder, deviceQualityCap, drawQuality, planQualityCap } from './session-quality.ts';
import { dayMs, hourMs } from './timeline.ts';
import { countryChoice, deviceChoice } from './user-mix.ts';
import { userIdWords } from './user-id.ts';
import {
  metaCountry,
  metaDevice,
  metaPlan,
  userActivity,
  userMeta,
  userSignup,
  userStride,
} from './user-table.ts';
import { formatUuid, randomUuid } from './uuid.ts';
import { drawStartMs } from './viewing-curve.ts';
import { WeightedChoice } from './weighted-choice.ts';
import {
  completionThreshold,
  finishShare,
  resumeFrom,
  resumeShare,
  watchMedianS,
  watchSigma,
} from './write-sessions.ts';

/** Shares of a day's sessions: late arrivals, plays of this season's releases, corrections, removals. */
export const sessionRates = {
  /** New sessions that started 1 to 3 days before the day they arrive on (offline, queued uploads). */
  late: 0.06,
  /** Plays of titles and episodes released by day batches. */
  newReleases: 0.08,
  /** Of the sessions of the last 3 days, corrected per day (late heartbeats, clock fixes). */
  corrections: 0.02,
  /** Of the corrections, the share that moves the session to another day (a device clock fix). */
  moved: 0.25,
  /** Of the day's sessions, removed as bot or test traffic (at least now and then). */
  deletions: 0.002,
} as const;

const col = (name: (typeof viewingSessionColumns)[number]): number =>
  viewingSessionColumns.indexOf(name);
const startedColumn = col('started_at');
const endedColumn = col('ended_at');
const watchColumn = col('watch_duration_s');
const positionStartColumn = col('position_start_s');
const positionEndColumn = col('position_end_s');
const bitrateColumn = col('avg_bitrate_kbps');
const bytesColumn = col('bytes_transferred');
const exitColumn = col('exit_reason');
const updatedColumn = col('updated_at');
const offsetsMs = countries.map((c) => (countryProfiles[c.code]?.utcOffsetMinutes ?? 0) * 60_000);

/** What one day's sessions were: rows to upsert (new and corrected) and keys to delete, with counts. */
export interface DaySessionEvents {
  readonly rows: string[][];
  readonly deletes: string[];
  newSessions: number;
  lateSessions: number;
  correctedSessions: number;
  movedSessions: number;
}

/** Viewers of the day: subscribed users weighted by activity (cancelled and erased users watch nothing). */
function viewerChoice(world: DayWorld): WeightedChoice | undefined {
  const weights = new Float64Array(world.userCount);
  let any = false;
  for (let user = 0; user < world.userCount; user++) {
    if (world.userState[user] !== subscribed) continue;
    weights[user] = world.users.records[user * userStride + userActivity]!;
    any = true;
  }
  return any ? new WeightedChoice(weights) : undefined;
}

/** A played item: a batch release with `sessionRates.newReleases`, else the base catalogue by popularity. */
function drawPlayable(
  world: DayWorld,
  random: Random,
  atMs: number,
): { id: string; runtimeS: number; maxQuality: number; hasNext: boolean } {
  if (world.newItems.length > 0 && random.chance(sessionRates.newReleases)) {
    const item = world.newItems[random.int(0, world.newItems.length - 1)]!;
    if (item.releaseMs <= atMs) return { ...item, hasNext: false };
  }
  const { catalogue } = world;
  const item = drawItem(catalogue, { random, atMs });
  return {
    id: catalogue.itemIds[item]!,
    runtimeS: catalogue.itemRuntimeS[item]!,
    maxQuality: catalogue.itemMaxQuality[item]!,
    hasNext: catalogue.itemHasNext[item] === 1,
  };
}

/** One session row, drawn as the base generator draws them (same mixes and curves). */
function sessionRow(
  world: DayWorld,
  random: Random,
  facts: { user: number; fromMs: number; toMs: number; arrivedMs: number },
): string[] {
  const meta = world.users.records[facts.user * userStride + userMeta]!;
  const country = random.chance(0.96) ? metaCountry(meta) : countryChoice.draw(random);
  const startMs = drawStartMs(random, {
    fromMs: facts.fromMs,
    toMs: facts.toMs,
    offsetMs: offsetsMs[country]!,
  });
  const item = drawPlayable(world, random, startMs);
  const deviceIndex = random.chance(0.65) ? metaDevice(meta) : deviceChoice.draw(random);
  const device = deviceTypes[deviceIndex]!;
  const cap = Math.min(
    planQualityCap[plans[metaPlan(meta)]!],
    deviceQualityCap[device],
    item.maxQuality,
  );
  const qualityIndex = drawQuality(random, cap);
  const [minKbps, maxKbps] = bitrateLadder[qualities[qualityIndex]!];
  const bitrate = random.int(minKbps, maxKbps);
  const runtime = item.runtimeS;
  const positionStart = random.chance(resumeShare)
    ? Math.floor(runtime * (resumeFrom[0] + (resumeFrom[1] - resumeFrom[0]) * random.float()))
    : 0;
  const wanted = Math.max(1, Math.round(random.logNormal(watchMedianS, watchSigma)));
  const completed =
    random.chance(finishShare) || positionStart + wanted >= runtime * completionThreshold;
  const watch = Math.min(21_600, completed ? runtime - positionStart : wanted);
  const exitRoll = random.float();
  const exitReason: ExitReason = completed
    ? item.hasNext && exitRoll < 0.6
      ? 'next_episode'
      : 'completed'
    : exitRoll < 0.02
      ? 'error'
      : exitRoll < 0.05
        ? 'timeout'
        : 'user_exit';
  const offline = (device === 'mobile' || device === 'tablet') && random.chance(0.1);
  const startup = offline
    ? random.int(80, 400)
    : Math.min(120_000, Math.round(random.logNormal(900, 0.5)));
  const rebufferCount = offline
    ? 0
    : Math.floor(random.exponential((watch / 3600) * (device === 'mobile' ? 1.6 : 0.6)));
  const rebufferMs =
    rebufferCount === 0 ? 0 : Math.round(rebufferCount * random.logNormal(1_400, 0.6));
  const pauseMs = random.chance(0.25)
    ? Math.min(30 * 60_000, Math.floor(random.exponential(180_000)))
    : 0;
  const endedMs = startMs + startup + watch * 1000 + rebufferMs + pauseMs;
  const updatedMs = Math.max(endedMs, facts.arrivedMs) + Math.floor(random.exponential(20_000));
  return [
    randomUuid(random),
    formatUuid(userIdWords(world.seed, facts.user, new Uint32Array(4)), 0),
    item.id,
    isoTimestamp(startMs),
    isoTimestamp(endedMs),
    String(watch),
    String(positionStart),
    String(positionStart + watch),
    device,
    random.pick(deviceOperatingSystems[device]),
    random.pick(appVersions),
    countries[country]!.code,
    qualities[qualityIndex]!,
    String(bitrate),
    String(bitrate * 125 * watch),
    String(startup),
    String(rebufferCount),
    String(rebufferMs),
    exitReason,
    offline ? 'true' : 'false',
    isoTimestamp(updatedMs),
  ];
}

/** A correction of a recent session: a longer or shorter watch (late heartbeat), or a clock fix that moves it back a day. */
function correct(row: string[], random: Random, facts: { atMs: number; move: boolean }): string[] {
  const next = [...row];
  const startMs = Date.parse(row[startedColumn]!);
  const endMs = Date.parse(row[endedColumn]!);
  const shiftMs = facts.move ? -(24 * hourMs + random.int(0, 12 * hourMs)) : 0;
  const watch = Number(row[watchColumn]);
  const extra = facts.move ? 0 : Math.round(watch * (random.float() - 0.3));
  const newWatch = Math.min(21_600, Math.max(1, watch + extra));
  next[startedColumn] = isoTimestamp(startMs + shiftMs);
  next[endedColumn] = isoTimestamp(endMs + shiftMs + (newWatch - watch) * 1000);
  next[watchColumn] = String(newWatch);
  next[positionEndColumn] = String(Number(row[positionStartColumn]) + newWatch);
  next[bytesColumn] = String(Number(row[bitrateColumn]) * 125 * newWatch);
  if (!facts.move && extra < 0 && next[exitColumn] !== 'error') next[exitColumn] = 'user_exit';
  next[updatedColumn] = isoTimestamp(Math.max(facts.atMs, Date.parse(row[updatedColumn]!) + 1));
  return next;
}

/**
 * Draws one day's sessions: new plays of the day (some started up to 3 days earlier and arriving
 * late), corrections of sessions of the last 3 days (some moved to another day) and removals.
 */
export function simulateDaySessions(
  world: DayWorld,
  random: Random,
  day: { readonly index: number; readonly startMs: number; readonly newSessions: number },
): DaySessionEvents {
  const events: DaySessionEvents = {
    rows: [],
    deletes: [],
    newSessions: 0,
    lateSessions: 0,
    correctedSessions: 0,
    movedSessions: 0,
  };
  // Corrections and removals first, on sessions that arrived on earlier days.
  world.recentSessions = world.recentSessions.filter(
    (s) => !s.gone && s.arrivedDay >= day.index - 3,
  );
  const recent = world.recentSessions;
  const touched = new Set<RecentSession>();
  const pickRecent = (): RecentSession | undefined => {
    for (let attempt = 0; attempt < 10 && recent.length > 0; attempt++) {
      const candidate = recent[random.int(0, recent.length - 1)]!;
      if (!touched.has(candidate)) return candidate;
    }
    return undefined;
  };
  const endMs = day.startMs + dayMs - 1;
  for (let n = countAround(random, recent.length * sessionRates.corrections + 0.3); n > 0; n--) {
    const session = pickRecent();
    if (session === undefined) break;
    touched.add(session);
    const move = random.chance(sessionRates.moved);
    session.row = correct(session.row, random, {
      atMs: day.startMs + Math.floor(random.float() * (dayMs - 1)),
      move,
    });
    events.rows.push(session.row);
    events.correctedSessions++;
    if (move) events.movedSessions++;
  }
  for (let n = countAround(random, day.newSessions * sessionRates.deletions + 0.2); n > 0; n--) {
    const session = pickRecent();
    if (session === undefined) break;
    touched.add(session);
    session.gone = true;
    events.deletes.push(session.row[0]!);
  }
  const viewers = viewerChoice(world);
  if (viewers === undefined) return events;
  for (let n = 0; n < day.newSessions; n++) {
    const user = viewers.draw(random);
    const signupMs = world.users.records[user * userStride + userSignup]!;
    const late = random.chance(sessionRates.late);
    const fromDay = late ? day.startMs - random.int(1, 3) * dayMs : day.startMs;
    const fromMs = Math.max(signupMs, fromDay);
    const toMs = (late ? fromDay + dayMs : day.startMs + dayMs) - 6 * hourMs;
    if (fromMs >= toMs) continue;
    const arrivedMs = day.startMs + Math.floor(random.float() * (dayMs - 60_000));
    const row = sessionRow(world, random, {
      user,
      fromMs,
      toMs,
      arrivedMs: Math.min(arrivedMs, endMs),
    });
    events.rows.push(row);
    events.newSessions++;
    if (Date.parse(row[startedColumn]!) < day.startMs) events.lateSessions++;
    recent.push({ row, arrivedDay: day.index, gone: false });
  }
  return events;
}

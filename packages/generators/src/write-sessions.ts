import {
  countries,
  deviceTypes,
  exitReasons,
  plans,
  qualities,
  viewingSessionColumns,
  type ExitReason,
} from '@reelhouse/contracts';
import { ReelhouseError } from '@reelhouse/core';

import { AsciiLineBuffer, asciiBytes, packAscii } from './ascii-line-buffer.ts';
import { drawItem, type Catalogue } from './catalogue.ts';
import { csvField } from './csv-row.ts';
import { countryProfiles } from './datasets/country-profiles.ts';
import { appVersions, deviceOperatingSystems } from './datasets/devices.ts';
import type { FileSink } from './file-sink.ts';
import { Random } from './random.ts';
import { bitrateLadder, deviceQualityCap, drawQuality, planQualityCap } from './session-quality.ts';
import { dayMs, hourMs, timeline } from './timeline.ts';
import { countryChoice, deviceChoice } from './user-mix.ts';
import { userIdWords } from './user-id.ts';
import {
  metaCountry,
  metaDevice,
  metaPlan,
  userActivity,
  userCancel,
  userMeta,
  userSignup,
  userStride,
  type UserTable,
} from './user-table.ts';
import { drawStartMs } from './viewing-curve.ts';
import { WeightedChoice } from './weighted-choice.ts';

/**
 * Watch time per play: a share of plays is watched to the end on purpose, the rest follow a
 * log-normal (median 11 min) capped by the runtime left. Plays come out at a median of ~12 min,
 * a mean of ~20 min, and 20-30% reach the credits (short sitcom episodes far more than movies).
 */
export const watchMedianS = 660;
export const watchSigma = 1.0;
export const finishShare = 0.12;
/** Share of plays that resume a title part-watched, and where (as a share of the runtime). */
export const resumeShare = 0.3;
export const resumeFrom: readonly [number, number] = [0.3, 0.95];
/** A play is complete when it reaches this share of the runtime (the end credits). */
export const completionThreshold = 0.95;

/** Which users and titles got at least one session (the defect pass keeps their rows loadable). */
export interface SessionCoverage {
  readonly usersWatching: Uint8Array;
  readonly titlesWatched: Uint8Array;
}

// Every value of the session line, encoded once: free text goes through the RFC 4180 quoting.
const comma = 44;
const newline = 10;
const flushBytes = 1 << 16;
const deviceBytes = deviceTypes.map(asciiBytes);
const operatingSystemBytes = deviceTypes.map((device) =>
  deviceOperatingSystems[device].map((name) => asciiBytes(csvField(name))),
);
const versionBytes = appVersions.map((version) => asciiBytes(csvField(version)));
const countryBytes = countries.map((c) => asciiBytes(c.code));
const qualityBytes = qualities.map(asciiBytes);
const exitBytes = Object.fromEntries(
  exitReasons.map((reason) => [reason, asciiBytes(reason)]),
) as Record<ExitReason, Uint8Array>;
const trueBytes = asciiBytes('true');
const falseBytes = asciiBytes('false');
const lastStartMs = timeline.referenceMs - 6 * hourMs;
const offsetsMs = countries.map((c) => (countryProfiles[c.code]?.utcOffsetMinutes ?? 0) * 60_000);

function activeWindow(users: UserTable, user: number): { fromMs: number; toMs: number } {
  const record = user * userStride;
  return {
    fromMs: Math.max(users.records[record + userSignup]!, timeline.sessionsFromMs),
    toMs: Math.min(users.records[record + userCancel]!, lastStartMs),
  };
}

function viewerChoice(users: UserTable): WeightedChoice {
  const weights = new Float64Array(users.count);
  let viewers = 0;
  for (let user = 0; user < users.count; user++) {
    const { fromMs, toMs } = activeWindow(users, user);
    weights[user] =
      toMs > fromMs
        ? users.records[user * userStride + userActivity]! * ((toMs - fromMs) / dayMs)
        : 0;
    if (toMs > fromMs) viewers++;
  }
  if (viewers === 0) {
    throw new ReelhouseError({
      code: 'invalid_input',
      message: `none of the ${users.count} users is subscribed during the session window: generate more users`,
      context: { file: 'viewing_sessions.csv', users: users.count },
    });
  }
  return new WeightedChoice(weights);
}

/**
 * Streams `viewing_sessions.csv` to disk: each session picks a viewer (by activity and time
 * subscribed), a start on the local diurnal curve, a released title by popularity, then device,
 * quality and watch time. Memory stays constant whatever the session count.
 */
export async function writeSessions(options: {
  readonly sink: FileSink;
  readonly seed: number;
  readonly sessions: number;
  readonly users: UserTable;
  readonly catalogue: Catalogue;
}): Promise<SessionCoverage> {
  const { sink, users, catalogue } = options;
  const random = new Random(options.seed, 'sessions');
  const coverage: SessionCoverage = {
    usersWatching: new Uint8Array(users.count),
    titlesWatched: new Uint8Array(catalogue.titleFirstItem.length),
  };
  sink.append(`${viewingSessionColumns.join(',')}\n`);
  if (options.sessions === 0) return coverage;
  const viewers = viewerChoice(users);
  const ids = new Uint32Array(4);
  const userWords = new Uint32Array(4);
  const itemIds = packAscii(catalogue.itemIds);
  const lines = new AsciiLineBuffer(flushBytes + 4096);
  for (let n = 0; n < options.sessions; n++) {
    const user = viewers.draw(random);
    const record = user * userStride;
    const meta = users.records[record + userMeta]!;
    const country = random.chance(0.96) ? metaCountry(meta) : countryChoice.draw(random);
    const startMs = drawStartMs(random, {
      fromMs: Math.max(users.records[record + userSignup]!, timeline.sessionsFromMs),
      toMs: Math.min(users.records[record + userCancel]!, lastStartMs),
      offsetMs: offsetsMs[country]!,
    });
    const item = drawItem(catalogue, { random, atMs: startMs });
    const deviceIndex = random.chance(0.65) ? metaDevice(meta) : deviceChoice.draw(random);
    const device = deviceTypes[deviceIndex]!;
    const cap = Math.min(
      planQualityCap[plans[metaPlan(meta)]!],
      deviceQualityCap[device],
      catalogue.itemMaxQuality[item]!,
    );
    const qualityIndex = drawQuality(random, cap);
    const quality = qualities[qualityIndex]!;
    const [minKbps, maxKbps] = bitrateLadder[quality];
    const bitrate = random.int(minKbps, maxKbps);
    const runtime = catalogue.itemRuntimeS[item]!;
    const positionStart = random.chance(resumeShare)
      ? Math.floor(runtime * (resumeFrom[0] + (resumeFrom[1] - resumeFrom[0]) * random.float()))
      : 0;
    const wanted = Math.max(1, Math.round(random.logNormal(watchMedianS, watchSigma)));
    const completed =
      random.chance(finishShare) || positionStart + wanted >= runtime * completionThreshold;
    const watch = completed ? runtime - positionStart : wanted;
    const exitRoll = random.float();
    const exitReason: ExitReason = completed
      ? catalogue.itemHasNext[item] === 1 && exitRoll < 0.6
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
    const lateFix = random.chance(0.02) ? Math.floor(random.float() * 3 * dayMs) : 0;
    const updatedMs = Math.min(
      timeline.referenceMs,
      endedMs + Math.floor(random.exponential(20_000)) + lateFix,
    );
    for (let w = 0; w < 4; w++) ids[w] = random.uint32();
    coverage.usersWatching[user] = 1;
    coverage.titlesWatched[catalogue.itemTitle[item]!] = 1;
    lines
      .uuid(ids, 0)
      .byte(comma)
      .uuid(userIdWords(users.seed, user, userWords), 0)
      .byte(comma)
      .packed(itemIds, item)
      .byte(comma)
      .timestamp(startMs)
      .byte(comma)
      .timestamp(endedMs)
      .byte(comma)
      .int(watch)
      .byte(comma)
      .int(positionStart)
      .byte(comma)
      .int(positionStart + watch)
      .byte(comma)
      .text(deviceBytes[deviceIndex]!)
      .byte(comma)
      .text(random.pick(operatingSystemBytes[deviceIndex]!))
      .byte(comma)
      .text(random.pick(versionBytes))
      .byte(comma)
      .text(countryBytes[country]!)
      .byte(comma)
      .text(qualityBytes[qualityIndex]!)
      .byte(comma)
      .int(bitrate)
      .byte(comma)
      .int(bitrate * 125 * watch)
      .byte(comma)
      .int(startup)
      .byte(comma)
      .int(rebufferCount)
      .byte(comma)
      .int(rebufferMs)
      .byte(comma)
      .text(exitBytes[exitReason])
      .byte(comma)
      .text(offline ? trueBytes : falseBytes)
      .byte(comma)
      .timestamp(updatedMs)
      .byte(newline);
    if (lines.length >= flushBytes) {
      if (sink.appendBytes(lines.bytes, 0, lines.length)) await sink.flush();
      lines.length = 0;
    }
  }
  if (sink.appendBytes(lines.bytes, 0, lines.length)) await sink.flush();
  return coverage;
}

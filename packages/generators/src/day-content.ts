import type { ContentDocument } from '@reelhouse/contracts';

import { buildContentDocument } from './build-content-document.ts';
import { episodeTitleWords, languages } from './datasets/title-words.ts';
import { countAround } from './day-users.ts';
import type { DayWorld } from './day-world.ts';
import { isoDate, isoTimestamp } from './iso-timestamp.ts';
import type { Random } from './random.ts';
import { dayMs } from './timeline.ts';

/** Daily catalogue rates, as shares of the base catalogue's titles. */
export const contentRates = {
  newTitles: 0.001,
  edits: 0.002,
  /** A running series drops its next episode a week after the last one, with this chance a day. */
  nextEpisode: 0.5,
  /** Announced titles withdrawn before release, per day (over the whole catalogue). */
  withdrawals: 0.1,
} as const;

/** One day's catalogue changes: documents to upsert (whole) and ids to delete. */
export interface DayContentEvents {
  readonly documents: ContentDocument[];
  readonly deletes: string[];
  newTitles: number;
  newEpisodes: number;
  edits: number;
}

function clone(document: ContentDocument): ContentDocument {
  return structuredClone(document);
}

function releaseMsOf(document: ContentDocument): number {
  return Date.parse(document.release_date);
}

/** Edits a released title as a catalogue team would: ratings move, a licence gets an end, subtitles are added. */
function edit(document: ContentDocument, random: Random): void {
  const roll = random.float();
  if (roll < 0.5) {
    const internal = document.ratings.internal;
    const votes = 1 + Math.floor(random.exponential(40));
    const avg =
      (internal.avg * internal.count + (1 + random.float() * 4) * votes) / (internal.count + votes);
    document.ratings.internal = { avg: Math.round(avg * 100) / 100, count: internal.count + votes };
  } else if (roll < 0.75 && document.licensing.window_end === null) {
    const startMs = Date.parse(document.licensing.window_start);
    document.licensing.window_end = isoDate(
      Math.max(startMs + 365 * dayMs, Date.parse(document.updated_at) + 90 * dayMs),
    );
  } else {
    const extra = random.pick(languages);
    if (!document.subtitle_languages.includes(extra)) document.subtitle_languages.push(extra);
    else document.is_original = !document.is_original;
  }
}

/**
 * Draws one day's catalogue changes and applies them to the world: new titles (released today),
 * the next episode of running series, edits of kept titles, and withdrawn announced titles.
 */
export function simulateDayContent(
  world: DayWorld,
  random: Random,
  day: { readonly startMs: number },
): DayContentEvents {
  const events: DayContentEvents = {
    documents: [],
    deletes: [],
    newTitles: 0,
    newEpisodes: 0,
    edits: 0,
  };
  const changed = new Map<string, ContentDocument>();
  const at = (): string => isoTimestamp(day.startMs + Math.floor(random.float() * (dayMs - 1000)));
  const kept = [...world.documents.values()];
  // Withdrawals: announced titles (released more than two weeks ahead) never watched by anyone.
  for (let n = countAround(random, contentRates.withdrawals); n > 0 && kept.length > 0; n--) {
    const document = kept[random.int(0, kept.length - 1)]!;
    if (releaseMsOf(document) <= day.startMs + 14 * dayMs || world.deletedTitles.has(document._id))
      continue;
    world.deletedTitles.add(document._id);
    world.documents.delete(document._id);
    events.deletes.push(document._id);
  }
  // The next episode of running series: a week after the last one, into the same season.
  for (const document of kept) {
    if (document.type !== 'series' || world.deletedTitles.has(document._id)) continue;
    const season = document.seasons.at(-1);
    const last = season?.episodes.at(-1);
    if (season === undefined || last === undefined || season.episodes.length >= 16) continue;
    const lastMs = Date.parse(last.release_date);
    if (lastMs > day.startMs - 7 * dayMs || lastMs < day.startMs - 21 * dayMs) continue;
    if (!random.chance(contentRates.nextEpisode)) continue;
    const next = clone(document);
    const nextSeason = next.type === 'series' ? next.seasons.at(-1)! : undefined;
    if (nextSeason === undefined) continue;
    const number = last.episode_number + 1;
    const id = last.episode_id.replace(/e\d+$/, `e${String(number).padStart(2, '0')}`);
    nextSeason.episodes.push({
      episode_id: id,
      episode_number: number,
      title: random.pick(episodeTitleWords),
      runtime_min: last.runtime_min,
      release_date: isoDate(day.startMs),
    });
    next.updated_at = at();
    world.documents.set(next._id, next);
    changed.set(next._id, next);
    world.newItems.push({
      id,
      releaseMs: day.startMs,
      runtimeS: last.runtime_min * 60,
      maxQuality: next.available_qualities.length - 1,
    });
    events.newEpisodes++;
  }
  for (let n = countAround(random, world.baseTitles * contentRates.edits + 0.5); n > 0; n--) {
    const pool = [...world.documents.values()];
    if (pool.length === 0) break;
    const document = clone(pool[random.int(0, pool.length - 1)]!);
    if (releaseMsOf(document) > day.startMs) continue;
    edit(document, random);
    document.updated_at = at();
    world.documents.set(document._id, document);
    changed.set(document._id, document);
    events.edits++;
  }
  for (let n = countAround(random, world.baseTitles * contentRates.newTitles + 0.3); n > 0; n--) {
    const kind = random.chance(0.3) ? 'series' : 'movie';
    const built = buildContentDocument({
      random,
      people: world.people,
      index: world.titleCount,
      kind,
      releaseMs: day.startMs,
    });
    world.titleCount++;
    const document = { ...built.document, updated_at: at() };
    // A new series lands with its first season; later episodes are not out yet.
    if (document.type === 'series') {
      document.seasons = document.seasons.slice(0, 1);
      for (const episode of document.seasons[0]?.episodes ?? [])
        episode.release_date = isoDate(day.startMs);
    }
    world.documents.set(document._id, document);
    changed.set(document._id, document);
    const ids =
      document.type === 'series'
        ? (document.seasons[0]?.episodes ?? []).map((e) => e.episode_id)
        : [document._id];
    for (const item of built.items)
      if (ids.includes(item.id))
        world.newItems.push({
          id: item.id,
          releaseMs: day.startMs,
          runtimeS: item.runtimeS,
          maxQuality: built.maxQuality,
        });
    events.newTitles++;
  }
  events.documents.push(...changed.values());
  return events;
}

import type { ContentDocument } from '@reelhouse/contracts';

import { buildContentDocument } from './build-content-document.ts';
import { releaseBoost, type Catalogue } from './catalogue.ts';
import type { FileSink } from './file-sink.ts';
import { PersonPool } from './person-pool.ts';
import { Random } from './random.ts';
import { dayMs, timeline } from './timeline.ts';
import { WeightedChoice } from './weighted-choice.ts';

/** Zipf exponent of title popularity (industry estimates put it between 0.8 and 1.0). */
export const zipfExponent = 0.9;

function releaseMs(random: Random, index: number): number {
  // Title 0 is always back catalogue, so every session time has at least one released title.
  const roll = index === 0 ? 1 : random.float();
  // 2% announced but not yet released: in the catalogue, never watched.
  if (roll < 0.02) return timeline.referenceMs + random.int(1, 120) * dayMs;
  if (roll < 0.14)
    return (
      timeline.sessionsFromMs +
      Math.floor(random.float() * (timeline.referenceMs - timeline.sessionsFromMs - dayMs))
    );
  const span = timeline.sessionsFromMs - timeline.catalogueFromMs;
  // Catalogues lean recent: most titles are from the last decade.
  return timeline.catalogueFromMs + Math.floor(Math.pow(random.float(), 0.35) * span);
}

/**
 * Writes `content.json` (one document per line inside a JSON array) and returns the compact
 * catalogue the sessions are drawn from. Only per-item scalars stay in memory, never documents.
 */
export async function writeCatalogue(options: {
  readonly sink: Pick<FileSink, 'append' | 'flush'>;
  readonly seed: number;
  readonly titles: number;
  /** Sees each document as written (day batches keep the ones they may change later). */
  readonly onDocument?: (index: number, document: ContentDocument) => void;
}): Promise<Catalogue> {
  const { sink, seed, titles } = options;
  const random = new Random(seed, 'catalogue');
  const ranks = new Random(seed, 'popularity');
  const people = new PersonPool({
    random: new Random(seed, 'people'),
    size: Math.max(60, titles * 2),
  });
  const itemIds: string[] = [];
  const itemRelease: number[] = [];
  const itemRuntime: number[] = [];
  const itemQuality: number[] = [];
  const itemHasNext: number[] = [];
  const itemTitle: number[] = [];
  const titleFirstItem = new Int32Array(titles);
  const titleItemCount = new Int32Array(titles);
  const titleReleaseMs = new Float64Array(titles);
  const titleBoosted = new Uint8Array(titles);
  const counts = { movies: 0, series: 0, episodes: 0 };
  sink.append('[\n');
  for (let index = 0; index < titles; index++) {
    const kind = random.chance(0.3) ? 'series' : 'movie';
    const built = buildContentDocument({
      random,
      people,
      index,
      kind,
      releaseMs: releaseMs(random, index),
    });
    options.onDocument?.(index, built.document);
    const line = JSON.stringify(built.document);
    if (sink.append(index === titles - 1 ? `${line}\n` : `${line},\n`)) await sink.flush();
    titleFirstItem[index] = itemIds.length;
    titleItemCount[index] = built.items.length;
    const firstReleaseMs = built.items[0]?.releaseMs ?? timeline.referenceMs;
    titleReleaseMs[index] = firstReleaseMs;
    titleBoosted[index] = firstReleaseMs >= timeline.sessionsFromMs ? 1 : 0;
    built.items.forEach((item, position) => {
      itemIds.push(item.id);
      itemRelease.push(item.releaseMs);
      itemRuntime.push(item.runtimeS);
      itemQuality.push(built.maxQuality);
      itemHasNext.push(position < built.items.length - 1 ? 1 : 0);
      itemTitle.push(index);
    });
    if (kind === 'movie') counts.movies++;
    else {
      counts.series++;
      counts.episodes += built.items.length;
    }
  }
  sink.append(']\n');
  // Popularity ranks are a shuffle independent of ids, so title 1 is not always the hit.
  const order = Array.from({ length: titles }, (_, i) => i);
  for (let i = titles - 1; i > 0; i--) {
    const j = ranks.int(0, i);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const weights = new Float64Array(titles);
  order.forEach((title, rank) => {
    weights[title] =
      (titleBoosted[title] === 1 ? releaseBoost : 1) / Math.pow(rank + 1, zipfExponent);
  });
  let oldestTitle = 0;
  titleReleaseMs.forEach((ms, title) => {
    if (ms < titleReleaseMs[oldestTitle]!) oldestTitle = title;
  });
  return {
    itemIds,
    itemReleaseMs: Float64Array.from(itemRelease),
    itemRuntimeS: Int32Array.from(itemRuntime),
    itemMaxQuality: Uint8Array.from(itemQuality),
    itemHasNext: Uint8Array.from(itemHasNext),
    itemTitle: Int32Array.from(itemTitle),
    titleFirstItem,
    titleItemCount,
    titleReleaseMs,
    popularity: new WeightedChoice(weights),
    titleBoosted,
    oldestTitle,
    counts,
  };
}

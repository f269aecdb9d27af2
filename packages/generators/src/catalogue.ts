import type { Random } from './random.ts';
import type { WeightedChoice } from './weighted-choice.ts';

/**
 * The compact, in-memory view of the catalogue the session generator samples from: one entry
 * per playable item (a movie or an episode) in typed arrays, titles grouped by index ranges.
 */
export interface Catalogue {
  /** `mov_…` or `ep_…` id per playable item. */
  readonly itemIds: readonly string[];
  readonly itemReleaseMs: Float64Array;
  readonly itemRuntimeS: Int32Array;
  /** Highest quality index (0 SD … 3 UHD) the title is mastered in. */
  readonly itemMaxQuality: Uint8Array;
  /** 1 when another episode of the same series follows this one. */
  readonly itemHasNext: Uint8Array;
  readonly itemTitle: Int32Array;
  /** First playable item of each title; its items are contiguous and in release order. */
  readonly titleFirstItem: Int32Array;
  readonly titleItemCount: Int32Array;
  readonly titleReleaseMs: Float64Array;
  /** Popularity (Zipf weight times the release boost) over titles. */
  readonly popularity: WeightedChoice;
  /** Whether a title's popularity carries the launch boost, which fades after `boostDays`. */
  readonly titleBoosted: Uint8Array;
  /** The earliest-released title: the fallback when every draw is still unreleased. */
  readonly oldestTitle: number;
  readonly counts: { readonly movies: number; readonly series: number; readonly episodes: number };
}

/** Launch boost of titles released inside the session window, and how long it lasts. */
export const releaseBoost = 3;
export const boostDays = 90;
/** Probability of watching the next episode rather than stopping: geometric attrition. */
export const episodeRetention = 0.9;

const attritionLog = Math.log(episodeRetention);

/** Draws the playable item a session at `atMs` plays: popular titles first, released ones only. */
export function drawItem(
  catalogue: Catalogue,
  options: { readonly random: Random; readonly atMs: number },
): number {
  const { random, atMs } = options;
  let title = catalogue.oldestTitle;
  for (let attempt = 0; attempt < 32; attempt++) {
    const candidate = catalogue.popularity.draw(random);
    const releaseMs = catalogue.titleReleaseMs[candidate]!;
    if (releaseMs > atMs) continue;
    // The launch boost applies only while the title is new at the time of the session.
    if (
      catalogue.titleBoosted[candidate] === 1 &&
      atMs - releaseMs > boostDays * 86_400_000 &&
      !random.chance(1 / releaseBoost)
    )
      continue;
    title = candidate;
    break;
  }
  const first = catalogue.titleFirstItem[title]!;
  const count = catalogue.titleItemCount[title]!;
  if (count === 1) return first;
  // Geometric attrition: each further episode keeps `episodeRetention` of the viewers.
  let offset = Math.floor(Math.log(1 - random.float()) / attritionLog);
  if (offset >= count) offset = random.int(0, count - 1);
  while (offset > 0 && catalogue.itemReleaseMs[first + offset]! > atMs) offset--;
  return first + offset;
}

import type { Random } from './random.ts';
import { dayMs, hourMs } from './timeline.ts';
import { WeightedChoice } from './weighted-choice.ts';

/** Relative viewing by local hour of day: a prime-time peak (20:00-22:00) ~3.5x daytime. */
export const hourWeights: readonly number[] = [
  2.0, 1.0, 0.6, 0.4, 0.3, 0.3, 0.5, 0.8, 1.0, 1.1, 1.2, 1.3, 1.5, 1.5, 1.5, 1.6, 1.9, 2.4, 3.2,
  4.0, 4.8, 5.0, 4.2, 3.0,
];

/** Saturdays and Sundays see this many times the viewing of a weekday. */
export const weekendUplift = 1.3;

const hourChoice = new WeightedChoice(hourWeights);

/**
 * Draws a session start inside [fromMs, toMs] (UTC): a local day (weekends favoured), a local
 * hour from the diurnal curve, then back to UTC with the country's offset. Falls back to a
 * uniform time when the window is too short for the curve to fit.
 */
export function drawStartMs(
  random: Random,
  window: { readonly fromMs: number; readonly toMs: number; readonly offsetMs: number },
): number {
  const { fromMs, toMs, offsetMs } = window;
  const firstDay = Math.floor((fromMs + offsetMs) / dayMs);
  const days = Math.floor((toMs + offsetMs) / dayMs) - firstDay + 1;
  for (let attempt = 0; attempt < 12; attempt++) {
    const day = firstDay + Math.floor(random.float() * days);
    // 1970-01-01 was a Thursday: (day + 4) % 7 gives 0 for Sunday, 6 for Saturday.
    const weekday = (day + 4) % 7;
    if (weekday !== 0 && weekday !== 6 && random.float() * weekendUplift > 1) continue;
    const localMs =
      day * dayMs + hourChoice.draw(random) * hourMs + Math.floor(random.float() * hourMs);
    const utcMs = localMs - offsetMs;
    if (utcMs >= fromMs && utcMs <= toMs) return utcMs;
  }
  return fromMs + Math.floor(random.float() * (toMs - fromMs));
}

import type { ContenderResult } from './run-contenders.ts';
import { median } from './statistics.ts';

/** One note line of a contender's sub-timings: `name: part 1.23 s, ...`, largest median first, at most `top` parts. */
export function partNote(contender: ContenderResult, top = 8): string | undefined {
  const parts = Object.entries(contender.parts)
    .filter(([, runs]) => runs.length > 0)
    .map(([part, runs]) => [part, median(runs)] as const)
    .sort((a, b) => b[1] - a[1]);
  if (parts.length === 0) return undefined;
  const shown = parts.slice(0, top).map(([part, ms]) => `${part} ${(ms / 1000).toFixed(2)} s`);
  const rest = parts.length > top ? `, ${parts.length - top} more` : '';
  return `${contender.name}, median per part: ${shown.join(', ')}${rest}`;
}

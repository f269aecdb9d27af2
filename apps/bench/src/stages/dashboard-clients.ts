import {
  acquisitionChannels,
  deviceTypes,
  genders,
  plans,
  qualities,
  regions,
} from '@reelhouse/contracts';

/** Concurrent visitors of the 20-client phase and how long they keep clicking. */
export const concurrentClients = 20;
export const concurrentDurationMs = 60_000;

const presets = ['7d', '30d', '90d', '365d'] as const;
const slicers: readonly (readonly [string, readonly string[]])[] = [
  ['device', deviceTypes],
  ['plan', plans],
  ['region', regions],
  ['quality', qualities],
  ['content_type', ['movie', 'episode']],
  // dim_user's bands (no contract enum); '65+' needs URL escaping, so it is left out here.
  ['age_band', ['18-24', '25-34', '35-44', '45-54', '55-64']],
  ['gender', genders],
  ['acquisition_channel', acquisitionChannels],
];

/**
 * `count` filter sets as slicer clicks make them: a date preset with one slicer, every third one
 * with a second slicer, every fifth with two values of the first (multi-select). Deterministic,
 * and none is the default view or one of the sequential phase's filter sets.
 */
export function variedFilterSets(count: number): string[] {
  const sets: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const [first, firstValues] = slicers[index % slicers.length]!;
    const value = (values: readonly string[], at: number) => values[at % values.length]!;
    const firstPick =
      index % 5 === 0
        ? `${value(firstValues, index)},${value(firstValues, index + 1)}`
        : value(firstValues, index);
    const parts = [`preset=${presets[(index >> 1) % presets.length]}`, `${first}=${firstPick}`];
    if (index % 3 === 0) {
      const [second, secondValues] = slicers[(index + 3) % slicers.length]!;
      parts.push(`${second}=${value(secondValues, index * 7)}`);
    }
    sets.push(parts.join('&'));
  }
  return [...new Set(sets)];
}

export interface ConcurrentTimings {
  /** Milliseconds per panel, answered requests only. */
  readonly byPanel: ReadonlyMap<string, number[]>;
  readonly requests: number;
  readonly failures: readonly string[];
  readonly elapsedMs: number;
}

/**
 * `clients` visitors at once for `durationMs`, each walking the panels under its own sequence of
 * filter sets (a panel request, then the next); requests still running at the end are waited for
 * and counted. Requests/s = answered requests over the whole elapsed time.
 */
export async function measureConcurrentClients(options: {
  request: (panel: string, query: string) => Promise<number>;
  panelIds: readonly string[];
  filterSets: readonly string[];
  clients?: number;
  durationMs?: number;
}): Promise<ConcurrentTimings> {
  const clients = options.clients ?? concurrentClients;
  const durationMs = options.durationMs ?? concurrentDurationMs;
  const byPanel = new Map(options.panelIds.map((id) => [id, [] as number[]]));
  const failures: string[] = [];
  let requests = 0;
  const started = performance.now();
  const client = async (clientIndex: number) => {
    for (let step = 0; performance.now() - started < durationMs; step += 1) {
      const panel = options.panelIds[(clientIndex * 7 + step) % options.panelIds.length]!;
      // Each client moves to its next filter set after a page's worth of panels.
      const query =
        options.filterSets[(clientIndex * 3 + Math.floor(step / 8)) % options.filterSets.length]!;
      try {
        byPanel.get(panel)?.push(await options.request(panel, query));
        requests += 1;
      } catch (error) {
        failures.push(error instanceof Error ? error.message : String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, index) => client(index)));
  return { byPanel, requests, failures, elapsedMs: performance.now() - started };
}

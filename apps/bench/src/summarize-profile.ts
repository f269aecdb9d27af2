import { z } from 'zod';

/** The parts of a V8 `.cpuprofile` (written by `node --cpu-prof`) that self time needs. */
const cpuProfile = z.object({
  nodes: z.array(
    z.object({
      id: z.int(),
      callFrame: z.object({ functionName: z.string(), url: z.string(), lineNumber: z.int() }),
    }),
  ),
  samples: z.array(z.int()),
  timeDeltas: z.array(z.number()),
});

export interface ProfileEntry {
  /** `function (file:line)` (no line when V8 reports line 0, as for tsx-transformed modules), or V8's own labels: `(idle)` is time waiting (on PostgreSQL, the disk), `(garbage collector)`. */
  readonly frame: string;
  readonly selfMs: number;
  readonly share: number;
}

/** Self time per function of a CPU profile, largest first: where a Node child spends its time. */
export function summarizeProfile(profile: unknown, top = 15): ProfileEntry[] {
  const parsed = cpuProfile.parse(profile);
  const frames = new Map<number, string>();
  for (const node of parsed.nodes) {
    const { functionName, url, lineNumber } = node.callFrame;
    const file =
      url === ''
        ? ''
        : ` (${url
            .replace(/^file:\/\//, '')
            .replace(/^.*\/node_modules\/\.pnpm\/[^/]+\/node_modules\//, '')
            .replace(
              /^.*\/(packages|apps)\//,
              '$1/',
            )}${lineNumber > 0 ? `:${lineNumber + 1}` : ''})`;
    frames.set(node.id, `${functionName === '' ? '(anonymous)' : functionName}${file}`);
  }
  const self = new Map<string, number>();
  let total = 0;
  parsed.samples.forEach((id, index) => {
    const delta = (parsed.timeDeltas[index] ?? 0) / 1000;
    total += delta;
    const frame = frames.get(id) ?? '(unknown)';
    self.set(frame, (self.get(frame) ?? 0) + delta);
  });
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([frame, selfMs]) => ({ frame, selfMs, share: total === 0 ? 0 : selfMs / total }));
}

import { createMemoryLogger } from '@reelhouse/core';
import { describe, expect, it } from 'vitest';

import { runContenders, type Contender } from '../src/run-contenders.ts';

function recorder(log: string[]) {
  return (name: string, ms: number, extra: Partial<Contender> = {}): Contender => ({
    name,
    prepare: () => Promise.resolve(void log.push(`${name}:prepare`)),
    measure: () => {
      log.push(`${name}:measure`);
      return Promise.resolve({ ms, maxRssMb: ms / 10, parts: { part: ms / 2 } });
    },
    verify: () => Promise.resolve(void log.push(`${name}:verify`)),
    ...extra,
  });
}

describe('runContenders', () => {
  it('warms every contender up, then interleaves the measured runs, each prepared and verified', async () => {
    const log: string[] = [];
    const contender = recorder(log);
    const results = await runContenders({
      contenders: [contender('a', 10), contender('b', 20)],
      runs: 2,
      warmup: true,
      logger: createMemoryLogger(),
    });
    expect(log.filter((line) => line.endsWith(':measure'))).toEqual([
      'a:measure',
      'b:measure',
      'a:measure',
      'b:measure',
      'a:measure',
      'b:measure',
    ]);
    expect(log.slice(0, 3)).toEqual(['a:prepare', 'a:measure', 'a:verify']);
    expect(results).toEqual([
      { name: 'a', runsMs: [10, 10], maxRssMb: 1, parts: { part: [5, 5] } },
      { name: 'b', runsMs: [20, 20], maxRssMb: 2, parts: { part: [10, 10] } },
    ]);
  });

  it('gives a contender fewer runs and no warm-up when it asks', async () => {
    const log: string[] = [];
    const contender = recorder(log);
    const results = await runContenders({
      contenders: [contender('fast', 1), contender('slow', 30, { runs: 1, warmup: false })],
      runs: 3,
      warmup: true,
      logger: createMemoryLogger(),
    });
    expect(results.map((r) => [r.name, r.runsMs.length])).toEqual([
      ['fast', 3],
      ['slow', 1],
    ]);
    expect(log.filter((line) => line === 'slow:measure')).toHaveLength(1);
  });

  it('fails when a run does not verify, instead of reporting its time', async () => {
    const contender = recorder([])('broken', 1, {
      verify: () => Promise.reject(new Error('0 rows loaded')),
    });
    await expect(
      runContenders({
        contenders: [contender],
        runs: 1,
        warmup: false,
        logger: createMemoryLogger(),
      }),
    ).rejects.toThrow('0 rows loaded');
  });
});

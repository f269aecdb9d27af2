import { describe, expect, it } from 'vitest';

import { retryDelay } from '../src/index.ts';

describe('retryDelay', () => {
  it('doubles per retry from the base delay, half fixed and half jitter', () => {
    const low = (retry: number) =>
      retryDelay({ retry, baseMs: 1000, maxMs: 60_000, random: () => 0 });
    const high = (retry: number) =>
      retryDelay({ retry, baseMs: 1000, maxMs: 60_000, random: () => 0.999_999 });
    expect([1, 2, 3, 4].map(low)).toEqual([500, 1000, 2000, 4000]);
    expect([1, 2, 3, 4].map(high)).toEqual([1000, 2000, 4000, 8000]);
  });

  it('never exceeds the cap', () => {
    expect(retryDelay({ retry: 20, baseMs: 1000, maxMs: 5000, random: () => 0.999_999 })).toBe(
      5000,
    );
    expect(retryDelay({ retry: 20, baseMs: 1000, maxMs: 5000, random: () => 0 })).toBe(2500);
  });
});

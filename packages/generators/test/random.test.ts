import { describe, expect, it } from 'vitest';

import { Random } from '../src/random.ts';
import { WeightedChoice, WeightedOptions } from '../src/weighted-choice.ts';

function draws(random: Random, count: number): number[] {
  return Array.from({ length: count }, () => random.uint32());
}

describe('Random', () => {
  it('repeats the same sequence for the same seed and stream name', () => {
    expect(draws(new Random(42, 'users'), 50)).toEqual(draws(new Random(42, 'users'), 50));
  });

  it('gives independent sequences per seed and per stream name', () => {
    const base = draws(new Random(42, 'users'), 50);
    expect(draws(new Random(43, 'users'), 50)).not.toEqual(base);
    expect(draws(new Random(42, 'sessions'), 50)).not.toEqual(base);
  });

  it('draws uniform floats in [0, 1) and integers within inclusive bounds', () => {
    const random = new Random(1, 'uniform');
    const buckets = new Array<number>(10).fill(0);
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = random.float();
      if (!(x >= 0 && x < 1)) outside++;
      else buckets[Math.floor(x * 10)]! += 1;
    }
    expect(outside).toBe(0);
    for (const bucket of buckets) expect(Math.abs(bucket - 10_000)).toBeLessThan(500);
    const ints = new Set(Array.from({ length: 2_000 }, () => random.int(3, 7)));
    expect([...ints].sort()).toEqual([3, 4, 5, 6, 7]);
  });

  it('draws log-normal values around the requested median', () => {
    const random = new Random(2, 'log-normal');
    const values = Array.from({ length: 20_001 }, () => random.logNormal(780, 1)).sort(
      (a, b) => a - b,
    );
    expect(values[10_000]).toBeGreaterThan(740);
    expect(values[10_000]).toBeLessThan(820);
  });
});

describe('WeightedChoice', () => {
  it('draws indices in proportion to their weights and never a zero weight', () => {
    const choice = new WeightedChoice([5, 0, 3, 2, 0]);
    const random = new Random(3, 'weights');
    const counts = new Array<number>(5).fill(0);
    for (let i = 0; i < 100_000; i++) counts[choice.draw(random)]! += 1;
    expect(counts[1]).toBe(0);
    expect(counts[4]).toBe(0);
    expect(counts[0]! / 100_000).toBeCloseTo(0.5, 1);
    expect(counts[2]! / 100_000).toBeCloseTo(0.3, 1);
    expect(counts[3]! / 100_000).toBeCloseTo(0.2, 1);
  });

  it('rejects negative, non-finite or all-zero weights', () => {
    expect(() => new WeightedChoice([1, -1])).toThrow(RangeError);
    expect(() => new WeightedChoice([1, Number.POSITIVE_INFINITY])).toThrow(RangeError);
    expect(() => new WeightedChoice([0, 0])).toThrow(RangeError);
  });

  it('names the drawn option when built from a record', () => {
    const options = new WeightedOptions({ only: 1, never: 0 });
    const random = new Random(4, 'options');
    expect(new Set(Array.from({ length: 100 }, () => options.draw(random)))).toEqual(
      new Set(['only']),
    );
  });
});

import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';

import { KeyFingerprintSet } from '../src/key-fingerprint-set.ts';
import { fixtureUuid } from './fixtures/source-rows.ts';

describe('KeyFingerprintSet', () => {
  it('hits on every key seen before, through growth and reservation, and on no new key', () => {
    const keys = new KeyFingerprintSet();
    const uuids = Array.from({ length: 200_000 }, () => randomUUID());
    let hits = 0;
    for (const uuid of uuids.slice(0, 100_000)) if (keys.addOrHit(uuid)) hits += 1;
    keys.reserve(400_000);
    for (const uuid of uuids.slice(100_000)) if (keys.addOrHit(uuid)) hits += 1;
    // 64-bit fingerprints of random UUIDs: a collision among 200k keys has odds of about 1e-9.
    expect({ hits, size: keys.size }).toEqual({ hits: 0, size: 200_000 });
    expect([0, 1, 100_000, 199_999].map((n) => keys.addOrHit(uuids[n]!))).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(keys.addOrHit(randomUUID())).toBe(false);
  });

  it('reports a collision of narrow fingerprints as a hit, for the caller to verify', () => {
    const keys = new KeyFingerprintSet({ fingerprintMask: 0x1 });
    const hits = Array.from({ length: 10 }, (_, n) => keys.addOrHit(fixtureUuid('b', n + 1)));
    expect(hits.filter((hit) => !hit).length).toBeLessThanOrEqual(2);
    expect(hits.filter(Boolean).length).toBeGreaterThanOrEqual(8);
  });
});

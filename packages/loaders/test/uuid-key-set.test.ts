import { describe, expect, it } from 'vitest';

import { UuidKeySet } from '../src/uuid-key-set.ts';
import { fixtureUuid } from './fixtures/source-rows.ts';

describe('UuidKeySet', () => {
  it('remembers the first line of every key through growth', () => {
    const keys = new UuidKeySet();
    const count = 100_000;
    let added = 0;
    for (let n = 0; n < count; n += 1) if (keys.addOrGetFirstLine(fixtureUuid('b', n), n + 2) === 0) added += 1;
    expect(added).toBe(count);
    expect(keys.size).toBe(count);
    expect(keys.addOrGetFirstLine(fixtureUuid('b', 0), 999_999)).toBe(2);
    expect(keys.addOrGetFirstLine(fixtureUuid('b', count - 1), 999_999)).toBe(count + 1);
    expect(keys.addOrGetFirstLine(fixtureUuid('a', 0), 5)).toBe(0);
  });
});

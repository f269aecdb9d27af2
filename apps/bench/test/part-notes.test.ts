import { describe, expect, it } from 'vitest';

import { partNote } from '../src/part-notes.ts';

describe('partNote', () => {
  it('lists the median of each part, largest first, and counts the parts left out', () => {
    const contender = {
      name: 'reelhouse buildModels',
      runsMs: [1],
      maxRssMb: 1,
      parts: { dim_user: [800, 900, 700], fact: [3_000, 3_200, 3_100], dim_date: [10, 30, 20] },
    };
    expect(partNote(contender)).toBe(
      'reelhouse buildModels, median per part: fact 3.10 s, dim_user 0.80 s, dim_date 0.02 s',
    );
    expect(partNote(contender, 1)).toBe(
      'reelhouse buildModels, median per part: fact 3.10 s, 2 more',
    );
    expect(partNote({ ...contender, parts: {} })).toBeUndefined();
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { cronSchedule } from '@reelhouse/orchestrator';
import { describe, expect, it } from 'vitest';

import { daysAfterBase, daysBetween } from '../src/logical-dates.ts';
import { pendingIntervals, scheduledRunId } from '../src/scheduled-intervals.ts';

const daily = cronSchedule('0 0 * * *');
const at = (iso: string) => new Date(iso);
const starts = (intervals: { start: Date }[]) => intervals.map((i) => i.start.toISOString());

describe('pendingIntervals', () => {
  it('runs only the latest ended interval without catchup, once', () => {
    const now = at('2026-01-05T10:00:00Z');
    expect(
      starts(pendingIntervals({ cron: daily, now, lastStart: undefined, catchup: false })),
    ).toEqual(['2026-01-04T00:00:00.000Z']);
    expect(
      starts(
        pendingIntervals({
          cron: daily,
          now,
          lastStart: at('2026-01-01T00:00:00Z'),
          catchup: false,
        }),
      ),
    ).toEqual(['2026-01-04T00:00:00.000Z']);
    expect(
      pendingIntervals({ cron: daily, now, lastStart: at('2026-01-04T00:00:00Z'), catchup: false }),
    ).toEqual([]);
  });

  it('with catchup runs every missed interval in order, from the last run or the start date', () => {
    const now = at('2026-01-05T10:00:00Z');
    expect(
      starts(
        pendingIntervals({
          cron: daily,
          now,
          lastStart: at('2026-01-01T00:00:00Z'),
          catchup: true,
        }),
      ),
    ).toEqual(['2026-01-02T00:00:00.000Z', '2026-01-03T00:00:00.000Z', '2026-01-04T00:00:00.000Z']);
    const fromStart = pendingIntervals({
      cron: daily,
      now,
      lastStart: undefined,
      catchup: true,
      startDate: at('2026-01-03T00:00:00Z'),
    });
    expect(starts(fromStart)).toEqual(['2026-01-03T00:00:00.000Z', '2026-01-04T00:00:00.000Z']);
    expect(fromStart[0]!.end.toISOString()).toBe('2026-01-04T00:00:00.000Z');
    expect(scheduledRunId(fromStart[0]!)).toBe('scheduled__2026-01-03T00:00:00.000Z');
  });
});

describe('logical dates', () => {
  it('lists the days of a range and the K days after the base data set', async () => {
    expect(daysBetween('2026-12-30', '2027-01-02')).toEqual([
      '2026-12-30',
      '2026-12-31',
      '2027-01-01',
      '2027-01-02',
    ]);
    expect(() => daysBetween('2026-01-02', '2026-01-01')).toThrow('is before --from');
    const dir = await mkdtemp(join(tmpdir(), 'rh-days-'));
    try {
      await expect(daysAfterBase(dir, 2)).rejects.toThrow('no data set manifest at');
      await writeFile(join(dir, 'manifest.json'), JSON.stringify({ seed: 1 }));
      await expect(daysAfterBase(dir, 2)).rejects.toThrow('has no valid last_day');
      await writeFile(
        join(dir, 'manifest.json'),
        JSON.stringify({ seed: 1, last_day: '2026-02-27' }),
      );
      expect(await daysAfterBase(dir, 3)).toEqual(['2026-02-28', '2026-03-01', '2026-03-02']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

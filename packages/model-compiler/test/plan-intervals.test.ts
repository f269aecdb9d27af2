import { describe, expect, it } from 'vitest';

import { floorToInterval, planIntervals, type TimeRange } from '../src/plan-intervals.ts';

const day = (d: number) => new Date(Date.UTC(2024, 0, d));
const range = (from: number, to: number): TimeRange => ({ start: day(from), end: day(to) });
const iso = (ranges: readonly TimeRange[]) =>
  ranges.map((r) => `${r.start.toISOString().slice(0, 10)}..${r.end.toISOString().slice(0, 10)}`);

describe('planIntervals', () => {
  it('builds everything from the oldest data when the ledger is empty', () => {
    expect(
      iso(
        planIntervals({
          built: [],
          firstStart: new Date('2024-01-02T13:00:00Z'),
          end: new Date('2024-01-05T08:00:00Z'),
          unit: 'day',
          lookback: 0,
        }),
      ),
    ).toEqual(['2024-01-02..2024-01-05']);
  });

  it('builds only the new intervals after the newest built one', () => {
    expect(
      iso(
        planIntervals({
          built: [range(1, 4)],
          firstStart: day(1),
          end: day(6),
          unit: 'day',
          lookback: 0,
        }),
      ),
    ).toEqual(['2024-01-04..2024-01-06']);
  });

  it('finds gaps between built ranges and rebuilds them with the new intervals', () => {
    expect(
      iso(
        planIntervals({
          built: [range(1, 2), range(3, 4), range(6, 7)],
          firstStart: day(1),
          end: day(8),
          unit: 'day',
          lookback: 0,
        }),
      ),
    ).toEqual(['2024-01-02..2024-01-03', '2024-01-04..2024-01-06', '2024-01-07..2024-01-08']);
  });

  it('rebuilds the lookback intervals before the newest built one, merged with the new ones', () => {
    expect(
      iso(
        planIntervals({
          built: [range(1, 5)],
          firstStart: day(1),
          end: day(6),
          unit: 'day',
          lookback: 2,
        }),
      ),
    ).toEqual(['2024-01-03..2024-01-06']);
  });

  it('plans nothing when everything up to the current interval is built', () => {
    expect(
      planIntervals({
        built: [range(1, 5)],
        firstStart: day(1),
        end: new Date('2024-01-05T23:00:00Z'),
        unit: 'day',
        lookback: 0,
      }),
    ).toEqual([]);
  });

  it('floors to UTC hours and days', () => {
    expect(floorToInterval(new Date('2024-03-10T17:45:12Z'), 'hour').toISOString()).toBe(
      '2024-03-10T17:00:00.000Z',
    );
    expect(floorToInterval(new Date('2024-03-10T17:45:12Z'), 'day').toISOString()).toBe(
      '2024-03-10T00:00:00.000Z',
    );
  });
});

import { describe, expect, it } from 'vitest';

import { filtersToSearch, parseDashboardParams, resolveFilters } from '../src/dashboard-filters.ts';

const parse = (query: Record<string, string | string[]>) =>
  parseDashboardParams(
    Object.fromEntries(
      Object.entries(query).map(([key, value]) => [key, Array.isArray(value) ? value : [value]]),
    ),
  );

describe('dashboard URL filters', () => {
  it('defaults to the last 30 days of data', () => {
    const parsed = parse({});
    expect(parsed.ok && resolveFilters(parsed.params, '2026-03-31')).toEqual({
      from: '2026-03-02',
      to: '2026-03-31',
      preset: '30d',
      dimensions: {},
    });
  });

  it('resolves a preset against the newest day and keeps explicit dates over it', () => {
    const preset = parse({ preset: '7d' });
    expect(preset.ok && resolveFilters(preset.params, '2026-03-31')).toMatchObject({
      from: '2026-03-25',
      to: '2026-03-31',
      preset: '7d',
    });
    const explicit = parse({ from: '2026-01-01', to: '2026-01-31', preset: '7d' });
    expect(explicit.ok && resolveFilters(explicit.params, '2026-03-31')).toMatchObject({
      from: '2026-01-01',
      to: '2026-01-31',
      preset: undefined,
    });
  });

  it('splits comma-separated values and treats empty values as unset', () => {
    const parsed = parse({ country: 'US,CA', device: '', plan: 'premium' });
    expect(parsed.ok && resolveFilters(parsed.params, '2026-03-31').dimensions).toEqual({
      country: ['US', 'CA'],
      plan: ['premium'],
    });
  });

  it('names every problem of a bad URL', () => {
    expect(parse({ from: '2026-13-01', country: 'usa', evil: '1', plan: ['a', 'b'] })).toEqual({
      ok: false,
      problems: ['plan: given more than once (use a comma-separated list)'],
    });
    expect(parse({ from: '2026-13-01', country: 'usa', evil: '1' })).toEqual({
      ok: false,
      problems: [
        'from: must be an ISO date (YYYY-MM-DD)',
        'country.0: must be an upper-case ISO country code',
        'Unrecognized key: "evil"',
      ],
    });
  });

  it('writes the URL query a link or export carries, with one filter changed', () => {
    const filters = {
      from: '2026-03-01',
      to: '2026-03-31',
      preset: undefined,
      dimensions: { country: ['US'], device: ['tv'] },
    };
    expect(filtersToSearch(filters)).toBe('from=2026-03-01&to=2026-03-31&country=US&device=tv');
    expect(filtersToSearch(filters, { device: undefined, plan: 'premium' })).toBe(
      'from=2026-03-01&to=2026-03-31&country=US&plan=premium',
    );
  });
});

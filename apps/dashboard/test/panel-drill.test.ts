import { describe, expect, it } from 'vitest';

import {
  filtersToSearch,
  parseDashboardParams,
  resolveFilters,
  type DashboardFilters,
} from '../src/dashboard-filters.ts';
import { panelById } from '../src/panel-definitions.ts';
import { canDrillDown, drilledPanel } from '../src/panel-drill.ts';

const parse = (query: Record<string, string>) =>
  parseDashboardParams(
    Object.fromEntries(Object.entries(query).map(([key, value]) => [key, [value]])),
  );
const filtersOf = (query: Record<string, string>): DashboardFilters => {
  const parsed = parse(query);
  if (!parsed.ok) throw new Error(parsed.problems.join('; '));
  return resolveFilters(parsed.params, '2026-03-31');
};
const usersByRegion = panelById.get('users_by_region')!;
const seriesPanel = panelById.get('series_watch_hours')!;

describe('drill-down state in the URL (issue 14)', () => {
  it('reads a drill path per panel, canonical like a filter value, and writes it back', () => {
    const filters = filtersOf({
      from: '2026-03-01',
      to: '2026-03-31',
      'drill.users_by_region': 'emea',
      'drill.series_watch_hours': 'Harbour Lights/2',
    });
    expect(filters.drill).toEqual({
      users_by_region: ['EMEA'],
      series_watch_hours: ['Harbour Lights', '2'],
    });
    expect(filtersToSearch(filters)).toBe(
      'from=2026-03-01&to=2026-03-31&drill.users_by_region=EMEA&drill.series_watch_hours=Harbour+Lights%2F2',
    );
    expect(filtersToSearch(filters, { 'drill.users_by_region': undefined })).toBe(
      'from=2026-03-01&to=2026-03-31&drill.series_watch_hours=Harbour+Lights%2F2',
    );
  });

  it('refuses unknown panels, members that are not values of their level and paths past the last level', () => {
    const refused = (query: Record<string, string>) => {
      const parsed = parse(query);
      return parsed.ok ? [] : parsed.problems;
    };
    expect(refused({ 'drill.top_titles': 'x' })).toEqual([
      expect.stringContaining('drill.top_titles'),
    ]);
    expect(refused({ 'drill.users_by_region': 'ATLANTIS' })[0]).toMatch(
      /^drill\.users_by_region\.0: unknown region 'ATLANTIS'/,
    );
    expect(refused({ 'drill.users_by_region': 'EMEA/GB' })[0]).toMatch(/at most 1 level/);
    expect(refused({ 'drill.series_watch_hours': "x'; drop table t --/1" })).not.toEqual([]);
    expect(refused({ 'drill.series_watch_hours': 'Orbit Station/one' })[0]).toMatch(
      /^drill\.series_watch_hours\.1:/,
    );
  });

  it('shows the next level of a drilled panel, filtered to the members above it', () => {
    const top = drilledPanel(usersByRegion, filtersOf({}));
    expect(top).toBe(usersByRegion);
    expect(canDrillDown(top)).toBe(true);
    const countries = drilledPanel(usersByRegion, filtersOf({ 'drill.users_by_region': 'EMEA' }));
    expect(countries).toMatchObject({
      dimensions: ['country'],
      filters: { region: ['EMEA'] },
      crossFilter: 'country',
      drillPath: [{ dimension: 'region', member: 'EMEA' }],
    });
    expect(canDrillDown(countries)).toBe(false);
    const episodes = drilledPanel(
      seriesPanel,
      filtersOf({ 'drill.series_watch_hours': 'Orbit Station/1' }),
    );
    expect(episodes).toMatchObject({
      dimensions: ['episode'],
      filters: { content_type: ['episode'], series: ['Orbit Station'], season: ['1'] },
    });
    expect(episodes.crossFilter).toBeUndefined();
    expect(episodes.limit).toBeUndefined();
  });

  it('drops a drill whose member the page filter excludes (that bar is no longer shown)', () => {
    const filters = filtersOf({ region: 'UCAN', 'drill.users_by_region': 'EMEA' });
    expect(drilledPanel(usersByRegion, filters)).toBe(usersByRegion);
    const consistent = filtersOf({ region: 'UCAN,EMEA', 'drill.users_by_region': 'EMEA' });
    expect(drilledPanel(usersByRegion, consistent).dimensions).toEqual(['country']);
  });
});

import { describe, expect, it } from 'vitest';

import { dashboardPages } from '@reelhouse/metrics';

import { pages, panelDefinitions } from '../src/panel-definitions.ts';

describe('the exposures declared in @reelhouse/metrics (issue 15)', () => {
  it('list every page and panel of the dashboard, with the metrics, dimensions, filters and drill levels they read', () => {
    const declared = dashboardPages.flatMap((page) =>
      page.panels.map((panel) => ({
        page: page.id,
        path: page.path,
        id: panel.id,
        title: panel.title,
        metrics: panel.metrics,
        dimensions: panel.dimensions,
        filters: panel.filters ?? [],
        drill: panel.drill ?? [],
      })),
    );
    const shown = panelDefinitions.map((panel) => ({
      page: panel.page,
      path: pages[panel.page].path,
      id: panel.id,
      title: panel.title,
      metrics: panel.metrics,
      dimensions: panel.dimensions,
      filters: Object.keys(panel.filters ?? {}),
      drill: (panel.drill ?? []).map((level) => level.dimension),
    }));
    expect(declared).toEqual(shown);
  });
});

import { readFile } from 'node:fs/promises';

import type { Browser, Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';

import { panelDefinitions, pages } from '../src/index.ts';
import { useDashboardInBrowser } from './browser-harness.ts';

const harness = useDashboardInBrowser('dashboard_browser');
const range = 'from=2026-02-15&to=2026-03-31';
let base: string;
let browser: Browser;
let page: Page;

// The harness opens a fresh page per test (its hook runs first); these tests name them directly.
beforeEach(() => {
  ({ base, browser, page } = harness);
});

/** Series point counts of every chart on the page, read from the live ECharts instances. */
async function chartData(): Promise<Record<string, { canvas: boolean; points: number }>> {
  return page.evaluate(() => {
    const charts = (
      globalThis as unknown as {
        reelhouseCharts: Record<
          string,
          {
            getDom(): { querySelector(selector: string): unknown };
            getOption(): { series: { data: unknown[] }[] };
          }
        >;
      }
    ).reelhouseCharts;
    return Object.fromEntries(
      Object.entries(charts).map(([id, chart]) => [
        id,
        {
          canvas: chart.getDom().querySelector('canvas') !== null,
          points: chart.getOption().series.reduce((sum, series) => sum + series.data.length, 0),
        },
      ]),
    );
  });
}

const kpi = (metric: string) =>
  page.locator(`.kpi[data-metric="${metric}"] .kpi-value`).innerText();

describe('dashboard in a real browser', () => {
  it.each(Object.entries(pages))('%s renders every chart with data', async (id, definition) => {
    await page.goto(`${base}${definition.path}?${range}`, { waitUntil: 'networkidle' });
    const expected = panelDefinitions
      .filter((panel) => panel.page === id && panel.chart !== 'kpi')
      .map((panel) => panel.id);
    const charts = await chartData();
    expect(Object.keys(charts).sort()).toEqual([...expected].sort());
    for (const [chart, data] of Object.entries(charts)) {
      expect(data.canvas, chart).toBe(true);
      expect(data.points, chart).toBeGreaterThan(0);
    }
  });

  it('updates the numbers and the URL when a filter changes', async () => {
    await page.goto(`${base}/?${range}`, { waitUntil: 'networkidle' });
    const before = await kpi('sessions');
    await Promise.all([
      page.waitForURL(/device=mobile/),
      page.selectOption('select[name="device"]', 'mobile'),
    ]);
    await page.waitForLoadState('networkidle');
    expect(new URL(page.url()).searchParams.get('device')).toBe('mobile');
    const after = await kpi('sessions');
    expect(after).not.toBe(before);
    const api = (await (
      await fetch(`${base}/api/panels/kpi_engagement?${range}&device=mobile`)
    ).json()) as { rows: { values: { sessions: { current: number } } }[] };
    expect(after.replace(/,/g, '')).toBe(String(api.rows[0]?.values.sessions.current));
  });

  it('cross-filters the page when a bar is Shift-clicked (a plain click drills: issue 14)', async () => {
    await page.goto(`${base}/?${range}`, { waitUntil: 'networkidle' });
    // The middle of the first bar of the current period, from ECharts' own layout of the series.
    const target = await page.evaluate(() => {
      interface Chart {
        getModel(): {
          getSeriesByIndex(index: number): {
            getData(): {
              getItemLayout(index: number): { x: number; y: number; width: number; height: number };
            };
          };
        };
        getOption(): { xAxis: { data: string[] }[] };
      }
      const chart = (globalThis as unknown as { reelhouseCharts: Record<string, Chart> })
        .reelhouseCharts['sessions_by_region']!;
      const bar = chart.getModel().getSeriesByIndex(0).getData().getItemLayout(0);
      return {
        x: bar.x + bar.width / 2,
        y: bar.y + bar.height / 2,
        region: chart.getOption().xAxis[0]!.data[0]!,
      };
    });
    await page.locator('#chart-sessions_by_region').scrollIntoViewIfNeeded();
    const box = (await page.locator('#chart-sessions_by_region').boundingBox())!;
    await page.keyboard.down('Shift');
    await Promise.all([
      page.waitForURL(/region=/),
      page.mouse.click(box.x + target.x, box.y + target.y),
    ]);
    await page.keyboard.up('Shift');
    await page.waitForLoadState('networkidle');
    expect(new URL(page.url()).searchParams.get('region')).toBe(target.region);
    await expect(page.locator('.chip').first().innerText()).resolves.toContain(
      `Region: ${target.region}`,
    );
    const regions = await page.evaluate(
      () =>
        (
          globalThis as unknown as {
            reelhouseCharts: Record<string, { getOption(): { xAxis: { data: string[] }[] } }>;
          }
        ).reelhouseCharts['sessions_by_region']!.getOption().xAxis[0]!.data,
    );
    expect(regions).toEqual([target.region]);
  });

  it('downloads a panel as CSV with its rows and filters', async () => {
    await page.goto(`${base}/sessions?${range}&plan=premium`, { waitUntil: 'networkidle' });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-export="device_mix"]'),
    ]);
    expect(download.suggestedFilename()).toBe(
      'reelhouse-device_mix-2026-02-15_2026-03-31-plan-premium.csv',
    );
    const text = await readFile(await download.path(), 'utf8');
    const api = (await (
      await fetch(`${base}/api/panels/device_mix?${range}&plan=premium`)
    ).json()) as {
      rows: { dimensions: { device: string }; values: { sessions: { current: number } } }[];
    };
    const lines = text.trim().split('\n');
    expect(lines[0]).toBe('device,sessions,sessions_previous');
    const rows = lines.slice(1);
    expect(rows.map((line) => line.split(',').slice(0, 2).join(','))).toEqual(
      api.rows.map((row) => `${row.dimensions.device},${row.values.sessions.current}`),
    );
  });

  it('shows an empty state, not an error, for a range before the data (issue 14)', async () => {
    await page.goto(`${base}/sessions?from=2020-01-01&to=2020-01-31`, { waitUntil: 'networkidle' });
    await expect(page.locator('.empty-state h1').innerText()).resolves.toBe(
      'No data in this range',
    );
    const href = await page.locator('.empty-state a').getAttribute('href');
    expect(href).toBe('/sessions?from=2026-03-02&to=2026-03-31');
    await page.goto(`${base}${href}`, { waitUntil: 'networkidle' });
    expect(Object.keys(await chartData()).length).toBeGreaterThan(3);
  });

  it('labels codes as words and never repeats a ratio axis label (issue 14)', async () => {
    await page.goto(`${base}/sessions?${range}`, { waitUntil: 'networkidle' });
    const labels = await page.evaluate(() => {
      interface Chart {
        getModel(): {
          getComponent(
            kind: string,
            index: number,
          ): { axis: { getViewLabels(): { formattedLabel: string }[] } };
        };
      }
      const charts = (globalThis as unknown as { reelhouseCharts: Record<string, Chart> })
        .reelhouseCharts;
      const view = (id: string, kind: string) =>
        charts[id]!.getModel()
          .getComponent(kind, 0)
          .axis.getViewLabels()
          .map((label) => label.formattedLabel);
      return {
        ratio: view('rebuffering_over_time', 'yAxis'),
        devices: view('rebuffering_by_device', 'xAxis'),
      };
    });
    expect(labels.ratio.length).toBeGreaterThan(2);
    expect(new Set(labels.ratio).size).toBe(labels.ratio.length);
    expect(labels.devices).toContain('Smart TV');
  });

  it('keeps every tab reachable and legends off the charts at phone width (issue 14)', async () => {
    const phone = await browser.newPage({
      viewport: { width: 390, height: 844 },
      reducedMotion: 'reduce',
    });
    try {
      await phone.goto(`${base}/?${range}`, { waitUntil: 'networkidle' });
      const sessions = phone.locator('nav a', { hasText: 'Sessions' });
      const box = (await sessions.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
      await Promise.all([phone.waitForURL(/\/sessions/), sessions.click()]);
      await phone.waitForLoadState('networkidle');
      // Each legend's drawn box against its chart's plot area (or pie), from ECharts' own layout.
      const overlaps = await phone.evaluate(() => {
        interface Rect {
          x: number;
          y: number;
          width: number;
          height: number;
          applyTransform(m: unknown): void;
          intersect(other: Rect): boolean;
        }
        interface Chart {
          getViewOfComponentModel(model: unknown): {
            group: { getBoundingRect(): Rect; updateTransform(): void; transform: unknown };
          };
          getViewOfSeriesModel(model: unknown): {
            group: { getBoundingRect(): Rect; updateTransform(): void; transform: unknown };
          };
          getModel(): {
            getComponent(kind: string, index: number): unknown;
            getSeriesByIndex(index: number): unknown;
          };
        }
        const charts = (globalThis as unknown as { reelhouseCharts: Record<string, Chart> })
          .reelhouseCharts;
        const found: string[] = [];
        for (const [id, chart] of Object.entries(charts)) {
          const legendModel = chart.getModel().getComponent('legend', 0);
          if (legendModel === undefined || legendModel === null) continue;
          const legend = chart.getViewOfComponentModel(legendModel).group;
          legend.updateTransform();
          const legendRect = (legend.getBoundingRect() as Rect & { clone(): Rect }).clone();
          if (legend.transform) legendRect.applyTransform(legend.transform);
          // The plot area of a cartesian chart; a pie's own drawn shape otherwise.
          const grid = chart.getModel().getComponent('grid', 0) as
            { coordinateSystem?: { getRect(): Rect } } | undefined;
          let plotRect: Rect;
          if (grid?.coordinateSystem !== undefined) plotRect = grid.coordinateSystem.getRect();
          else {
            const series = chart.getViewOfSeriesModel(chart.getModel().getSeriesByIndex(0)).group;
            series.updateTransform();
            plotRect = (series.getBoundingRect() as Rect & { clone(): Rect }).clone();
            if (series.transform) plotRect.applyTransform(series.transform);
          }
          if (legendRect.width > 0 && legendRect.intersect(plotRect)) found.push(id);
        }
        return found;
      });
      expect(overlaps).toEqual([]);
    } finally {
      await phone.close();
    }
  });

  it('filters by several values of a slicer at once (issue 14)', async () => {
    await page.goto(`${base}/?${range}`, { waitUntil: 'networkidle' });
    for (const slicer of [
      'genre',
      'content_type',
      'age_band',
      'gender',
      'quality',
      'acquisition_channel',
    ])
      expect(await page.locator(`select[name="${slicer}"] option`).count(), slicer).toBeGreaterThan(
        1,
      );
    await Promise.all([
      page.waitForURL(/device=mobile%2Ctablet|device=mobile,tablet/),
      page.selectOption('select[name="device"]', ['mobile', 'tablet']),
    ]);
    await page.waitForLoadState('networkidle');
    expect(new URL(page.url()).searchParams.get('device')).toBe('mobile,tablet');
    const api = (await (
      await fetch(`${base}/api/panels/kpi_engagement?${range}&device=mobile,tablet`)
    ).json()) as { rows: { values: { sessions: { current: number } } }[] };
    expect((await kpi('sessions')).replace(/,/g, '')).toBe(
      String(api.rows[0]?.values.sessions.current),
    );
    const picked = await page.locator('select[name="device"] option:checked').allTextContents();
    expect(picked.map((text) => text.trim())).toEqual(['mobile', 'tablet']);
  });
});

import type { AddressInfo } from 'node:net';

import { serve, type ServerType } from '@hono/node-server';
import { buildTrustedFixture, closeKysely, insertTrustedFixture } from '@reelhouse/metrics/testing';
import { usePostgresDatabase } from '@reelhouse/services/testing';
import { createKysely, createPool, type TrustedSchema } from '@reelhouse/warehouse';
import type { Kysely } from 'kysely';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';

import { createDashboardApp } from '../src/index.ts';

/** What a browser test reads: the fixture warehouse, the server's base URL and a fresh page per test. */
export interface BrowserHarness {
  readonly db: Kysely<TrustedSchema>;
  readonly base: string;
  readonly browser: Browser;
  readonly page: Page;
}

/**
 * The dashboard over the trusted fixture on a free loopback port, and headless Debian Chromium
 * (`/usr/bin/chromium`) opening one page per test; any console error, failed request or HTTP error
 * fails the test.
 */
export function useDashboardInBrowser(name: string): BrowserHarness {
  const pg = usePostgresDatabase(name);
  const state: Partial<{ -readonly [K in keyof BrowserHarness]: BrowserHarness[K] }> = {};
  let server: ServerType;
  let problems: string[] = [];

  beforeAll(async () => {
    state.db = createKysely<TrustedSchema>(createPool({ url: pg.url, max: 4 }));
    await insertTrustedFixture(state.db, buildTrustedFixture());
    const app = await createDashboardApp({ db: state.db });
    server = await new Promise<ServerType>((resolve) => {
      const started = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
        resolve(started),
      );
    });
    state.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    state.browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });

  afterAll(async () => {
    await state.browser?.close();
    await new Promise((resolve) => server.close(resolve));
    if (state.db !== undefined) await closeKysely(state.db, pg);
  });

  beforeEach(async () => {
    problems = [];
    // Reduced motion: charts draw at once, so a click lands on the bar's final shape.
    const page = await state.browser!.newPage({
      viewport: { width: 1440, height: 900 },
      reducedMotion: 'reduce',
    });
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning')
        problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('requestfailed', (request) =>
      problems.push(`request failed: ${request.url()} ${request.failure()?.errorText ?? ''}`),
    );
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
    });
    state.page = page;
  });

  afterEach(async () => {
    await state.page?.close();
    expect(problems).toEqual([]);
  });

  return {
    get db() {
      return state.db!;
    },
    get base() {
      return state.base!;
    },
    get browser() {
      return state.browser!;
    },
    get page() {
      return state.page!;
    },
  };
}

/** A chart's category labels and first-series values, read from its live ECharts instance. */
export async function chartCategories(
  page: Page,
  id: string,
): Promise<{ categories: string[]; values: (number | null)[] }> {
  return page.evaluate((chartId) => {
    interface Chart {
      getOption(): {
        xAxis: { type: string; data?: string[] }[];
        yAxis: { type: string; data?: string[] }[];
        series: { data: (number | { value: number | null } | null)[] }[];
      };
    }
    const chart = (globalThis as unknown as { reelhouseCharts: Record<string, Chart> })
      .reelhouseCharts[chartId]!;
    const option = chart.getOption();
    const axis = [...option.xAxis, ...option.yAxis].find((entry) => entry.type === 'category')!;
    return {
      categories: axis.data ?? [],
      values: option.series[0]!.data.map((point) =>
        point !== null && typeof point === 'object' ? point.value : point,
      ),
    };
  }, id);
}

/** Clicks the middle of the bar of `category` (first series), from ECharts' own layout of it. */
export async function clickBar(
  page: Page,
  options: { chart: string; category: string; modifiers?: readonly ('Shift' | 'Control')[] },
): Promise<void> {
  const target = await page.evaluate(
    ({ chartId, category }) => {
      interface Chart {
        getModel(): {
          getSeriesByIndex(index: number): {
            getData(): {
              getItemLayout(index: number): { x: number; y: number; width: number; height: number };
            };
          };
        };
        getOption(): {
          xAxis: { type: string; data?: string[] }[];
          yAxis: { type: string; data?: string[] }[];
        };
      }
      const chart = (globalThis as unknown as { reelhouseCharts: Record<string, Chart> })
        .reelhouseCharts[chartId]!;
      const option = chart.getOption();
      const axis = [...option.xAxis, ...option.yAxis].find((entry) => entry.type === 'category')!;
      const index = (axis.data ?? []).indexOf(category);
      if (index < 0) throw new Error(`no bar '${category}' in ${chartId}`);
      const bar = chart.getModel().getSeriesByIndex(0).getData().getItemLayout(index);
      return { x: bar.x + bar.width / 2, y: bar.y + bar.height / 2 };
    },
    { chartId: options.chart, category: options.category },
  );
  const element = page.locator(`#chart-${options.chart}`);
  await element.scrollIntoViewIfNeeded();
  const box = (await element.boundingBox())!;
  for (const key of options.modifiers ?? []) await page.keyboard.down(key);
  await page.mouse.click(box.x + target.x, box.y + target.y);
  for (const key of options.modifiers ?? []) await page.keyboard.up(key);
}

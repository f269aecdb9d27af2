import { mkdir } from 'node:fs/promises';
import { parseArgs } from 'node:util';

import { loadConfig } from '@reelhouse/config';
import { chromium } from 'playwright-core';

import { pages } from './panel-definitions.ts';

// `pnpm --filter @reelhouse/dashboard screenshots [--url http://localhost:3000] [--out docs/screenshots] [--query from=...&to=...]`
// takes one PNG per page of a running dashboard, after every chart has drawn.
const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    out: {
      type: 'string',
      default: new URL('../../../docs/screenshots/', import.meta.url).pathname,
    },
    query: { type: 'string', default: '' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
  },
});
const base = values.url ?? `http://localhost:${loadConfig().port}`;
await mkdir(values.out, { recursive: true });
const browser = await chromium.launch({
  executablePath: values.chromium,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  const page = await browser.newPage({
    viewport: { width: 1440, height: 900 },
    deviceScaleFactor: 1,
    // Charts then draw without animation: the picture is complete once the page has loaded.
    reducedMotion: 'reduce',
  });
  for (const [id, definition] of Object.entries(pages)) {
    await page.goto(`${base}${definition.path}${values.query === '' ? '' : `?${values.query}`}`, {
      waitUntil: 'networkidle',
    });
    // A short pause for the canvas to paint after the scripts ran.
    await page
      .waitForFunction(() => 'reelhouseCharts' in globalThis, undefined, { timeout: 10_000 })
      .catch(() => undefined);
    await page.waitForTimeout(300);
    const file = `${values.out.replace(/\/$/, '')}/${id}.png`;
    await page.screenshot({ path: file, fullPage: true });
    process.stdout.write(`${file}\n`);
  }
} finally {
  await browser.close();
}

import { readFile } from 'node:fs/promises';

import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';

import { useDashboardInBrowser } from './browser-harness.ts';

const harness = useDashboardInBrowser('dashboard_png_browser');
const range = 'from=2026-02-15&to=2026-03-31';
const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

interface DecodedPng {
  readonly width: number;
  readonly height: number;
  readonly chunks: readonly string[];
  readonly text: Readonly<Record<string, string>>;
}

/** Walks the PNG's chunks: IHDR's size, the chunk order, and the iTXt entries as UTF-8. */
function readPng(bytes: Buffer): DecodedPng {
  expect(bytes.subarray(0, 8).equals(signature)).toBe(true);
  const chunks: string[] = [];
  const text: Record<string, string> = {};
  let width = 0;
  let height = 0;
  for (let offset = 8; offset < bytes.length;) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    const data = bytes.subarray(offset + 8, offset + 8 + length);
    chunks.push(type);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
    }
    if (type === 'iTXt') {
      const keyword = data.toString('latin1', 0, data.indexOf(0));
      // keyword NUL, compression flag and method, empty language NUL, empty translation NUL.
      text[keyword] = data.toString('utf8', keyword.length + 5);
    }
    offset += 12 + length;
  }
  return { width, height, chunks, text };
}

async function downloadPng(page: Page, panel: string) {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.click(`[data-png="${panel}"]`),
  ]);
  const bytes = await readFile(await download.path());
  return { name: download.suggestedFilename(), bytes, png: readPng(bytes) };
}

/** Dark pixels per band of rows, decoded by the browser's own PNG decoder. */
async function inkByBand(
  page: Page,
  bytes: Buffer,
  bands: readonly { from: number; to: number }[],
): Promise<number[]> {
  return page.evaluate(
    async ({ base64, rows }) => {
      interface Canvas {
        width: number;
        height: number;
        getContext(
          kind: '2d',
          options: { willReadFrequently: boolean },
        ): {
          drawImage(image: unknown, x: number, y: number): void;
          getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
        };
      }
      // The test's TypeScript has no DOM library: the page's globals, typed as far as used here.
      const page = globalThis as unknown as {
        Image: new () => { src: string; width: number; height: number; decode(): Promise<void> };
        document: { createElement(tag: 'canvas'): Canvas };
      };
      const image = new page.Image();
      image.src = `data:image/png;base64,${base64}`;
      await image.decode();
      const canvas = page.document.createElement('canvas');
      canvas.width = image.width;
      canvas.height = image.height;
      const context = canvas.getContext('2d', { willReadFrequently: true });
      context.drawImage(image, 0, 0);
      return rows.map(({ from, to }) => {
        const pixels = context.getImageData(0, from, image.width, to - from).data;
        let dark = 0;
        for (let index = 0; index < pixels.length; index += 4)
          if (pixels[index]! + pixels[index + 1]! + pixels[index + 2]! < 384) dark += 1;
        return dark;
      });
    },
    { base64: bytes.toString('base64'), rows: bands },
  );
}

describe('PNG export of a panel with its filters written on it (issue 14)', () => {
  it('downloads the chart with a title and a caption naming the range and the filters', async () => {
    const { page, base } = harness;
    await page.goto(`${base}/users?${range}&device=mobile,tablet`, { waitUntil: 'networkidle' });
    const chart = (await page.locator('#chart-users_by_region').boundingBox())!;
    const { name, bytes, png } = await downloadPng(page, 'users_by_region');
    expect(name).toBe('reelhouse-users_by_region-2026-02-15_2026-03-31-device-mobile+tablet.png');
    expect(png.chunks[0]).toBe('IHDR');
    expect(png.chunks.at(-1)).toBe('IEND');
    expect(png.chunks).toContain('IDAT');
    // The chart at twice its CSS size, with room above for the title and below for the caption.
    expect(png.width).toBe(Math.round(chart.width) * 2);
    expect(png.height).toBeGreaterThan(Math.round(chart.height) * 2 + 100);
    expect(png.height).toBeLessThan(Math.round(chart.height) * 2 + 400);
    expect(png.text['Title']).toBe('Active users by region');
    expect(png.text['Description']).toBe(
      [
        'Active users by region',
        '2026-02-15 to 2026-03-31',
        'Filters: Device: mobile, tablet',
      ].join('\n'),
    );
    // The same caption is on the page, next to the chart it describes.
    await expect(page.locator('[data-caption="users_by_region"]').textContent()).resolves.toContain(
      'Filters: Device: mobile, tablet',
    );
    // Title band, chart, caption band: each holds drawn text or marks, not a blank strip.
    const top = 80;
    const chartBottom = top + Math.round(chart.height) * 2;
    const [title, plot, caption] = await inkByBand(page, bytes, [
      { from: 0, to: top },
      { from: top, to: chartBottom },
      { from: chartBottom, to: png.height },
    ]);
    expect(title).toBeGreaterThan(200);
    expect(plot).toBeGreaterThan(1000);
    expect(caption).toBeGreaterThan(400);
  });

  it('gives another image, name and caption when the filters or the drill level differ', async () => {
    const { page, base } = harness;
    await page.goto(`${base}/users?${range}`, { waitUntil: 'networkidle' });
    const plain = await downloadPng(page, 'users_by_region');
    await page.goto(`${base}/users?${range}&plan=premium`, { waitUntil: 'networkidle' });
    const filtered = await downloadPng(page, 'users_by_region');
    await page.goto(`${base}/users?${range}&plan=premium&drill.users_by_region=EMEA`, {
      waitUntil: 'networkidle',
    });
    const drilled = await downloadPng(page, 'users_by_region');

    expect(plain.name).toBe('reelhouse-users_by_region-2026-02-15_2026-03-31.png');
    expect(filtered.name).toBe('reelhouse-users_by_region-2026-02-15_2026-03-31-plan-premium.png');
    expect(drilled.name).toBe(
      'reelhouse-users_by_region-2026-02-15_2026-03-31-region-EMEA-plan-premium.png',
    );
    expect(plain.png.text['Description']).toContain('No filters');
    expect(filtered.png.text['Description']).toContain('Filters: Plan: premium');
    expect(drilled.png.text['Title']).toBe('Active users by region › Region EMEA');
    expect(plain.bytes.equals(filtered.bytes)).toBe(false);
    expect(filtered.bytes.equals(drilled.bytes)).toBe(false);
    // The caption band itself differs, not only the metadata.
    const captionOf = async (download: typeof plain) => {
      const [ink] = await inkByBand(page, download.bytes, [
        { from: download.png.height - 60, to: download.png.height },
      ]);
      return ink;
    };
    expect(await captionOf(plain)).not.toBe(await captionOf(filtered));
  });
});

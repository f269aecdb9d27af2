import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

/** A file served from memory: read once, sent with a long cache lifetime. */
export interface StaticAsset {
  readonly body: string;
  readonly contentType: string;
}

const require = createRequire(import.meta.url);
const assetsDir = new URL('../assets/', import.meta.url);

/** Loads the dashboard's own scripts and style sheet, and ECharts from node_modules (no CDN). */
export async function loadStaticAssets(): Promise<ReadonlyMap<string, StaticAsset>> {
  const [echarts, script, png, style] = await Promise.all([
    readFile(require.resolve('echarts/dist/echarts.min.js'), 'utf8'),
    readFile(new URL('dashboard.js', assetsDir), 'utf8'),
    readFile(new URL('panel-png.js', assetsDir), 'utf8'),
    readFile(new URL('dashboard.css', assetsDir), 'utf8'),
  ]);
  return new Map([
    ['echarts.min.js', { body: echarts, contentType: 'text/javascript; charset=utf-8' }],
    ['dashboard.js', { body: script, contentType: 'text/javascript; charset=utf-8' }],
    ['panel-png.js', { body: png, contentType: 'text/javascript; charset=utf-8' }],
    ['dashboard.css', { body: style, contentType: 'text/css; charset=utf-8' }],
  ]);
}

import { ReelhouseError, silentLogger, type Logger } from '@reelhouse/core';
import {
  compileMetricQuery,
  dimensionNames,
  dimensionVocabularies,
  parseMetricQuery,
  runMetricQuery,
  type DimensionName,
} from '@reelhouse/metrics';
import type { TrustedSchema } from '@reelhouse/warehouse';
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Kysely } from 'kysely';

import type { ImportedWarehouses } from './imported-warehouses.ts';
import {
  filterDimensions,
  parseDashboardParams,
  rangeProblem,
  resolveFilters,
} from './dashboard-filters.ts';
import { createDataStatusReader } from './data-status.ts';
import { createPanelCache, type PanelCache } from './panel-cache.ts';
import { panelCsv } from './panel-csv.ts';
import { panelById, panelDefinitions, pages, type PageId } from './panel-definitions.ts';
import { drilledPanel } from './panel-drill.ts';
import { panelFileName } from './panel-export.ts';
import {
  renderBadRequest,
  renderEmptyState,
  renderLayout,
  renderPanels,
  renderRangeWithoutData,
  type FilterOptions,
} from './render-page.ts';
import { runPanel, type PanelAnswer, type PanelFailure } from './run-panel.ts';
import { dashboardAuthMiddleware, dashboardSecureHeaders, type DashboardAuth } from './security.ts';
import { loadStaticAssets } from './static-assets.ts';
import type { TrustedChanges } from './trusted-changes.ts';
import { warmUpOnNewLoad } from './warm-up.ts';

export interface DashboardAppOptions {
  /** A Kysely instance over the warehouse, ideally connected as `reelhouse_dashboard`. */
  readonly db: Kysely<TrustedSchema>;
  readonly logger?: Logger;
  readonly cache?: PanelCache;
  /** Re-grants SELECT on trusted to the dashboard's role (a first build adds tables without it). */
  readonly repairGrants?: () => Promise<void>;
  /** Fill the cache with every panel's default view when a new load appears (the server does). */
  readonly warmUp?: boolean;
  /** Credentials every request must carry; none means open (the server binds loopback then). */
  readonly auth?: DashboardAuth;
  /**
   * A Kysely of its own connection for the load-key reads (default `db`): cached answers then
   * never wait for a pool connection that uncached panel queries hold.
   */
  readonly statusDb?: Kysely<TrustedSchema>;
  /** Publishes announced by model builds: the catalog is read only after one (or once a second). */
  readonly changes?: TrustedChanges;
  /**
   * Answer panels from an in-memory copy of each load (imported in the background; the warehouse
   * answers until it is ready).
   */
  readonly imported?: ImportedWarehouses;
}

const listParam = (value: string | undefined) =>
  value === undefined || value === '' ? undefined : value.split(',').map((item) => item.trim());

function periodOf(outcomes: readonly (PanelAnswer | PanelFailure)[]): string {
  const answer = outcomes.find((outcome): outcome is PanelAnswer => 'result' in outcome);
  return answer === undefined
    ? '–'
    : `${answer.result.period.previousFrom} to ${answer.result.period.previousTo}`;
}

/** The dashboard as a Hono app: pages, panel APIs (JSON and CSV), the generic metric API and assets. */
export async function createDashboardApp(options: DashboardAppOptions): Promise<Hono> {
  const { db } = options;
  const logger = options.logger ?? silentLogger;
  const cache = options.cache ?? createPanelCache();
  const readCatalog = createDataStatusReader(options.statusDb ?? db, {
    ...(options.repairGrants === undefined ? {} : { repairGrants: options.repairGrants }),
    ...(options.changes === undefined ? {} : { changes: options.changes }),
  });
  const imported = options.imported;
  const readStatus =
    options.warmUp === true
      ? warmUpOnNewLoad({ readStatus: readCatalog, db, cache, logger, imported })
      : readCatalog;
  const assets = await loadStaticAssets();
  const app = new Hono();
  app.use(dashboardSecureHeaders);
  const auth = options.auth === undefined ? undefined : dashboardAuthMiddleware(options.auth);
  if (auth !== undefined) app.use(auth);

  app.onError((error, c) => {
    // Refusals raised by middleware (401 from authentication) keep their own response.
    if (error instanceof HTTPException) return error.getResponse();
    logger.error(
      { err: error instanceof Error ? error.message : String(error), path: c.req.path },
      'request failed',
    );
    return c.json(
      { error: 'internal', message: 'The dashboard failed to answer; see the server log.' },
      500,
    );
  });

  app.get('/assets/:name', (c) => {
    const asset = assets.get(c.req.param('name'));
    if (asset === undefined) return c.notFound();
    return c.body(asset.body, 200, {
      'content-type': asset.contentType,
      'cache-control': 'public, max-age=3600',
    });
  });

  app.get('/healthz', async (c) =>
    c.json({ ok: true, data: await readStatus(), inMemory: imported?.state ?? 'off' }),
  );

  /**
   * Values offered by the slicers: a closed vocabulary straight from the contracts (no SQL), the
   * others (country, genre, age band) from the data, cached per load.
   */
  async function filterOptions(
    loadKey: string,
    range: { firstDay: string; latestDay: string },
  ): Promise<FilterOptions> {
    const fromData = [
      ['country', 'sessions'],
      ['genre', 'sessions'],
      ['age_band', 'users'],
    ] as const;
    const entries = await Promise.all(
      fromData.map(async ([dimension, metric]) => {
        const query = parseMetricQuery({
          metrics: [metric],
          dimensions: [dimension],
          // Every value the data holds, whatever range is shown: a range outside it still offers them.
          from: range.firstDay,
          to: range.latestDay,
          limit: 300,
        });
        const result = await cache.get({
          loadKey,
          key: `options:${JSON.stringify(query)}`,
          compute: () => runMetricQuery(db, query),
        });
        return [
          dimension,
          result.rows.map((row) => String(row.dimensions[dimension])).sort(),
        ] as const;
      }),
    );
    const closed = filterDimensions.flatMap((dimension) => {
      const vocabulary = dimensionVocabularies[dimension];
      return vocabulary === undefined
        ? []
        : [[dimension, vocabulary.filter((value) => value !== 'unknown')] as const];
    });
    return Object.fromEntries([...closed, ...entries]);
  }

  async function page(c: Context, id: PageId): Promise<Response> {
    const started = performance.now();
    const params = parseDashboardParams(c.req.queries());
    if (!params.ok)
      return c.html(
        renderLayout({
          page: id,
          title: 'Invalid filters',
          filters: undefined,
          filterOptions: {},
          body: renderBadRequest(params.problems),
        }),
        400,
      );
    const status = await readStatus();
    if (!status.ready)
      return c.html(
        renderLayout({
          page: id,
          title: pages[id].title,
          filters: undefined,
          filterOptions: {},
          body: renderEmptyState(status.reason),
        }),
      );
    const filters = resolveFilters(params.params, status.latestDay);
    const tooLong = rangeProblem(filters);
    if (tooLong !== undefined)
      return c.html(
        renderLayout({
          page: id,
          title: 'Invalid filters',
          filters: undefined,
          filterOptions: {},
          body: renderBadRequest([tooLong]),
        }),
        400,
      );
    if (filters.to < status.firstDay || filters.from > status.latestDay)
      return c.html(
        renderLayout({
          page: id,
          title: pages[id].title,
          filters,
          filterOptions: await filterOptions(status.loadKey, status),
          body: renderRangeWithoutData({
            filters,
            firstDay: status.firstDay,
            latestDay: status.latestDay,
            path: pages[id].path,
          }),
          footer: `Data from ${status.firstDay} to ${status.latestDay}`,
        }),
      );
    const [answers, choices] = await Promise.all([
      Promise.all(
        panelDefinitions
          .filter((panel) => panel.page === id)
          .map((definition) => drilledPanel(definition, filters))
          .map((panel) =>
            // One failing panel (a missing column after a contract change) must not take the page down.
            runPanel({ db, cache, loadKey: status.loadKey, panel, filters, imported }).catch(
              (error: unknown): PanelFailure => {
                const message = error instanceof Error ? error.message : String(error);
                logger.error({ panel: panel.id, err: message }, 'panel failed');
                return { panel, error: message };
              },
            ),
          ),
      ),
      filterOptions(status.loadKey, status),
    ]);
    const elapsed = performance.now() - started;
    return c.html(
      renderLayout({
        page: id,
        title: pages[id].title,
        filters,
        filterOptions: choices,
        body: renderPanels(answers, { partialDay: status.partialDay }),
        footer: `Data from ${status.firstDay} to ${status.latestDay}${status.partialDay === undefined ? '' : ` (last session ${status.dataEndsAt.slice(11, 16)} UTC: partial day)`} · previous period ${periodOf(answers)} · answered in ${elapsed.toFixed(0)} ms`,
      }),
      200,
      { 'server-timing': `panels;dur=${elapsed.toFixed(1)}` },
    );
  }

  for (const [id, definition] of Object.entries(pages) as [PageId, (typeof pages)[PageId]][])
    app.get(definition.path, (c) => page(c, id));

  app.get('/api/panels/:file', async (c) => {
    const started = performance.now();
    const file = c.req.param('file');
    const csv = file.endsWith('.csv');
    const panel = panelById.get(csv ? file.slice(0, -'.csv'.length) : file);
    if (panel === undefined)
      return c.json(
        {
          error: 'not_found',
          message: `No panel '${file}'. Panels: ${[...panelById.keys()].join(', ')}`,
        },
        404,
      );
    const params = parseDashboardParams(c.req.queries());
    if (!params.ok)
      return c.json(
        {
          error: 'invalid_input',
          message: `Invalid parameters: ${params.problems.join('; ')}`,
          problems: params.problems,
        },
        400,
      );
    const status = await readStatus();
    if (!status.ready) return c.json({ error: 'no_data', message: status.reason }, 503);
    const filters = resolveFilters(params.params, status.latestDay);
    const tooLong = rangeProblem(filters);
    if (tooLong !== undefined)
      return c.json(
        { error: 'invalid_input', message: `Invalid parameters: ${tooLong}`, problems: [tooLong] },
        400,
      );
    const answer: PanelAnswer = await runPanel({
      db,
      imported,
      cache,
      loadKey: status.loadKey,
      panel: drilledPanel(panel, filters),
      filters,
    });
    const timing = { 'server-timing': `panel;dur=${(performance.now() - started).toFixed(1)}` };
    if (csv) {
      return c.body(panelCsv(answer), 200, {
        ...timing,
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="${panelFileName(answer, 'csv')}"`,
        'x-reelhouse-previous-period': `${answer.result.period.previousFrom}_${answer.result.period.previousTo}`,
      });
    }
    return c.json(
      {
        panel: {
          id: panel.id,
          title: panel.title,
          metrics: panel.metrics,
          dimensions: answer.result.query.dimensions,
          drillPath: answer.panel.drillPath ?? [],
        },
        filters: answer.filters,
        applied: answer.applied,
        ignored: answer.ignored,
        source: answer.result.source,
        period: answer.result.period,
        rows: answer.result.rows,
      },
      200,
      timing,
    );
  });

  app.get('/api/metrics', async (c) => {
    const repeated = Object.entries(c.req.queries())
      .filter(([, values]) => values.length > 1)
      .map(([key]) => `${key}: given more than once (use a comma-separated list)`);
    if (repeated.length > 0)
      return c.json(
        {
          error: 'invalid_input',
          message: `Invalid metric query: ${repeated.join('; ')}`,
          problems: repeated,
        },
        400,
      );
    const query = c.req.query();
    const filters = Object.fromEntries(
      Object.entries(query)
        .filter(([key]) => (dimensionNames as readonly string[]).includes(key))
        .map(([key, value]) => [key as DimensionName, listParam(value)]),
    );
    const rest = Object.fromEntries(
      Object.entries(query).filter(
        ([key]) =>
          !(dimensionNames as readonly string[]).includes(key) &&
          !['metrics', 'dimensions', 'limit'].includes(key),
      ),
    );
    try {
      const parsed = parseMetricQuery({
        ...rest,
        metrics: listParam(query['metrics']) ?? [],
        dimensions: listParam(query['dimensions']),
        filters,
        limit: query['limit'] === undefined ? undefined : Number(query['limit']),
      });
      // Planning refuses splits no source answers before anything touches the database.
      compileMetricQuery(db, parsed);
      const status = await readStatus();
      if (!status.ready) return c.json({ error: 'no_data', message: status.reason }, 503);
      const result = await cache.get({
        loadKey: status.loadKey,
        key: `metrics:${JSON.stringify(parsed)}`,
        compute: () => runMetricQuery(db, parsed),
      });
      return c.json({ source: result.source, period: result.period, rows: result.rows });
    } catch (error) {
      if (ReelhouseError.is(error) && error.code === 'invalid_input')
        return c.json(
          {
            error: 'invalid_input',
            message: error.message,
            problems: error.context['problems'] ?? [error.message],
          },
          400,
        );
      throw error;
    }
  });

  return app;
}

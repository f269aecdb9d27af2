import type { Logger } from '@reelhouse/core';
import type { TrustedSchema } from '@reelhouse/warehouse';
import type { Kysely } from 'kysely';

import { resolveFilters } from './dashboard-filters.ts';
import type { DataStatus } from './data-status.ts';
import type { ImportedWarehouses } from './imported-warehouses.ts';
import type { PanelCache } from './panel-cache.ts';
import { panelDefinitions } from './panel-definitions.ts';
import { runPanel } from './run-panel.ts';

/**
 * Wraps a status reader so that each new load starts filling the cache with every panel's default
 * view (last 30 days, no filter), one panel at a time in the background: the first visitor after a
 * pipeline run then gets warm answers. Failures are logged, never thrown.
 */
export function warmUpOnNewLoad(options: {
  readStatus: () => Promise<DataStatus>;
  db: Kysely<TrustedSchema>;
  cache: PanelCache;
  logger: Logger;
  imported?: ImportedWarehouses | undefined;
}): () => Promise<DataStatus> {
  let warmedFor: string | undefined;
  return async () => {
    const status = await options.readStatus();
    if (status.ready && status.loadKey !== warmedFor) {
      warmedFor = status.loadKey;
      const filters = resolveFilters({}, status.latestDay);
      const started = performance.now();
      void (async () => {
        // With an in-memory copy coming, warm from it: the warehouse would take minutes at scale.
        await options.imported?.whenReady(status.loadKey);
        for (const panel of panelDefinitions) {
          await runPanel({
            db: options.db,
            cache: options.cache,
            imported: options.imported,
            loadKey: status.loadKey,
            panel,
            filters,
          });
        }
      })().then(
        () =>
          options.logger.info(
            { panels: panelDefinitions.length, ms: Math.round(performance.now() - started) },
            'cache warmed for the new load',
          ),
        (error: unknown) =>
          options.logger.warn(
            { err: error instanceof Error ? error.message : String(error) },
            'cache warm-up stopped',
          ),
      );
    }
    return status;
  };
}

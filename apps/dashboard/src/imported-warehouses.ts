import { createHash } from 'node:crypto';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

import { silentLogger, type Logger } from '@reelhouse/core';
import type { TrustedSchema } from '@reelhouse/warehouse';
import type { Kysely } from 'kysely';

import { importLayout, importWarehouse, type ImportedWarehouse } from './imported-warehouse.ts';

/** The in-memory copy of the current load, imported in the background when a new load appears. */
export interface ImportedWarehouses {
  /** The copy of `loadKey` when it is ready; otherwise starts importing it and answers undefined. */
  forLoad(loadKey: string): ImportedWarehouse | undefined;
  /** Settles when the copy of `loadKey` is ready (with it) or cannot be made (undefined). */
  whenReady(loadKey: string): Promise<ImportedWarehouse | undefined>;
  /** `loading` while the copy of the newest load is being imported. */
  readonly state: 'empty' | 'loading' | 'ready';
  close(): void;
}

const shortHash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 24);
/** A folder per warehouse (server and database), a file per load in it. */
const folderName = (url: string) => {
  const database = new URL(url);
  return shortHash(`${database.host}${database.pathname}`);
};
/** Queries still running on a replaced copy finish before it is closed. */
const closeDelayMs = 60_000;

/**
 * Keeps the copy of the newest load: the warehouse answers until it is ready, and a copy whose
 * load has been replaced is closed and its file removed. Files live under `dir`, so a restart on
 * an unchanged warehouse opens its copy instead of importing again.
 */
export function createImportedWarehouses(options: {
  db: Kysely<TrustedSchema>;
  url: string;
  dir: string;
  logger?: Logger;
}): ImportedWarehouses {
  const logger = options.logger ?? silentLogger;
  let ready: ImportedWarehouse | undefined;
  let loadingFor: string | undefined;
  let failedFor: string | undefined;
  let settled: Promise<ImportedWarehouse | undefined> = Promise.resolve(undefined);

  const folder = join(options.dir, folderName(options.url));
  const removeOthers = async (keep: string) => {
    for (const name of await readdir(folder).catch(() => [] as string[]))
      if (!name.startsWith(keep)) await rm(join(folder, name), { recursive: true, force: true });
  };

  return {
    get state() {
      if (loadingFor !== undefined) return 'loading';
      return ready === undefined ? 'empty' : 'ready';
    },
    forLoad(loadKey) {
      if (ready?.loadKey === loadKey) return ready;
      if (loadingFor !== loadKey && failedFor !== loadKey) {
        loadingFor = loadKey;
        const started = performance.now();
        // The copy's layout is part of its name: a file left by another version is not reused.
        const name = `${shortHash(`${importLayout(options.db)}\n${loadKey}`)}.duckdb`;
        settled = (async () => {
          await mkdir(folder, { recursive: true });
          return importWarehouse({
            db: options.db,
            url: options.url,
            loadKey,
            path: join(folder, name),
          });
        })()
          .then(
            async (imported) => {
              // A newer load may have started meanwhile: only the newest one's copy is kept.
              if (loadingFor !== loadKey) {
                imported.close();
                return;
              }
              const previous = ready;
              ready = imported;
              loadingFor = undefined;
              if (previous !== undefined) setTimeout(() => previous.close(), closeDelayMs).unref();
              await removeOthers(name);
              logger.info(
                { sessions: imported.sessions, ms: Math.round(performance.now() - started) },
                'in-memory copy of the warehouse ready for the new load',
              );
            },
            (error: unknown) => {
              if (loadingFor === loadKey) loadingFor = undefined;
              failedFor = loadKey;
              logger.warn(
                { err: error instanceof Error ? error.message : String(error) },
                'in-memory copy not made; panels read the warehouse',
              );
            },
          )
          .then(() => (ready?.loadKey === loadKey ? ready : undefined));
      }
      return undefined;
    },
    async whenReady(loadKey) {
      return this.forLoad(loadKey) ?? (loadingFor === loadKey ? settled : undefined);
    },
    close() {
      ready?.close();
      ready = undefined;
    },
  };
}

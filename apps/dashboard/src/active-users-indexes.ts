import { silentLogger, type Logger } from '@reelhouse/core';
import type { TrustedSchema } from '@reelhouse/warehouse';
import type { Kysely } from 'kysely';

import { loadActiveUsersIndex, type ActiveUsersIndex } from './active-users-index.ts';

/** The active-users index of the current load, built in the background when a new load appears. */
export interface ActiveUsersIndexes {
  /** The index of `loadKey` when it is built; otherwise starts building it and answers undefined. */
  forLoad(loadKey: string): ActiveUsersIndex | undefined;
  /** `loading` while the index of the newest load is being built. */
  readonly state: 'empty' | 'loading' | 'ready';
}

export function createActiveUsersIndexes(options: {
  db: Kysely<TrustedSchema>;
  logger?: Logger;
}): ActiveUsersIndexes {
  const logger = options.logger ?? silentLogger;
  let ready: ActiveUsersIndex | undefined;
  let loadingFor: string | undefined;
  let failedFor: string | undefined;
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
        void loadActiveUsersIndex(options.db, loadKey).then(
          (index) => {
            // A newer load may have started meanwhile: only the newest one's index is kept.
            if (loadingFor !== loadKey) return;
            ready = index;
            loadingFor = undefined;
            logger.info(
              { sessions: index.sessions, ms: Math.round(performance.now() - started) },
              'active-users index built for the new load',
            );
          },
          (error: unknown) => {
            if (loadingFor === loadKey) loadingFor = undefined;
            failedFor = loadKey;
            logger.warn(
              { err: error instanceof Error ? error.message : String(error) },
              'active-users index not built; those panels read the warehouse',
            );
          },
        );
      }
      return undefined;
    },
  };
}

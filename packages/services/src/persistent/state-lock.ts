import { mkdirSync } from 'node:fs';

import lockfile from 'proper-lockfile';

import { ReelhouseError } from '@reelhouse/core';

import { serviceStatePath } from './service-state.ts';

/**
 * Runs `work` holding the state file's exclusive lock (`services.json.lock`, an atomic mkdir), so
 * two commands starting at once never start two servers. A holder that died leaves a lock whose
 * mtime stops moving; it counts as stale after 20 s and is taken over.
 */
export async function withStateLock<T>(cache: string, work: () => Promise<T>): Promise<T> {
  mkdirSync(cache, { recursive: true });
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(serviceStatePath(cache), {
      realpath: false,
      stale: 20_000,
      update: 5_000,
      retries: { retries: 600, minTimeout: 100, maxTimeout: 250 },
    });
  } catch (error) {
    throw new ReelhouseError({
      code: 'service_unavailable',
      message: `could not lock ${serviceStatePath(cache)} to start or check the local services: ${String(error)}`,
      cause: error,
    });
  }
  try {
    return await work();
  } finally {
    await release().catch(() => undefined);
  }
}

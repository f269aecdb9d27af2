import { setTimeout as sleep } from 'node:timers/promises';

import { classifyError } from '@reelhouse/core';

const attempts = 6;

/**
 * Runs an idempotent `ops` statement, sending it again on a new connection when the one it used
 * was lost (`57P01`, reset socket): a terminated backend must not cost a run its record.
 */
export async function reconnecting<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await write();
    } catch (error) {
      const { code } = classifyError(error);
      const lostConnection = code === 'connection_lost' || code === 'service_unavailable';
      if (!lostConnection || attempt >= attempts) throw error;
      await sleep(100 * 2 ** attempt);
    }
  }
}

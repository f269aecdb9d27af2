import { rmSync } from 'node:fs';

import { stopServerProcess } from './ensure-persistent-server.ts';
import { readServiceState, writeServiceState, type PersistentServer } from './service-state.ts';
import { withStateLock } from './state-lock.ts';
import { removeStaleStateFolders } from './stale-state-folders.ts';

export interface StoppedServices {
  /** The server that was recorded, if any (it may have been dead already). */
  readonly stopped: PersistentServer | undefined;
  /** Temporary state folders removed because their servers are gone. */
  readonly removedFolders: readonly string[];
}

/**
 * Stops the persistent server recorded in the state file and forgets it; its data stays for the
 * next start unless `purge`. Also removes the state folders of servers that are gone.
 */
export async function stopPersistentServer(options: {
  cache: string;
  purge: boolean;
}): Promise<StoppedServices> {
  const stopped = await withStateLock(options.cache, async () => {
    const state = readServiceState(options.cache);
    const server = state.mongodb;
    if (server !== undefined) {
      await stopServerProcess(server);
      if (options.purge) rmSync(server.stateDir, { recursive: true, force: true });
    }
    writeServiceState(options.cache, { ...state, mongodb: undefined });
    return server;
  });
  return { stopped, removedFolders: removeStaleStateFolders(options.cache) };
}

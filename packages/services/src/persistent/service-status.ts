import { probeMongo } from '../probe.ts';
import { persistentServerUrl } from './ensure-persistent-server.ts';
import { serverProcessAlive } from './server-process.ts';
import { readServiceState, type PersistentServer } from './service-state.ts';

export interface PersistentServerStatus {
  readonly server: PersistentServer;
  readonly url: string;
  readonly processAlive: boolean;
  readonly answers: boolean;
}

/** What the state file records and whether that server is alive and answering (reads only). */
export async function persistentServerStatus(
  cache: string,
): Promise<PersistentServerStatus | undefined> {
  const server = readServiceState(cache).mongodb;
  if (server === undefined) return undefined;
  const url = persistentServerUrl(server);
  const processAlive = serverProcessAlive(server.pid, server.stateDir);
  const answers =
    processAlive &&
    (await probeMongo(url, 2_000).then(
      () => true,
      () => false,
    ));
  return { server, url, processAlive, answers };
}

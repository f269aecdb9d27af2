import { silentLogger, type Logger } from '@reelhouse/core';
import { modelsPublishedChannel } from '@reelhouse/warehouse';
import pg from 'pg';

/** Publishes into `trusted` announced by model builds, heard on a connection of the dashboard's own. */
export interface TrustedChanges {
  /**
   * How many publishes were heard so far. Resolves after a round trip on the listening connection,
   * so a build that committed before the call is counted; once the connection is lost every call
   * counts as a change (the reader falls back to reading the catalog on each request).
   */
  seen(): Promise<number>;
  close(): Promise<void>;
}

/** Listens on `modelsPublishedChannel` for publishes into `schema` (default `trusted`). */
export async function listenForTrustedChanges(options: {
  url: string;
  schema?: string;
  logger?: Logger;
}): Promise<TrustedChanges> {
  const logger = options.logger ?? silentLogger;
  const schema = options.schema ?? 'trusted';
  const client = new pg.Client({
    connectionString: options.url,
    application_name: 'reelhouse-dashboard-listen',
  });
  let heard = 0;
  let lost = false;
  const loseConnection = (error: Error | undefined) => {
    if (!lost)
      logger.warn(
        { err: error?.message ?? 'connection ended' },
        'stopped hearing model builds; reading the catalog on every request',
      );
    lost = true;
  };
  client.on('error', loseConnection);
  client.on('end', () => loseConnection(undefined));
  client.on('notification', (message) => {
    if (message.channel === modelsPublishedChannel && message.payload === schema) heard += 1;
  });
  await client.connect();
  await client.query(`listen ${modelsPublishedChannel}`);
  // One round trip at a time on the connection: a caller joins the next trip that starts after it
  // arrived (notifications committed before a query reach the client ahead of its answer).
  let running: Promise<void> | undefined;
  let next: Promise<void> | undefined;
  const roundTrip = (): Promise<void> => {
    if (running === undefined) {
      running = client
        .query('select 1')
        .then(() => undefined)
        .finally(() => (running = undefined));
      return running;
    }
    next ??= running
      .catch(() => undefined)
      .then(() => {
        next = undefined;
        return roundTrip();
      });
    return next;
  };
  return {
    async seen() {
      if (!lost) {
        try {
          await roundTrip();
          return heard;
        } catch (error) {
          loseConnection(error instanceof Error ? error : undefined);
        }
      }
      heard += 1;
      return heard;
    },
    async close() {
      lost = true;
      await client.end().catch(() => undefined);
    },
  };
}

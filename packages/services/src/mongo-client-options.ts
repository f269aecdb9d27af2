import type { MongoClientOptions } from 'mongodb';

/**
 * Bounds for every MongoDB operation of a command, so a server that stops answering fails the
 * operation (a retryable `MongoNetworkTimeoutError` / `MongoServerSelectionError`) instead of
 * hanging the task. Options written in the URL win: the driver reads them after these.
 */
export function mongoClientOptions(
  url: string,
  options: { appName: string; operationTimeoutMs?: number },
): MongoClientOptions {
  const inUrl = URL.canParse(url) ? new URL(url).searchParams : new URLSearchParams();
  const unlessInUrl = (name: string, value: number) => (inUrl.has(name) ? {} : { [name]: value });
  return {
    appName: options.appName,
    ...unlessInUrl('serverSelectionTimeoutMS', 15_000),
    ...unlessInUrl('connectTimeoutMS', 10_000),
    // No reply to one command within this long: the socket is closed and the command fails.
    ...unlessInUrl('socketTimeoutMS', options.operationTimeoutMs ?? 120_000),
    // Heartbeats notice a dead server within seconds, so a restarted one is found quickly.
    ...unlessInUrl('heartbeatFrequencyMS', 2_000),
  };
}

import { Redacted, type ReelhouseConfig } from '@reelhouse/config';
import { ReelhouseError, silentLogger, type Logger } from '@reelhouse/core';

import { containerEngineAvailable } from './container-engine.ts';
import { startPostgresContainer } from './persistent/named-containers.ts';
import { probePostgres } from './probe.ts';
import type { ResolvedService } from './resolved-service.ts';

export interface ResolvePostgresOptions {
  /** A URL that wins over everything (e.g. WAREHOUSE_DATABASE_URL). */
  readonly url?: Redacted | undefined;
  readonly config: ReelhouseConfig;
  readonly logger?: Logger;
  /** Local servers to try, in order. Default: the machine's PostgreSQL on 127.0.0.1:5432. */
  readonly localCandidates?: readonly string[];
  /** `persistent` (default): a container is named and reused; `process`: thrown away (tests). */
  readonly lifetime?: 'persistent' | 'process';
}

const defaultLocalCandidates = ['postgres://postgres@127.0.0.1:5432/postgres'];

function resolved(
  source: ResolvedService['source'],
  url: Redacted,
  stop: () => Promise<void>,
): ResolvedService {
  return {
    kind: 'postgres',
    source,
    url,
    description: `PostgreSQL via ${source} at ${url.toString()}`,
    stop,
  };
}

/**
 * Finds a PostgreSQL server: the configured URL, else a testcontainers PostgreSQL when a container
 * engine answers, else the machine's own server. Says which through the logger.
 */
export async function resolvePostgres(options: ResolvePostgresOptions): Promise<ResolvedService> {
  const logger = options.logger ?? silentLogger;
  const noop = () => Promise.resolve();
  let service: ResolvedService | undefined;
  if (options.url !== undefined) {
    service = resolved('config', options.url, noop);
  } else if (await containerEngineAvailable(options.config.dockerHost)) {
    const persistent = (options.lifetime ?? 'persistent') === 'persistent';
    const container = await startPostgresContainer(persistent);
    service = resolved(
      'testcontainers',
      Redacted.url(container.getConnectionUri()),
      persistent
        ? noop
        : async () => {
            await container.stop();
          },
    );
  } else {
    const tried: string[] = [];
    for (const candidate of options.localCandidates ?? defaultLocalCandidates) {
      try {
        await probePostgres(candidate);
        service = resolved('local-postgres', Redacted.url(candidate), noop);
        break;
      } catch (error) {
        tried.push(
          `${Redacted.url(candidate).toString()} (${error instanceof Error ? error.message : String(error)})`,
        );
      }
    }
    if (service === undefined) {
      throw new ReelhouseError({
        code: 'service_unavailable',
        retryable: false,
        message: [
          'No PostgreSQL server found. Provide one of:',
          '  1. SOURCE_DATABASE_URL / WAREHOUSE_DATABASE_URL (postgres://user:password@host:5432/db)',
          '  2. a container engine (Docker or Podman) for testcontainers',
          '  3. a local server on 127.0.0.1:5432 accepting user postgres',
          '     (Debian: pg_ctlcluster --skip-systemctl-redirect 15 main start)',
          `Tried: ${tried.join('; ')}`,
        ].join('\n'),
      });
    }
  }
  logger.info(
    { service: 'postgres', source: service.source, url: service.url.toString() },
    service.description,
  );
  return service;
}

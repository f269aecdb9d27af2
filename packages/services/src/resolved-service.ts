import type { Redacted } from '@reelhouse/config';

export type ServiceKind = 'postgres' | 'mongodb';

/** How a service was found, in resolution order. */
export type ServiceSource =
  'config' | 'testcontainers' | 'local-postgres' | 'mongod' | 'mongodb-memory-server' | 'ferretdb';

/**
 * A database server ready for use. For PostgreSQL, `url` points at the server's `postgres`
 * database: callers create their own databases on it.
 */
export interface ResolvedService {
  readonly kind: ServiceKind;
  readonly source: ServiceSource;
  readonly url: Redacted;
  /** One line for humans: what was used and where (password redacted). */
  readonly description: string;
  /** Stops the server if this process started it; a no-op for servers found running. */
  stop(): Promise<void>;
}

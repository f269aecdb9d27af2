import type { Kysely } from 'kysely';

import { createKysely, type OpsSchema } from '@reelhouse/warehouse';

import type { CliContext } from './cli-context.ts';
import { createLogger } from './create-logger.ts';
import { openResources } from './open-resources.ts';

/**
 * Reads the run history on a quiet warehouse-only connection; `undefined` when the warehouse has
 * no `ops.dag_runs` yet (no run was ever recorded there).
 */
export async function readRunHistory<T>(
  context: CliContext,
  read: (db: Kysely<OpsSchema>) => Promise<T>,
): Promise<T | undefined> {
  const logger = createLogger({
    level: context.config.logLevel,
    file: undefined,
    stream: 'stderr',
  });
  const resources = await openResources({
    config: context.config,
    needs: 'warehouse',
    logger,
    announce: () => undefined,
  });
  try {
    const { rows } = await resources.history.query<{ found: boolean }>(
      "select to_regclass('ops.dag_runs') is not null as found",
    );
    if (rows[0]?.found !== true) return undefined;
    return await read(createKysely<OpsSchema>(resources.history));
  } finally {
    await resources.close();
  }
}

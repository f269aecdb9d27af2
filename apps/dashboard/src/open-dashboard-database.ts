import { createHash } from 'node:crypto';

import { redactUrl } from '@reelhouse/config';
import { silentLogger, type Logger } from '@reelhouse/core';
import { createKysely, createPool, type TrustedSchema } from '@reelhouse/warehouse';
import { sql, type Kysely } from 'kysely';

import { dashboardRoleName, ensureDashboardRole } from './dashboard-role.ts';

export interface DashboardDatabase {
  readonly db: Kysely<TrustedSchema>;
  /** The user the pool connects as: `reelhouse_dashboard` unless it could not be set up. */
  readonly user: string;
  /** Present when this process set the role up: grants SELECT again on tables a build added. */
  readonly repairGrants?: () => Promise<void>;
}

/**
 * Connects the dashboard to the warehouse as `reelhouse_dashboard`. Given an owner's URL it sets
 * the role up first (password derived from that URL, so every instance agrees on it); when the
 * role cannot be set up or reached, it falls back to the given URL with a warning.
 */
export async function openDashboardDatabase(options: {
  url: string;
  logger?: Logger;
}): Promise<DashboardDatabase> {
  const logger = options.logger ?? silentLogger;
  const given = new URL(options.url);
  const open = (url: string) =>
    createKysely<TrustedSchema>(
      createPool({
        url,
        max: 5,
        applicationName: 'reelhouse-dashboard',
        statementTimeoutMs: 15_000,
      }),
    );
  if (decodeURIComponent(given.username) === dashboardRoleName)
    return { db: open(options.url), user: dashboardRoleName };

  const admin = open(options.url);
  const password = createHash('sha256')
    .update(`${dashboardRoleName}:${options.url}`)
    .digest('base64url');
  const repairGrants = async () => {
    const owner = open(options.url);
    try {
      await ensureDashboardRole(owner, { password, logger });
    } finally {
      await owner.destroy();
    }
  };
  try {
    const report = await ensureDashboardRole(admin, { password, logger });
    if (report.ready) {
      const roleUrl = new URL(options.url);
      roleUrl.username = dashboardRoleName;
      roleUrl.password = password;
      const db = open(roleUrl.toString());
      try {
        await sql`select 1`.execute(db);
        logger.info(
          { url: redactUrl(roleUrl.toString()) },
          `connected as ${dashboardRoleName} (read-only)`,
        );
        return { db, user: dashboardRoleName, repairGrants };
      } catch (error) {
        await db.destroy();
        logger.warn(
          { err: error instanceof Error ? error.message : String(error) },
          `cannot log in as ${dashboardRoleName}; using the configured user`,
        );
      }
    }
  } finally {
    await admin.destroy();
  }
  return { db: open(options.url), user: decodeURIComponent(given.username) };
}

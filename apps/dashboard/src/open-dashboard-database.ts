import { redactUrl } from '@reelhouse/config';
import { silentLogger, type Logger } from '@reelhouse/core';
import { createKysely, createPool, type TrustedSchema } from '@reelhouse/warehouse';
import { sql, type Kysely } from 'kysely';

import {
  createDashboardPassword,
  dashboardPasswordPath,
  readDashboardPassword,
} from './dashboard-role-password.ts';
import { dashboardRoleName, ensureDashboardRole } from './dashboard-role.ts';

export interface DashboardDatabase {
  readonly db: Kysely<TrustedSchema>;
  /** The user the pool connects as: the database's dashboard role unless it could not be set up. */
  readonly user: string;
  /** The URL the pool connects with (the role's, password included): for connections of its own. */
  readonly url: string;
  /** Present when this process set the role up: grants SELECT again on tables a build added. */
  readonly repairGrants?: () => Promise<void>;
}

const open = (url: string) =>
  createKysely<TrustedSchema>(
    createPool({ url, max: 5, applicationName: 'reelhouse-dashboard', statementTimeoutMs: 15_000 }),
  );

async function canLogIn(url: string): Promise<Kysely<TrustedSchema> | undefined> {
  const db = open(url);
  try {
    await sql`select 1`.execute(db);
    return db;
  } catch {
    await db.destroy();
    return undefined;
  }
}

/**
 * Connects the dashboard to the warehouse as its database's read-only role. Given an owner's URL
 * it sets the role up first. The role's password is random, made once and kept in
 * `<secretDir>/dashboard-roles/` (mode 0600); later starts reuse it and never reset it, so every
 * instance on this machine agrees. When the role cannot be set up or reached, it falls back to
 * the given URL with a warning.
 */
export async function openDashboardDatabase(options: {
  url: string;
  /** Folder for the role's password file (the cache folder). */
  secretDir: string;
  logger?: Logger;
}): Promise<DashboardDatabase> {
  const logger = options.logger ?? silentLogger;
  const given = new URL(options.url);
  if (decodeURIComponent(given.username).startsWith(dashboardRoleName('')))
    return { db: open(options.url), user: decodeURIComponent(given.username), url: options.url };

  const ensure = async (password?: string) => {
    const owner = open(options.url);
    try {
      return await ensureDashboardRole(owner, {
        ...(password === undefined ? {} : { password }),
        logger,
      });
    } finally {
      await owner.destroy();
    }
  };
  const report = await ensure();
  if (report.ready) {
    const path = dashboardPasswordPath({
      secretDir: options.secretDir,
      url: given,
      role: report.role,
    });
    const roleUrl = (password: string) => {
      const url = new URL(options.url);
      url.username = report.role;
      url.password = password;
      return url.toString();
    };
    let password = await readDashboardPassword(path);
    let db = password === undefined ? undefined : await canLogIn(roleUrl(password));
    if (db === undefined) {
      // First start, or a role recreated elsewhere: a new random password, stored before it is set.
      password = await createDashboardPassword(path);
      await ensure(password);
      db = await canLogIn(roleUrl(password));
    }
    if (db !== undefined) {
      logger.info(
        { url: redactUrl(roleUrl(password!)) },
        `connected as ${report.role} (read-only)`,
      );
      return {
        db,
        user: report.role,
        url: roleUrl(password!),
        repairGrants: async () => void (await ensure()),
      };
    }
    logger.warn(
      { role: report.role },
      `cannot log in as ${report.role}; using the configured user`,
    );
  }
  return { db: open(options.url), user: decodeURIComponent(given.username), url: options.url };
}

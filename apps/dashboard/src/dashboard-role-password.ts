import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Where the password of one server's dashboard role lives: a file only its owner can read. */
export function dashboardPasswordPath(options: {
  secretDir: string;
  url: URL;
  role: string;
}): string {
  const server = `${options.url.hostname}_${options.url.port === '' ? '5432' : options.url.port}`;
  return join(
    options.secretDir,
    'dashboard-roles',
    `${server}_${options.role}.password`.replace(/[^A-Za-z0-9_.-]/g, '_'),
  );
}

/** The stored password, or undefined when none was made yet. */
export async function readDashboardPassword(path: string): Promise<string | undefined> {
  try {
    // A file someone widened is made private again before it is trusted.
    await chmod(path, 0o600);
    const text = (await readFile(path, 'utf8')).trim();
    return text === '' ? undefined : text;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Makes a random password (192 bits, base64url) and stores it with mode 0600, atomically. */
export async function createDashboardPassword(path: string): Promise<string> {
  const password = randomBytes(24).toString('base64url');
  await mkdir(join(path, '..'), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${password}\n`, { mode: 0o600, flag: 'wx' });
  await rename(temporary, path);
  return password;
}

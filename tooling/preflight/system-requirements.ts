import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** A program a test needs from the machine, and the Debian package that provides it. */
export interface SystemRequirement {
  readonly program: string;
  readonly debianPackage: string;
  readonly neededBy: string;
}

/** What `pnpm check`'s tests run besides Node: found on PATH or at an absolute path. */
export const systemRequirements: readonly SystemRequirement[] = [
  { program: '/usr/bin/chromium', debianPackage: 'chromium', neededBy: 'dashboard browser tests' },
  { program: 'pgloader', debianPackage: 'pgloader', neededBy: 'bench smoke test' },
  { program: '/usr/bin/time', debianPackage: 'time', neededBy: 'bench smoke test (peak RSS)' },
  { program: 'psql', debianPackage: 'postgresql-client', neededBy: 'bench smoke test' },
  { program: 'python3', debianPackage: 'python3', neededBy: 'Airflow DAG test' },
];

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** True when `program` (a name looked up on PATH, or an absolute path) can be run. */
export function programAvailable(program: string, path: string): boolean {
  if (program.startsWith('/')) return executable(program);
  return path.split(delimiter).some((dir) => dir !== '' && executable(join(dir, program)));
}

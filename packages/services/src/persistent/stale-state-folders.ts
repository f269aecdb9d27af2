import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** `<cache>/run`: state folders of servers that live as long as one process (tests, `process` lifetime). */
export function temporaryStateRoot(cache: string): string {
  return join(cache, 'run');
}

/** The file in a temporary state folder naming the process that owns it. */
export const ownerPidFile = 'owner.pid';

// A folder without an owner file may be one a process has just created: leave it this long.
const unownedGraceMs = 10 * 60_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, owned by another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ownerAlive(folder: string): boolean | undefined {
  try {
    const pid = Number(readFileSync(join(folder, ownerPidFile), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 && alive(pid);
  } catch {
    return undefined;
  }
}

// Command lines of the running processes, where /proc tells: a server names its folder in its own.
function runningCommandLines(): string[] {
  try {
    return readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .map((pid) => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        } catch {
          return '';
        }
      });
  } catch {
    return [];
  }
}

// A whole path in a NUL-separated command line: `run/x` must not match `run/xy`.
function namesFolder(commandLine: string, folder: string): boolean {
  return [`${folder}/`, `${folder}\0`].some((end) => commandLine.includes(end));
}

/**
 * Removes the temporary state folders whose owner is gone and that no running process names
 * (folders from before owner files: once older than ten minutes). Persistent servers keep their
 * data outside `run/`. Returns the removed paths.
 */
export function removeStaleStateFolders(cache: string, now = Date.now()): string[] {
  const root = temporaryStateRoot(cache);
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return [];
  }
  const removed: string[] = [];
  const commandLines = runningCommandLines();
  for (const name of names) {
    const folder = join(root, name);
    try {
      const owned = ownerAlive(folder);
      const stale = owned === undefined ? now - statSync(folder).mtimeMs > unownedGraceMs : !owned;
      if (!stale || commandLines.some((line) => namesFolder(line, folder))) continue;
      rmSync(folder, { recursive: true, force: true });
      removed.push(folder);
    } catch {
      // Removed meanwhile by another cleaner: the goal is met.
    }
  }
  return removed;
}

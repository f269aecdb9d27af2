import { readFileSync } from 'node:fs';

/** An ancestor process that launched this one (`pnpm`, `sh -c`, a `.bin` shim, `tsx`), as first seen. */
interface Launcher {
  readonly pid: number;
  readonly startTime: string;
  readonly command: string;
}

interface ProcStat {
  readonly ppid: number;
  readonly state: string;
  readonly startTime: string;
}

function procStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which may hold spaces and parentheses.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', ppid: Number(fields[1]), startTime: fields[19] ?? '' };
  } catch {
    return undefined;
  }
}

function commandLine(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .split('\0')
      .filter((a) => a !== '');
  } catch {
    return [];
  }
}

const shell = /(^|\/)(ba|da)?sh$/;

/** Whether a command line is one of the wrappers `pnpm pipeline` runs through. */
export function isLauncherCommand(argv: readonly string[]): boolean {
  const [first = '', second = '', third = ''] = argv;
  if (shell.test(first) && second === '-c') return /^(exec\s+)?(pnpm|tsx|node)\s/.test(third);
  if (shell.test(first)) return /\/node_modules\/\.bin\/[^/]+$/.test(second);
  return [first, second].some(
    (arg) => /(^|\/)(pnpm|pnpm\.c?js|tsx)$/.test(arg) || arg.endsWith('/tsx/dist/cli.mjs'),
  );
}

function launchers(): Launcher[] {
  const found: Launcher[] = [];
  let pid = process.ppid;
  while (pid > 1) {
    const stat = procStat(pid);
    const argv = commandLine(pid);
    if (stat === undefined || !isLauncherCommand(argv)) break;
    found.push({ pid, startTime: stat.startTime, command: argv.slice(0, 3).join(' ') });
    pid = stat.ppid;
  }
  return found;
}

/**
 * Calls `onGone` once when a process that launched this one exits (Linux; elsewhere it does
 * nothing). pnpm does not pass SIGTERM through its `sh -c` and shim layers: without this, a
 * SIGTERM to the top `pnpm` would leave the pipeline running on its own, holding the warehouse.
 */
export function watchLaunchers(
  onGone: (launcher: string) => void,
  intervalMs = 500,
): { stop(): void } {
  const watched = launchers();
  if (watched.length === 0) return { stop: () => undefined };
  const timer = setInterval(() => {
    const gone = watched.find((launcher) => {
      const stat = procStat(launcher.pid);
      return stat === undefined || stat.state === 'Z' || stat.startTime !== launcher.startTime;
    });
    if (gone === undefined) return;
    clearInterval(timer);
    onGone(`${gone.command} (pid ${gone.pid})`);
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

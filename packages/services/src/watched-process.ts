import { spawn, type ChildProcess } from 'node:child_process';

/**
 * A server process that cannot outlive this one. It runs under a small shell that reads our
 * stdin: when this process exits for any reason (even SIGKILL) the pipe closes, `cat` returns
 * and the shell stops the server, then removes its state folder when one is given.
 */
export interface WatchedProcess {
  readonly pid: number;
  readonly serverPid: () => Promise<number>;
  stop(): Promise<void>;
}

const watchdog =
  'set -u; "$@" & server=$!; echo "$server" >&2; cat >/dev/null; kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; if [ -n "$REMOVE_ON_EXIT" ]; then rm -rf "$REMOVE_ON_EXIT"; fi; exit 0';

export function startWatchedProcess(
  command: string,
  args: readonly string[],
  options: { removeOnExit?: string; env?: NodeJS.ProcessEnv } = {},
): WatchedProcess {
  const child: ChildProcess = spawn('sh', ['-c', watchdog, 'watchdog', command, ...args], {
    stdio: ['pipe', 'ignore', 'pipe'],
    // eslint-disable-next-line no-restricted-properties -- passing the environment through to a child, not reading config
    env: { ...(options.env ?? process.env), REMOVE_ON_EXIT: options.removeOnExit ?? '' },
  });
  let stderr = '';
  const serverPid = new Promise<number>((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const first = /^(\d+)\n/.exec(stderr);
      if (first?.[1] !== undefined) resolve(Number(first[1]));
    });
    child.on('exit', () => reject(new Error(`${command} exited early: ${stderr.slice(-2000)}`)));
  });
  serverPid.catch(() => undefined);
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  // The handles must not keep Node alive: the watchdog is there to outlive nothing.
  child.unref();
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  (child.stderr as unknown as { unref?: () => void } | null)?.unref?.();
  return {
    pid: child.pid ?? -1,
    serverPid: () => serverPid,
    async stop() {
      if (child.exitCode !== null) return;
      // Awaiting the exit needs a referenced handle: unref'd, Node would end with this promise pending.
      child.ref();
      child.stdin?.end();
      await exited;
    },
  };
}

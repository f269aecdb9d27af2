/** A row of `ops.run_leases` as the lock reads it: who holds the run lock, and how recently it said so. */
export interface RunLease {
  readonly holder: string;
  readonly mode: 'exclusive' | 'shared';
  readonly runId: string | null;
  readonly host: string;
  readonly pid: number;
  /** Milliseconds since the holder's last heartbeat, by the database's clock. */
  readonly ageMs: number;
}

export interface LeaseLivenessOptions {
  /** This machine's host name. */
  readonly host: string;
  /** A lease of another host is dead once its heartbeat is older than this. */
  readonly ttlMs: number;
  /** Whether a process of this host lives. */
  readonly pidAlive: (pid: number) => boolean;
}

/**
 * Whether a lease's holder may still be running: on this host its process decides (a SIGKILLed
 * run frees the warehouse at once); on another host, a heartbeat younger than the TTL.
 */
export function isLeaseLive(lease: RunLease, options: LeaseLivenessOptions): boolean {
  if (lease.host === options.host) return options.pidAlive(lease.pid);
  return lease.ageMs < options.ttlMs;
}

/** Leases that keep a newcomer in `mode` out: any other live one for an exclusive run, a live exclusive one for a shared task. */
export function conflictingLeases(
  leases: readonly RunLease[],
  mode: 'exclusive' | 'shared',
  live: (lease: RunLease) => boolean,
): RunLease[] {
  return leases.filter(
    (lease) => (mode === 'exclusive' || lease.mode === 'exclusive') && live(lease),
  );
}

/** `process.kill(pid, 0)`: signal 0 only asks whether the process exists. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

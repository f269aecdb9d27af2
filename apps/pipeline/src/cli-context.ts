import type { ReelhouseConfig } from '@reelhouse/config';

/** What every command receives from the CLI entry point. */
export interface CliContext {
  readonly config: ReelhouseConfig;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  /** Aborted on SIGINT or SIGTERM. */
  readonly signal: AbortSignal;
}

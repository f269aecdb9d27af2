import { loadConfig } from '@reelhouse/config';
import { classifyError } from '@reelhouse/core';

import type { CliContext } from './cli-context.ts';
import { parseCommand } from './cli-program.ts';
import { exitCodeFor, exitCodes } from './exit-codes.ts';
import { watchLaunchers } from './launcher-watch.ts';

const duplicateSignalMs = 3_000;

async function main(argv: readonly string[]): Promise<number> {
  const controller = new AbortController();
  let firstSignalAt: number | undefined;
  const stop = (signal: string) => {
    const now = Date.now();
    if (firstSignalAt !== undefined) {
      // One Ctrl-C or group signal arrives more than once (the terminal, pnpm and tsx each relay
      // it): only a later, separate one means "now".
      if (now - firstSignalAt < duplicateSignalMs) return;
      process.exit(exitCodes.interrupted);
    }
    firstSignalAt = now;
    process.stderr.write(
      `\n${signal}: stopping (running tasks are aborted and recorded as interrupted; again to quit at once)\n`,
    );
    controller.abort(new Error(`stopped by ${signal}`));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.on('SIGHUP', stop);
  const launcherWatch = watchLaunchers((launcher) => stop(`${launcher} exited`));
  try {
    const command = parseCommand(argv);
    // Help was printed by the parser: no config, database or server is needed.
    if (command.name === 'help') return exitCodes.success;
    const context: CliContext = {
      config: loadConfig(),
      stdout: process.stdout,
      stderr: process.stderr,
      signal: controller.signal,
    };
    return await command.execute(context);
  } catch (error) {
    const classified = classifyError(error);
    process.stderr.write(`error (${classified.code}): ${classified.message}\n`);
    return controller.signal.aborted ? exitCodes.interrupted : exitCodeFor(classified);
  } finally {
    launcherWatch.stop();
  }
}

process.exitCode = await main(process.argv.slice(2));

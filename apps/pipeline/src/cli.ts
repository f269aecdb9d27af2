import { loadConfig } from '@reelhouse/config';
import { classifyError } from '@reelhouse/core';

import type { CliContext } from './cli-context.ts';
import { parseCommand } from './cli-program.ts';
import { exitCodeFor, exitCodes } from './exit-codes.ts';

async function main(argv: readonly string[]): Promise<number> {
  const controller = new AbortController();
  let signals = 0;
  const stop = (signal: NodeJS.Signals) => {
    signals += 1;
    // A second signal means "now": the run has had its chance to record its interrupted attempts.
    if (signals > 1) process.exit(exitCodes.interrupted);
    process.stderr.write(
      `\n${signal}: stopping (running tasks are aborted and recorded as interrupted; again to quit at once)\n`,
    );
    controller.abort(new Error(`stopped by ${signal}`));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
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
  }
}

process.exitCode = await main(process.argv.slice(2));

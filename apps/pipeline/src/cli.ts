import { loadConfig } from '@reelhouse/config';
import { classifyError } from '@reelhouse/core';

import type { CliContext } from './cli-context.ts';
import { parseCommand, type Command } from './cli-options.ts';
import { airflowDagCommand } from './commands/airflow-dag-command.ts';
import { generateCommand } from './commands/generate-command.ts';
import { graphCommand } from './commands/graph-command.ts';
import { modelsBuildCommand, modelsDocsCommand } from './commands/models-command.ts';
import { runCommand } from './commands/run-command.ts';
import { statusCommand } from './commands/status-command.ts';
import { taskCommand } from './commands/task-command.ts';
import { exitCodeFor, exitCodes } from './exit-codes.ts';
import { watchLaunchers } from './launcher-watch.ts';
import { usage } from './usage.ts';

async function dispatch(command: Command, context: CliContext): Promise<number> {
  switch (command.name) {
    case 'run':
      return runCommand(command, context);
    case 'generate':
      return generateCommand(command, context);
    case 'task':
      return taskCommand(command, context);
    case 'status':
      return statusCommand(command, context);
    case 'graph':
      return graphCommand(command, context);
    case 'airflow-dag':
      return airflowDagCommand(command, context);
    case 'models-build':
      return modelsBuildCommand(command, context);
    case 'models-docs':
      return modelsDocsCommand(command, context);
    case 'help':
      context.stdout.write(usage);
      return exitCodes.success;
  }
}

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
    const context: CliContext = {
      config: loadConfig(),
      stdout: process.stdout,
      stderr: process.stderr,
      signal: controller.signal,
    };
    return await dispatch(command, context);
  } catch (error) {
    const classified = classifyError(error);
    process.stderr.write(`error (${classified.code}): ${classified.message}\n`);
    return controller.signal.aborted ? exitCodes.interrupted : exitCodeFor(classified);
  } finally {
    launcherWatch.stop();
  }
}

process.exitCode = await main(process.argv.slice(2));

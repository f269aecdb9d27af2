import { Command, CommanderError } from 'commander';

import { ReelhouseError } from '@reelhouse/core';

import type { CliContext } from './cli-context.ts';
import { registerAirflowDagCommand } from './commands/airflow-dag-command.ts';
import { registerGenerateCommand } from './commands/generate-command.ts';
import { registerGraphCommand } from './commands/graph-command.ts';
import { registerModelsCommand } from './commands/models-command.ts';
import { registerRunCommand } from './commands/run-command.ts';
import { registerStatusCommand } from './commands/status-command.ts';
import { registerTaskCommand } from './commands/task-command.ts';
import { exitCodes } from './exit-codes.ts';

/** A command line parsed and validated: what to run once the context (config, signal) exists. */
export interface ParsedCommand {
  /** The command's path, e.g. `run` or `models build`; `help` when help was printed. */
  readonly name: string;
  /** Its validated, typed options (for tests and logs). */
  readonly options: unknown;
  readonly execute: (context: CliContext) => Promise<number>;
}

/** Receives the parsed command from a command's action (actions only parse; nothing runs before). */
export type SelectCommand = (parsed: ParsedCommand) => void;

/** Each command module adds its own subcommand, options and action to the program. */
export type RegisterCommand = (program: Command, select: SelectCommand) => void;

/** Every command of `pnpm pipeline`; a new command adds its module's register function here. */
const registrations: readonly RegisterCommand[] = [
  registerRunCommand,
  registerGenerateCommand,
  registerTaskCommand,
  registerStatusCommand,
  registerGraphCommand,
  registerAirflowDagCommand,
  registerModelsCommand,
];

const exitCodesHelp = `
Exit codes: 0 success, 1 run/task failed, 2 bad arguments or config, 69 database unavailable,
75 another run holds the warehouse (try later), 130 interrupted (SIGINT/SIGTERM).`;

export interface ProgramOutput {
  readonly writeOut: (text: string) => void;
  readonly writeErr: (text: string) => void;
}

const processOutput: ProgramOutput = {
  writeOut: (text) => process.stdout.write(text),
  writeErr: (text) => process.stderr.write(text),
};

/** The `pipeline` program with every command registered; help and usage errors come from commander. */
export function createProgram(
  select: SelectCommand,
  output: ProgramOutput = processOutput,
): Command {
  const program = new Command('pnpm pipeline')
    .description('Reelhouse: the DAG video_streaming_elt_pipeline and its tools')
    // Settings set before `.command()` are inherited by every subcommand.
    .exitOverride()
    .configureOutput({
      writeOut: output.writeOut,
      writeErr: output.writeErr,
      // The entry point prints the error once, in the CLI's `error (code): message` form.
      outputError: () => undefined,
    })
    .addHelpText('afterAll', exitCodesHelp);
  for (const register of registrations) register(program, select);
  program.addHelpText(
    'after',
    '\nWithout a command, `run` runs. `pnpm pipeline <command> --help` shows its options.',
  );
  return program;
}

const helpSelected: ParsedCommand = {
  name: 'help',
  options: {},
  execute: () => Promise.resolve(exitCodes.success),
};

function usageError(error: CommanderError): ReelhouseError {
  const message =
    error.code === 'commander.help'
      ? 'a subcommand is required (its usage is printed above)'
      : `${error.message.replace(/^error: /, '').replaceAll('\n', ' ')} (see --help)`;
  return new ReelhouseError({
    code: 'invalid_input',
    message,
    context: { reason: error.code },
  });
}

/**
 * Parses argv (after the script name) into a validated command. `--help` on any command prints that
 * command's usage and gives the `help` command, which starts nothing; bad input → `invalid_input`.
 */
export function parseCommand(
  argv: readonly string[],
  output: ProgramOutput = processOutput,
): ParsedCommand {
  // `pnpm pipeline -- --scale tiny` passes the separator through.
  const args = argv[0] === '--' ? argv.slice(1) : [...argv];
  let selected: ParsedCommand | undefined;
  const program = createProgram((parsed) => (selected = parsed), output);
  const first = args[0];
  const names = program.commands.flatMap((c) => [c.name(), ...c.aliases()]);
  // Without this, an unknown word would reach the default command `run` as an excess argument.
  if (first !== undefined && !first.startsWith('-') && first !== 'help' && !names.includes(first))
    throw new ReelhouseError({
      code: 'invalid_input',
      message: `unknown command '${first}' (commands: ${names.join(', ')}; see --help)`,
    });
  try {
    program.parse(args, { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (error.exitCode === 0) return helpSelected;
    throw usageError(error);
  }
  return selected ?? helpSelected;
}

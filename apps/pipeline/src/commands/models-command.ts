import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { Option } from 'commander';

import {
  buildModels,
  columnLineage,
  compileProject,
  readPreviousState,
  renderModelDocs,
  selectModels,
  type BuildResult,
} from '@reelhouse/model-compiler';
import { ReelhouseError } from '@reelhouse/core';
import { readSourceVersions } from '@reelhouse/extractor';
import { dashboardExposures } from '@reelhouse/metrics';
import { models } from '@reelhouse/models';
import { createKysely } from '@reelhouse/warehouse';

import type { CliContext } from '../cli-context.ts';
import { addOutputOptions, outputFlags, type OutputFlags } from '../cli-options.ts';
import type { RegisterCommand } from '../cli-program.ts';
import { createLogger } from '../create-logger.ts';
import { exitCodes } from '../exit-codes.ts';
import { openResources } from '../open-resources.ts';
import { registerEnvironmentCommands, targetSchemaOf } from './models-environment-command.ts';
import { registerFreshnessCommand } from './models-freshness-command.ts';
import { registerLineageCommand } from './models-lineage-command.ts';
import { fromRoot } from '../workspace-paths.ts';

export interface ModelsBuildOptions {
  readonly output: OutputFlags;
  readonly select: readonly string[];
  readonly dryRun: boolean;
  readonly validate: boolean;
  readonly fullRefresh: boolean;
  /** Also rebuild models protected by `allowFullRefresh: false`. */
  readonly forceFullRefresh: boolean;
  /** Build every selected model, even those whose sources and code did not change since their last build. */
  readonly rebuildUpToDate: boolean;
  /** dbt's `--exclude`: selectors of models left out. */
  readonly exclude: readonly string[];
  /** A run folder (`target/runs/<id>`) for `state:`, `result:`, `source_status:` and `--defer`. */
  readonly state?: string | undefined;
  readonly defer: boolean;
  readonly failFast: boolean;
  /** Publish only if every model passed (all or nothing). */
  readonly atomic: boolean;
  /** Also write dbt's manifest.json (v12) and run_results.json (v6). */
  readonly dbtArtifacts: boolean;
  /** A dev target: build into `trusted__<name>`, unchanged models as views over trusted. */
  readonly target?: string | undefined;
}

export interface ModelsDocsOptions {
  readonly out?: string | undefined;
}

/** `models build` and `models docs`. */
export const registerModelsCommand: RegisterCommand = (program, select) => {
  const models = program.command('models').description('the transforms: build or document them');
  const build = models
    .command('build')
    .description('build the models (the transforms only)')
    .argument('[selectors...]', 'models to build, as with --select')
    .option(
      '-s, --select <selectors...>',
      "dbt's grammar: a b (union), a,b (intersection), +m, 2+m, m+, @m, tag:, path:, config.materialized:, state:modified",
    )
    .option('--exclude <selectors...>', 'models left out, same grammar')
    .option(
      '--state <dir>',
      'an earlier run folder (target/runs/<id>) for state:, result:, source_status:',
    )
    .option(
      '--defer',
      'read unselected upstream models missing from the target from the --state run',
    )
    .option('--fail-fast', 'start no model after the first failure')
    .option('--atomic', 'publish only if every model passed, all or nothing')
    .option('--dbt-artifacts', "also write dbt's manifest.json (v12) and run_results.json (v6)")
    .option(
      '--target <name>',
      'build into the dev schema trusted__<name>: changed models built, the rest views over trusted',
    )
    .addOption(
      new Option('--dry-run', 'compile offline and print the plan and SQL').conflicts('validate'),
    )
    .option('--validate', 'build and test in a transaction, then roll back')
    .option('--full-refresh', 'rebuild from scratch (dim_user replays its SCD2 history from raw)')
    .option('--force-full-refresh', 'also rebuild models protected by allowFullRefresh: false')
    .option(
      '--rebuild-up-to-date',
      'also build models whose sources and code did not change since their last build',
    );
  addOutputOptions(build).action((selectors: string[], values: Record<string, unknown>) => {
    // dbt's grammar: spaces (or separate values) are a union, commas an intersection.
    const terms = (list: readonly string[]) =>
      list.flatMap((s) => s.split(/\s+/)).filter((s) => s !== '');
    const selection = terms([...((values['select'] as string[] | undefined) ?? []), ...selectors]);
    const options: ModelsBuildOptions = {
      output: outputFlags(values),
      select: selection,
      dryRun: values['dryRun'] === true,
      validate: values['validate'] === true,
      fullRefresh: values['fullRefresh'] === true || values['forceFullRefresh'] === true,
      forceFullRefresh: values['forceFullRefresh'] === true,
      rebuildUpToDate: values['rebuildUpToDate'] === true,
      exclude: terms((values['exclude'] as string[] | undefined) ?? []),
      state: values['state'] as string | undefined,
      defer: values['defer'] === true,
      failFast: values['failFast'] === true,
      atomic: values['atomic'] === true,
      dbtArtifacts: values['dbtArtifacts'] === true,
      target: values['target'] as string | undefined,
    };
    if (options.target !== undefined) targetSchemaOf(options.target);
    if (options.defer && options.state === undefined)
      throw new ReelhouseError({
        code: 'invalid_input',
        message: 'models build: --defer needs --state DIR',
      });
    select({
      name: 'models build',
      options,
      execute: (context) => modelsBuildCommand(options, context),
    });
  });
  registerEnvironmentCommands(models, select);
  registerFreshnessCommand(models, select);
  registerLineageCommand(models, select);
  models
    .command('docs')
    .description('model docs and lineage, written offline')
    .option('--out <dir>', 'where to write them (default target/docs)')
    .action((values: Record<string, unknown>) => {
      const options: ModelsDocsOptions = { out: values['out'] as string | undefined };
      select({
        name: 'models docs',
        options,
        execute: (context) => modelsDocsCommand(options, context),
      });
    });
};

/** One line per model: status, materialization, rows and test outcome. */
export function renderBuildSummary(result: BuildResult): string {
  const width = Math.max(5, ...result.models.map((m) => m.name.length));
  const lines = result.models.map((m) => {
    if (m.mode === 'up_to_date')
      return `  ${m.status.padEnd(7)} ${m.name.padEnd(width)}  ${m.materialization.padEnd(11)} ${'up to date'.padStart(14)}  sources and code unchanged since its last build`;
    const failing = m.tests.filter((t) => t.status !== 'pass');
    const tests = `${m.tests.length - failing.length}/${m.tests.length} tests pass`;
    const rows = m.rows === null ? '' : `${m.rows.toLocaleString('en-US')} rows`;
    const problems = [
      m.error?.message,
      ...failing.map((t) => `${t.name} ${t.status} (${t.failures} rows)`),
    ].filter((p) => p !== undefined);
    return `  ${m.status.padEnd(7)} ${m.name.padEnd(width)}  ${m.materialization.padEnd(11)} ${rows.padStart(14)}  ${tests}${problems.length > 0 ? `  ${problems.join('; ')}` : ''}`;
  });
  const verdict = result.validateOnly
    ? `validated (rolled back): ${result.status}`
    : `${result.status}${publishedLine(result)}`;
  return `${lines.join('\n')}\nbuild ${result.buildId}: ${verdict} in ${(result.durationMs / 1000).toFixed(1)} s${result.error ? `: ${result.error.message}` : ''}\n`;
}

function publishedLine(result: BuildResult): string {
  if (result.published) return `, published to ${result.targetSchema}`;
  const built = result.models.filter((m) => m.mode !== 'up_to_date').length;
  const skipped = result.models.filter((m) => m.status === 'skipped').map((m) => m.name);
  const published = result.publishedModels.length;
  return `, ${published === 0 ? 'nothing' : `${published} of ${built} models`} published to ${result.targetSchema}${skipped.length > 0 ? `; skipped: ${skipped.join(', ')}` : ''}`;
}

/** Where each model is defined, for `path:` selectors. */
const modelPath = (name: string) => `packages/models/src/${name}.ts`;

/** `models build`: the transforms alone; `--dry-run` compiles offline and prints the plan and SQL. */
export async function modelsBuildCommand(
  command: ModelsBuildOptions,
  context: CliContext,
): Promise<number> {
  const { config, stdout, stderr } = context;
  const previous =
    command.state === undefined ? undefined : await readPreviousState(fromRoot(command.state));
  if (command.dryRun) {
    const project = compileProject(models);
    const selected = new Set(
      selectModels(project, command.select, {
        exclude: command.exclude,
        previous,
        modelPath,
      }),
    );
    for (const model of project.models.filter((m) => selected.has(m.name))) {
      stdout.write(
        `-- ${model.name} (${model.materialization.type}) depends on: ${model.dependsOn.join(', ') || 'sources only'}\n${model.sql};\n\n`,
      );
    }
    stderr.write(`dry run: ${selected.size} models compiled, no database touched\n`);
    return exitCodes.success;
  }
  const targetDir = fromRoot(command.output.targetDir ?? 'target');
  const logger = createLogger({
    level: config.logLevel,
    file: command.output.logFile === undefined ? undefined : fromRoot(command.output.logFile),
  });
  const resources = await openResources({
    config,
    needs: 'warehouse',
    logger,
    announce: (line) => stderr.write(`using ${line}\n`),
  });
  try {
    const result = await buildModels(createKysely(resources.warehouse), {
      models,
      select: command.select,
      exclude: command.exclude,
      ...(previous === undefined ? {} : { previous }),
      modelPath,
      defer: command.defer,
      failFast: command.failFast,
      atomic: command.atomic,
      dbtArtifacts: command.dbtArtifacts,
      exposures: await dashboardExposures(),
      ...(command.target === undefined
        ? {}
        : { targetSchema: targetSchemaOf(command.target), virtualBase: 'trusted' }),
      fullRefresh: command.fullRefresh,
      forceFullRefresh: command.forceFullRefresh,
      validateOnly: command.validate,
      ...(command.rebuildUpToDate
        ? {}
        : { sourceVersions: await readSourceVersions(resources.warehouse) }),
      artifactsDir: join(targetDir, 'models'),
      runsDir: join(targetDir, 'runs'),
      signal: context.signal,
      logger,
    });
    // Off a terminal stdout carries the JSON logs: the human summary goes to stderr.
    (stdout.isTTY ? stdout : stderr).write(
      `${renderBuildSummary(result)}artifacts: ${join(targetDir, 'runs', result.buildId)}\n`,
    );
    return result.status === 'success' ? exitCodes.success : exitCodes.failed;
  } finally {
    await resources.close();
  }
}

/** `models docs`: Markdown, Mermaid lineage and an HTML page of the models, written offline. */
export async function modelsDocsCommand(
  command: ModelsDocsOptions,
  context: CliContext,
): Promise<number> {
  const outDir = fromRoot(command.out ?? 'target/docs');
  const docs = renderModelDocs(compileProject(models), {
    lineage: await columnLineage(models),
    exposures: await dashboardExposures(),
  });
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'models.md'), docs.markdown);
  await writeFile(join(outDir, 'lineage.mmd'), docs.mermaid);
  await writeFile(join(outDir, 'index.html'), docs.html);
  context.stderr.write(`wrote ${join(outDir, 'models.md')}, lineage.mmd and index.html\n`);
  return exitCodes.success;
}

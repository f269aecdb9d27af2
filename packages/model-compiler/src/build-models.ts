import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

import { sql } from 'kysely';

import { classifyError, silentLogger, type Logger } from '@reelhouse/core';
import { notifyModelsPublished } from '@reelhouse/warehouse';

import type { AnyKysely } from './any-kysely.ts';
import { buildModel, type PublishStep } from './build-model.ts';
import type { BuildMode, BuildResult, ModelResult } from './build-result.ts';
import { throwIfAborted, withCancelOnAbort } from './cancel-on-abort.ts';
import type { CompiledModel, CompiledProject } from './compiled-model.ts';
import { compileProject } from './compile-project.ts';
import type { AnyModel } from './define-model.ts';
import {
  readModelStates,
  recordModelStates,
  staleReason,
  type ModelState,
  type SourceVersions,
} from './model-state.ts';
import { byTimeRange } from './incremental-delta.ts';
import type { UpstreamChanges } from './model-context.ts';
import { publishBuild } from './publish-build.ts';
import { relationExists } from './relation-exists.ts';
import { runGraph } from './run-graph.ts';
import { selectModels, type SelectModelsOptions } from './select-models.ts';
import type { PreviousState } from './selector-methods.ts';
import { createVirtualViews, planVirtualEnvironment } from './virtual-environment.ts';
import { withBuildLock } from './with-build-lock.ts';
import { writeArtifacts } from './write-artifacts.ts';
import type { Exposure } from './exposure.ts';

export interface BuildModelsOptions {
  /** The project: every model, in any order. */
  readonly models: readonly AnyModel[];
  /** dbt selectors (see `selectModels`); default every model. Unselected upstream models are read as published. */
  readonly select?: readonly string[];
  /** Selectors of models left out (dbt's `--exclude`). */
  readonly exclude?: readonly string[];
  /** An earlier build's artifacts (`readPreviousState`), for `state:`, `result:` and `source_status:` selectors and `defer`. */
  readonly previous?: PreviousState;
  /** The file each model is defined in, for `path:` selectors. */
  readonly modelPath?: SelectModelsOptions['modelPath'];
  /**
   * dbt's `--defer`: an unselected upstream model missing from `targetSchema` is read from the
   * schema `previous` built into (e.g. a dev target reads what it did not build from `trusted`).
   */
  readonly defer?: boolean;
  /**
   * Build a virtual environment over this schema (e.g. `trusted` under a dev `targetSchema`):
   * models unchanged since their build there are views over its relations (zero copy, SQLMesh's
   * virtual layer); the rest of the selection is built. `promoteEnvironment` swaps it in.
   */
  readonly virtualBase?: string;
  /** Rebuild incremental models from scratch (except those with `allowFullRefresh: false`). */
  readonly fullRefresh?: boolean;
  /** With `fullRefresh`, also rebuild the models protected by `allowFullRefresh: false`. */
  readonly forceFullRefresh?: boolean;
  /** Run the whole build, tests and publish included, in one transaction that is rolled back; nothing is skipped as up to date. */
  readonly validateOnly?: boolean;
  /**
   * Publish only if every selected model passed, all in one transaction (the behaviour before
   * dbt's semantics). Default false: a model that fails its build, a blocking test or its publish
   * is not published and its descendants are skipped; every other model is published.
   */
  readonly atomic?: boolean;
  /** Start no model after the first failure (dbt's `--fail-fast`); what passed is still published unless `atomic`. */
  readonly failFast?: boolean;
  /** Default `trusted`. */
  readonly targetSchema?: string;
  /**
   * Models built at once at most. Default 2. The pool needs `concurrency + 2` connections: one
   * holds the lock, one stays free to cancel statements on abort.
   */
  readonly concurrency?: number;
  /**
   * Roles granted `select` on every relation this build publishes (e.g. the dashboard's read-only
   * role): tables built in the staging schema miss `trusted`'s default privileges. Grants already
   * held on replaced relations are carried over regardless.
   */
  readonly grantSelectTo?: readonly string[];
  /** How long the publish transaction waits for readers' locks on replaced relations. Default 60 s. */
  readonly publishLockTimeoutMs?: number;
  /** Writes `manifest.json` and `run_results.json` there (overwritten by the next build). */
  readonly artifactsDir?: string;
  /** Keeps each build's artifacts in `<runsDir>/<buildId>/`, the folder `--state` reads. */
  readonly runsDir?: string;
  /** Also writes dbt-compatible `manifest.json` (v12) and `run_results.json` (v6) into `dbt/` of each artifacts folder. */
  readonly dbtArtifacts?: boolean;
  /** Consumers of the models (dbt's exposures), written into the manifests. */
  readonly exposures?: readonly Exposure[];
  /**
   * The current version of each source relation (e.g. `@reelhouse/extractor`'s `readSourceVersions`):
   * a value that changes whenever the relation's data does. Given, and without `fullRefresh`, a
   * selected model is skipped as up to date (mode `up_to_date`, its published relation kept) when
   * its last published build had the same fingerprint, read every source at these versions and saw
   * every upstream model as it is published now, none of them rebuilt in this run: SQLMesh's
   * behaviour, dbt's `source_status:fresher+`. Models by time range are always built.
   */
  readonly sourceVersions?: SourceVersions;
  /** Models by time range build the intervals before the one holding this instant. Default: now. */
  readonly now?: Date;
  readonly signal?: AbortSignal;
  readonly logger?: Logger;
}

/**
 * Builds the selected models write-audit-publish: each into a fresh staging schema in dependency
 * order (parallel where the graph allows), contract applied and tests run right after it; then
 * publishes, in one transaction with a savepoint per model, every model that passed and whose
 * upstream models did: a failed model and its descendants leave the target as it was (with
 * `atomic`, any failure publishes nothing). One build at a time per warehouse (`lock_unavailable`
 * otherwise).
 *
 * @example
 * const result = await buildModels(db, { models, select: ['+fact_viewing_session'], artifactsDir: 'target' });
 * if (result.status === 'error') console.error(result.models.filter((m) => m.status === 'error'));
 */
export async function buildModels(
  db: AnyKysely,
  options: BuildModelsOptions,
): Promise<BuildResult> {
  const started = performance.now();
  const logger = options.logger ?? silentLogger;
  const targetSchema = options.targetSchema ?? 'trusted';
  const project = compileProject(options.models, { targetSchema });
  const chosen = selectModels(project, options.select ?? [], {
    previous: options.previous,
    exclude: options.exclude,
    sourceVersions: options.sourceVersions,
    modelPath: options.modelPath,
  });
  const base = options.validateOnly === true ? undefined : options.virtualBase;
  const plan =
    base === undefined
      ? { build: chosen, virtual: [] }
      : await planVirtualEnvironment(db, {
          project: compileProject(options.models, { targetSchema: base }),
          base,
          selected: chosen,
        });
  const selected = plan.build;
  const buildId = `${new Date().toISOString().replace(/\D/g, '').slice(0, 14)}_${randomBytes(3).toString('hex')}`;
  const stagingSchema = `${targetSchema}__build_${buildId}`;
  const validateOnly = options.validateOnly ?? false;
  const run: BuildRun = {
    db,
    options,
    project,
    selected,
    stagingSchema,
    buildId,
    logger: logger.child({ buildId }),
    results: new Map(),
    steps: new Map(),
    builtInRun: new Set(selected),
    states: new Map(),
    deferredTo: new Map(),
    virtual: new Map(plan.virtual.map((name) => [name, base ?? targetSchema])),
    compiled: new Map(project.models.map((model) => [model.name, model])),
  };
  throwIfAborted(options.signal);
  run.logger.info(
    { models: selected, stagingSchema, validateOnly, fullRefresh: options.fullRefresh ?? false },
    'model build started',
  );
  const outcome = await withBuildLock(db, targetSchema, async () => {
    if (base !== undefined && plan.virtual.length > 0)
      await createVirtualViews(db, { target: targetSchema, base, names: plan.virtual });
    return validateOnly ? runValidateOnly(run) : runAndPublish(run);
  });
  const models = selected.map((name) => run.results.get(name) ?? skipped(project, name, 'not run'));
  const failed = models.some((model) => model.status !== 'success') || outcome.error !== undefined;
  const publishedModels = outcome.publishedModels ?? [];
  const result: BuildResult = {
    step: 'build_models',
    buildId,
    status: failed ? 'error' : 'success',
    targetSchema,
    stagingSchema,
    published: !failed && outcome.published,
    publishedModels,
    validateOnly,
    models,
    rowsRead: 0,
    rowsWritten: models.reduce((sum, model) => sum + (model.rows ?? 0), 0),
    rowsRejected: 0,
    durationMs: Math.round(performance.now() - started),
    warnings: models.flatMap((model) =>
      model.tests
        .filter((test) => test.status === 'warn')
        .map((test) => `${model.name}: ${test.name} warns (${test.failures} rows)`),
    ),
    ...(outcome.error === undefined ? {} : { error: outcome.error }),
  };
  const artifacts = {
    project,
    result,
    sourceVersions: options.sourceVersions ?? {},
    ...(options.exposures === undefined ? {} : { exposures: options.exposures }),
  };
  const dbt = options.dbtArtifacts ?? false;
  if (options.artifactsDir !== undefined)
    await writeArtifacts(options.artifactsDir, { ...artifacts, dbt });
  if (options.runsDir !== undefined)
    await writeArtifacts(join(options.runsDir, buildId), { ...artifacts, dbt });
  return result;
}

interface BuildRun {
  readonly db: AnyKysely;
  readonly options: BuildModelsOptions;
  readonly project: CompiledProject;
  readonly selected: readonly string[];
  readonly stagingSchema: string;
  readonly buildId: string;
  readonly logger: Logger;
  readonly results: Map<string, ModelResult>;
  readonly steps: Map<string, PublishStep>;
  /** Selected models not skipped as up to date: references to them read the staging schema. */
  readonly builtInRun: Set<string>;
  /** What each published model's last build read, loaded once the build lock is held. */
  states: ReadonlyMap<string, ModelState>;
  /** Unselected upstream models read from another schema (`defer`, virtual models). */
  deferredTo: ReadonlyMap<string, string>;
  /** Virtual models: views of the target over the base's relations, which the build reads directly. */
  readonly virtual: ReadonlyMap<string, string>;
  /** The project's compiled models by name. */
  readonly compiled: ReadonlyMap<string, CompiledModel>;
}

/** Models by time range replace whole intervals each run: never skipped, never "unchanged". */
function builtByTimeRange(model: CompiledModel): boolean {
  return model.materialization.type === 'incremental' && byTimeRange(model.materialization);
}

interface RunOutcome {
  /** The publish transaction committed (it may have held models back). */
  readonly published: boolean;
  readonly publishedModels?: readonly string[];
  readonly error?: BuildResult['error'];
}

async function runAndPublish(run: BuildRun): Promise<RunOutcome> {
  const { db, stagingSchema } = run;
  await sql`create schema ${sql.id(stagingSchema)}`.execute(db);
  try {
    const allPassed = await buildSelected(run, (work) =>
      db
        .connection()
        .execute((connection) =>
          withCancelOnAbort({ connection, canceller: db, signal: run.options.signal }, work),
        ),
    );
    if (!allPassed && run.options.atomic === true) return { published: false };
    const publishStarted = performance.now();
    const publishedModels = await db
      .transaction()
      .execute((trx) =>
        withCancelOnAbort(
          { connection: trx, canceller: db, signal: run.options.signal },
          (guarded) => publish(run, guarded),
        ),
      );
    run.logger.info(
      {
        models: publishedModels.length,
        targetSchema: run.project.targetSchema,
        publishMs: Math.round(performance.now() - publishStarted),
      },
      'build published',
    );
    return { published: true, publishedModels };
  } catch (error) {
    const classified = classifyError(error, { stagingSchema });
    if (classified.code === 'aborted') throw classified;
    run.logger.error({ code: classified.code, err: classified.message }, 'build not published');
    return { published: false, error: { code: classified.code, message: classified.message } };
  } finally {
    // A failure here must not hide the build's own outcome: an orphan schema is only clutter.
    await sql`drop schema if exists ${sql.id(stagingSchema)} cascade`
      .execute(db)
      .catch((error: unknown) => {
        run.logger.warn({ stagingSchema, err: String(error) }, 'staging schema not dropped');
      });
  }
}

// Thrown to roll the validation transaction back once everything ran.
class ValidationRollback extends Error {}

async function runValidateOnly(run: BuildRun): Promise<RunOutcome> {
  let outcome: RunOutcome = { published: false };
  try {
    await run.db.transaction().execute((trx) =>
      withCancelOnAbort(
        { connection: trx, canceller: run.db, signal: run.options.signal },
        async (guarded) => {
          await sql`create schema ${sql.id(run.stagingSchema)}`.execute(guarded);
          // One transaction is one connection: models run one after the other.
          const allPassed = await buildSelected(run, (work) => work(guarded), 1);
          if (allPassed || run.options.atomic !== true) await publish(run, guarded);
          throw new ValidationRollback();
        },
      ),
    );
  } catch (error) {
    if (error instanceof ValidationRollback) return outcome;
    const classified = classifyError(error, { stagingSchema: run.stagingSchema });
    if (classified.code === 'aborted') throw classified;
    outcome = { published: false, error: { code: classified.code, message: classified.message } };
  }
  return outcome;
}

type OnConnection = <T>(work: (connection: AnyKysely) => Promise<T>) => Promise<T>;

async function buildSelected(
  run: BuildRun,
  onConnection: OnConnection,
  concurrency = run.options.concurrency ?? 2,
): Promise<boolean> {
  const { builtInRun } = run;
  run.states = await onConnection((connection) =>
    readModelStates(connection, run.project.targetSchema),
  );
  const deferred = await onConnection((connection) => deferredUpstream(run, connection));
  run.deferredTo = new Map([...run.virtual, ...deferred]);
  const modes = new Map<string, BuildMode>();
  const byName = new Map(run.options.models.map((model) => [model.name, model]));
  const outcomes = await runGraph({
    nodes: run.selected,
    dependsOn: (name) => run.compiled.get(name)?.dependsOn ?? [],
    concurrency,
    signal: run.options.signal,
    failFast: run.options.failFast,
    skip: (name, because) => run.results.set(name, skipped(run.project, name, because)),
    run: async (name) => {
      const model = byName.get(name);
      if (model === undefined) return 'error';
      // Logged when scheduled, before any await: the order of these lines shows the parallelism.
      run.logger.debug({ model: name }, 'model started');
      const upToDate = await onConnection((connection) => checkUpToDate(run, connection, name));
      if (upToDate !== undefined) {
        builtInRun.delete(name);
        run.results.set(name, upToDate);
        return 'success';
      }
      const built = await onConnection((connection) =>
        buildModel({
          db: connection,
          model,
          stagingSchema: run.stagingSchema,
          targetSchema: run.project.targetSchema,
          builtInRun,
          deferredTo: run.deferredTo,
          fullRefresh: run.options.fullRefresh ?? false,
          forceFullRefresh: run.options.forceFullRefresh ?? false,
          modes,
          now: run.options.now ?? new Date(),
          logger: run.logger,
          upstreamChanges: (upstream) => upstreamChanges(run, name, upstream),
        }),
      );
      run.results.set(name, built.result);
      if (built.result.mode !== undefined) modes.set(name, built.result.mode);
      if (built.publish !== undefined) run.steps.set(name, built.publish);
      return built.result.status === 'success' ? 'success' : 'error';
    },
  });
  throwIfAborted(run.options.signal);
  return [...outcomes.values()].every((outcome) => outcome === 'success');
}

/** Unselected upstream models missing from the target, read from the previous build's schema under `defer`. */
async function deferredUpstream(run: BuildRun, db: AnyKysely): Promise<Map<string, string>> {
  const deferred = new Map<string, string>();
  const from = run.options.previous?.targetSchema;
  if (run.options.defer !== true || from === undefined || from === run.project.targetSchema)
    return deferred;
  const selected = new Set(run.selected);
  for (const name of run.selected)
    for (const upstream of run.compiled.get(name)?.dependsOn ?? []) {
      if (selected.has(upstream) || deferred.has(upstream)) continue;
      if (!(await relationExists(db, `${run.project.targetSchema}.${upstream}`)))
        deferred.set(upstream, from);
    }
  if (deferred.size > 0)
    run.logger.info({ models: [...deferred.keys()], from }, 'upstream models deferred');
  return deferred;
}

/**
 * The result of a model skipped as up to date, or `undefined` when it must be built: skipping
 * needs source versions, no full refresh, a relation in the target and a matching recorded state.
 */
async function checkUpToDate(
  run: BuildRun,
  db: AnyKysely,
  name: string,
): Promise<ModelResult | undefined> {
  const started = performance.now();
  const { sourceVersions } = run.options;
  const model = run.compiled.get(name);
  // A validation checks every selected model, unchanged ones included.
  if (
    sourceVersions === undefined ||
    run.options.fullRefresh === true ||
    run.options.validateOnly === true ||
    model === undefined
  )
    return undefined;
  if (builtByTimeRange(model)) return undefined;
  const stale = staleReason({
    state: run.states.get(name),
    fingerprint: model.fingerprint,
    sources: model.sources,
    sourceVersions,
    upstream: model.dependsOn,
    currentBuildOf: (upstream) => run.states.get(upstream)?.buildId ?? null,
    rebuiltInRun: (upstream) => changedInRun(run, upstream),
  });
  if (stale !== undefined) {
    run.logger.debug({ model: name, because: stale }, 'model not up to date');
    return undefined;
  }
  if (!(await relationExists(db, `${run.project.targetSchema}.${name}`))) return undefined;
  run.logger.info({ model: name, mode: 'up_to_date' }, 'model up to date: skipped');
  return {
    name,
    materialization: model.materialization.type,
    mode: 'up_to_date',
    status: 'success',
    rows: 0,
    startedAt: new Date().toISOString(),
    durationMs: Math.round(performance.now() - started),
    tests: [],
  };
}

/**
 * What `upstream` changed in this build, for `model`'s incremental run: nothing when it is not
 * rebuilt here, its delta (rows, removed keys, previous table) when it is merged by key here; and
 * `undefined` (unknown) when it is rebuilt whole or by time range, or when `model`'s last build did
 * not see the upstream's last published state (a build published the upstream without it, e.g.
 * after its failure), since the delta then misses changes `model` never received.
 */
function upstreamChanges(
  run: BuildRun,
  model: string,
  upstream: string,
): UpstreamChanges | undefined {
  const own = run.states.get(model);
  const seen = run.states.get(upstream);
  if (own === undefined || seen === undefined || own.upstreamBuilds[upstream] !== seen.buildId)
    return undefined;
  if (!run.builtInRun.has(upstream)) return { kind: 'unchanged' };
  const step = run.steps.get(upstream);
  if (step?.kind !== 'apply_delta' || run.results.get(upstream)?.mode !== 'incremental_delta')
    return undefined;
  if (byTimeRange(step.plan.materialization) || step.plan.materialization.strategy === 'append')
    return undefined;
  return {
    kind: 'delta',
    upserted: step.plan.delta,
    removed: step.plan.deleted,
    previous: step.plan.target,
  };
}

/**
 * Whether this run changes the model's data: an incremental run that merged no row into an
 * unchanged model (not by time range, whose empty ranges delete) leaves its table as it was.
 */
function changedInRun(run: BuildRun, name: string): boolean {
  if (!run.builtInRun.has(name)) return false;
  const result = run.results.get(name);
  const model = run.compiled.get(name);
  const unchanged =
    result?.mode === 'incremental_delta' &&
    result.rows === 0 &&
    model !== undefined &&
    !builtByTimeRange(model) &&
    run.states.get(name)?.fingerprint === model.fingerprint;
  return !unchanged;
}

/**
 * What each model published by this run read, for the next build's up-to-date check. `buildId` is
 * the build that last changed a model's data: downstream models compare it.
 */
function publishedStates(run: BuildRun, published: readonly string[]): ModelState[] {
  const versions = run.options.sourceVersions ?? {};
  return published.flatMap((name) => {
    const model = run.compiled.get(name);
    if (model === undefined) return [];
    const sourceVersions = Object.fromEntries(
      model.sources.flatMap((source) => {
        const version = versions[source];
        return version === undefined ? [] : [[source, version]];
      }),
    );
    const upstreamBuilds = Object.fromEntries(
      model.dependsOn.map((upstream) => [
        upstream,
        changedInRun(run, upstream) ? run.buildId : (run.states.get(upstream)?.buildId ?? null),
      ]),
    );
    return [
      {
        model: name,
        fingerprint: model.fingerprint,
        sourceVersions,
        upstreamBuilds,
        buildId: changedInRun(run, name)
          ? run.buildId
          : (run.states.get(name)?.buildId ?? run.buildId),
      },
    ];
  });
}

/**
 * Publishes the models that passed (each under its own savepoint unless `atomic`), records their
 * state, and turns publish failures and held-back descendants into results; returns what it published.
 */
async function publish(run: BuildRun, trx: AnyKysely): Promise<readonly string[]> {
  const steps = run.selected
    .filter((name) => run.results.get(name)?.status === 'success')
    .map((name) => run.steps.get(name))
    .filter((step) => step !== undefined);
  // Replacing a table waits for its readers; fail the build rather than queue every new reader behind it.
  await sql`select set_config('lock_timeout', ${`${run.options.publishLockTimeoutMs ?? 60_000}ms`}, true)`.execute(
    trx,
  );
  const outcome = await publishBuild(trx, {
    project: run.project,
    stagingSchema: run.stagingSchema,
    steps,
    buildId: run.buildId,
    grantSelectTo: run.options.grantSelectTo,
    isolate: run.options.atomic !== true,
  });
  for (const [name, error] of outcome.failed) {
    const result = run.results.get(name);
    if (result === undefined) continue;
    run.logger.error({ model: name, code: error.code, err: error.message }, 'model not published');
    run.results.set(name, {
      ...result,
      status: 'error',
      error: { code: error.code, message: `publish failed: ${error.message}` },
    });
  }
  for (const [name, because] of outcome.heldBack)
    run.results.set(name, skipped(run.project, name, because));
  await recordModelStates(trx, {
    targetSchema: run.project.targetSchema,
    states: publishedStates(run, outcome.published),
  });
  // Heard at commit by caches over the schema (the dashboard's), whatever the publish changed.
  if (outcome.published.length > 0) await notifyModelsPublished(trx, run.project.targetSchema);
  return outcome.published;
}

function skipped(project: CompiledProject, name: string, because: string): ModelResult {
  const model = project.models.find((candidate) => candidate.name === name);
  return {
    name,
    materialization: model?.materialization.type ?? 'table',
    status: 'skipped',
    rows: null,
    durationMs: 0,
    tests: [],
    error: skipReason(because),
  };
}

function skipReason(because: string): NonNullable<ModelResult['error']> {
  switch (because) {
    case 'aborted':
      return { code: 'aborted', message: 'the build was aborted' };
    case 'fail_fast':
      return { code: 'upstream_failed', message: 'not run: a model failed and --fail-fast is set' };
    default:
      return {
        code: 'upstream_failed',
        message: `upstream model ${because} failed or was skipped`,
      };
  }
}

import type { CompiledModel, CompiledProject } from './compiled-model.ts';
import type { SourceVersions } from './model-state.ts';

/** What an earlier invocation left in its artifacts folder (`--state DIR`): enables the state-based methods. */
export interface PreviousState {
  /** Every model of that project with its fingerprint (`manifest.json`). */
  readonly models: readonly { readonly name: string; readonly fingerprint: string }[];
  /** Each model's outcome in that run (`run_results.json`). */
  readonly results?: readonly SelectorModelResult[] | undefined;
  /** The source versions that run read. */
  readonly sourceVersions?: SourceVersions | undefined;
  /** The schema that run built into: `--defer` reads unselected upstream models there. */
  readonly targetSchema?: string | undefined;
}

export interface SelectorModelResult {
  readonly name: string;
  readonly status: 'success' | 'error' | 'skipped';
  readonly error?: { readonly code: string } | undefined;
  readonly tests: readonly { readonly status: string }[];
}

export interface SelectorContext {
  readonly project: CompiledProject;
  readonly previous?: PreviousState | undefined;
  /** Current source versions, for `source_status:fresher`. */
  readonly sourceVersions?: SourceVersions | undefined;
  /** The file a model is defined in, relative to the workspace, for `path:`. Default `models/<name>.ts`. */
  readonly modelPath?: ((name: string) => string) | undefined;
}

/** A method's matches, or a message saying why the term cannot be evaluated. */
export type MethodMatch = { readonly names: readonly string[] } | { readonly problem: string };

const genericKinds = new Set(['unique', 'not_null', 'accepted_values', 'relationships']);

/**
 * Models matched by one selector method and value (`tag:daily`, `config.materialized:view`, a
 * model name or `*` glob), following dbt's node selection methods.
 */
export function matchMethod(context: SelectorContext, method: string, value: string): MethodMatch {
  const { project, previous } = context;
  const where = (keep: (model: CompiledModel) => boolean) => ({
    names: project.models.filter(keep).map((model) => model.name),
  });
  switch (method) {
    case '':
    case 'fqn':
      return where((model) => glob(value).test(model.name));
    case 'tag':
      return where((model) => model.tags.some((tag) => glob(value).test(tag)));
    case 'path': {
      const path = context.modelPath ?? ((name: string) => `models/${name}.ts`);
      const prefix = value.replace(/\/+$/, '');
      return where((model) => {
        const file = path(model.name);
        return file === prefix || file.startsWith(`${prefix}/`) || glob(prefix).test(file);
      });
    }
    case 'config.materialized':
      return where((model) => model.materialization.type === value);
    case 'resource_type':
      return where((model) => model.resourceType === value);
    case 'source':
      return where((model) => model.sources.some((source) => glob(value).test(source)));
    case 'test_type':
      if (value !== 'generic' && value !== 'singular')
        return {
          problem: `test_type:${value}: models carry generic and singular tests (unit tests are vitest files)`,
        };
      return where((model) =>
        model.tests.some((test) => genericKinds.has(test.kind) === (value === 'generic')),
      );
    case 'state': {
      if (previous === undefined) return { problem: `state:${value} needs --state DIR` };
      const before = new Map(previous.models.map((model) => [model.name, model.fingerprint]));
      if (value === 'new') return where((model) => !before.has(model.name));
      if (value === 'modified')
        return where((model) => before.get(model.name) !== model.fingerprint);
      return { problem: `state:${value}: use state:modified or state:new` };
    }
    case 'result': {
      if (previous?.results === undefined) return { problem: `result:${value} needs --state DIR` };
      if (!['error', 'fail', 'warn', 'skipped', 'success', 'pass'].includes(value))
        return { problem: `result:${value}: use error, fail, warn, skipped or success` };
      const matched = previous.results.filter((result) => resultIs(result, value));
      const names = new Set(matched.map((result) => result.name));
      return where((model) => names.has(model.name));
    }
    case 'source_status': {
      if (value !== 'fresher')
        return { problem: `source_status:${value}: use source_status:fresher` };
      if (previous?.sourceVersions === undefined || context.sourceVersions === undefined)
        return {
          problem:
            'source_status:fresher needs --state DIR of a run that recorded source versions, and current ones',
        };
      const before = previous.sourceVersions;
      const now = context.sourceVersions;
      return where((model) => model.sources.some((source) => before[source] !== now[source]));
    }
    default:
      return { problem: `unknown selector method '${method}'` };
  }
}

/** Result statuses: `error` (not published: its build or a blocking test failed), `fail` (a blocking test failed), `warn`, `skipped`, `success`/`pass`. */
function resultIs(result: SelectorModelResult, status: string): boolean {
  switch (status) {
    case 'error':
      return result.status === 'error';
    case 'fail':
      return result.status === 'error' && result.error?.code === 'data_test_failed';
    case 'warn':
      return result.tests.some((test) => test.status === 'warn');
    case 'skipped':
      return result.status === 'skipped';
    case 'success':
    case 'pass':
      return result.status === 'success';
    default:
      return false;
  }
}

function glob(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

import type { BuildResult, ModelResult } from './build-result.ts';
import type { CompiledModel, CompiledProject } from './compiled-model.ts';
import type { ResourceType } from './define-model.ts';
import type { Exposure } from './exposure.ts';

const project = 'reelhouse';
// The dbt version whose artifact schemas these follow (manifest v12, run_results v6).
const dbtVersion = '1.9.0';

export interface DbtArtifacts {
  readonly manifest: Record<string, unknown>;
  readonly runResults: Record<string, unknown>;
}

/** `model.reelhouse.<name>` (`seed.` or `snapshot.` for those); sources as `source.reelhouse.<schema>.<table>`. */
export const dbtModelId = (name: string, resourceType: ResourceType = 'model') =>
  `${resourceType}.${project}.${name}`;
const sourceId = (relation: string) => `source.${project}.${relation}`;
const exposureId = (name: string) => `exposure.${project}.${name}`;
const testId = (model: string, test: string) =>
  `test.${project}.${model}__${test.replace(/[^a-zA-Z0-9]+/g, '_').replace(/_+$/, '')}`;

/**
 * dbt-compatible `manifest.json` (v12: nodes with columns and dependencies, sources, parent and
 * child maps, exposures; empty macros) and `run_results.json` (v6) for tools of the dbt
 * ecosystem; models are `model.reelhouse.<name>`, their data tests `test.reelhouse.<model>__<test>`,
 * exposures `exposure.reelhouse.<name>` (the columns they read in `meta.columns`).
 */
export function toDbtArtifacts(
  compiled: CompiledProject,
  at: {
    readonly result: BuildResult;
    readonly generatedAt: string;
    readonly exposures?: readonly Exposure[];
  },
): DbtArtifacts {
  const nodes: Record<string, unknown> = {};
  const sources: Record<string, unknown> = {};
  const parentMap: Record<string, string[]> = {};
  const kinds = new Map(compiled.models.map((model) => [model.name, model.resourceType]));
  const nodeId = (name: string) => dbtModelId(name, kinds.get(name));
  for (const model of compiled.models) {
    const parents = [...model.dependsOn.map(nodeId), ...model.sources.map(sourceId)];
    nodes[nodeId(model.name)] = modelNode(model, { schema: compiled.targetSchema, parents });
    parentMap[nodeId(model.name)] = parents;
    for (const test of model.tests) {
      const id = testId(model.name, test.name);
      nodes[id] = {
        ...baseNode({ id, name: test.name, schema: compiled.targetSchema, model }),
        resource_type: 'test',
        checksum: { name: 'none', checksum: '' },
        alias: id.slice(`test.${project}.`.length),
        config: { severity: test.severity === 'error' ? 'ERROR' : 'WARN', enabled: true },
        depends_on: { macros: [], nodes: [nodeId(model.name)] },
        column_name: test.columns[0] ?? null,
        compiled_code: test.sql,
        language: 'sql',
      };
      parentMap[id] = [nodeId(model.name)];
    }
    for (const relation of model.sources) {
      const [schema = 'raw', table = relation] = relation.split('.');
      sources[sourceId(relation)] = {
        database: null,
        schema,
        name: table,
        resource_type: 'source',
        package_name: project,
        path: 'sources',
        original_file_path: 'sources',
        unique_id: sourceId(relation),
        fqn: [project, schema, table],
        source_name: schema,
        source_description: `The ${schema} layer, landed by the extractor.`,
        loader: 'reelhouse extractor',
        identifier: table,
        relation_name: `"${schema}"."${table}"`,
        columns: {},
      };
      parentMap[sourceId(relation)] = [];
    }
  }
  const exposures: Record<string, unknown> = {};
  const inProject = new Set(compiled.models.map((model) => model.name));
  for (const exposure of at.exposures ?? []) {
    const parents = exposure.dependsOn.filter((name) => inProject.has(name)).map((name) => nodeId(name));
    exposures[exposureId(exposure.name)] = exposureNode(exposure, parents);
    parentMap[exposureId(exposure.name)] = parents;
  }
  const childMap: Record<string, string[]> = Object.fromEntries(
    Object.keys(parentMap).map((id) => [id, []]),
  );
  for (const [child, parents] of Object.entries(parentMap))
    for (const parent of parents) childMap[parent]?.push(child);
  const manifest = {
    metadata: {
      dbt_schema_version: 'https://schemas.getdbt.com/dbt/manifest/v12.json',
      dbt_version: dbtVersion,
      generated_at: at.generatedAt,
      invocation_id: at.result.buildId,
      adapter_type: 'postgres',
      project_name: project,
    },
    nodes,
    sources,
    exposures,
    macros: {},
    docs: {},
    metrics: {},
    groups: {},
    selectors: {},
    disabled: {},
    parent_map: parentMap,
    child_map: childMap,
    group_map: {},
    saved_queries: {},
    semantic_models: {},
    unit_tests: {},
  };
  const byName = new Map(compiled.models.map((model) => [model.name, model]));
  const runResults = {
    metadata: {
      dbt_schema_version: 'https://schemas.getdbt.com/dbt/run-results/v6.json',
      dbt_version: dbtVersion,
      generated_at: at.generatedAt,
      invocation_id: at.result.buildId,
    },
    results: at.result.models.flatMap((result) => {
      const model = byName.get(result.name);
      return model === undefined
        ? []
        : modelResults(result, { model, schema: compiled.targetSchema });
    }),
    elapsed_time: at.result.durationMs / 1000,
    args: { which: 'build', target_schema: at.result.targetSchema },
  };
  return { manifest, runResults };
}

function exposureNode(exposure: Exposure, parents: readonly string[]) {
  return {
    name: exposure.name,
    resource_type: 'exposure',
    package_name: project,
    path: 'exposures',
    original_file_path: 'exposures',
    unique_id: exposureId(exposure.name),
    fqn: [project, exposure.name],
    type: exposure.type,
    owner: { name: exposure.owner.name, email: exposure.owner.email ?? null },
    description: exposure.description,
    label: exposure.label,
    maturity: null,
    meta: {
      columns: exposure.columns,
      metrics: exposure.metrics,
      ...(exposure.parent === undefined ? {} : { parent: exposure.parent }),
    },
    tags: [],
    config: { enabled: true, tags: [], meta: {} },
    unrendered_config: {},
    url: exposure.url ?? null,
    depends_on: { macros: [], nodes: [...parents] },
    refs: exposure.dependsOn.map((name) => ({ name, package: null, version: null })),
    sources: [],
    metrics: [],
    created_at: 0,
  };
}

function baseNode(at: { id: string; name: string; schema: string; model: CompiledModel }) {
  return {
    database: null,
    schema: at.schema,
    name: at.name,
    package_name: project,
    path: `${at.model.name}.ts`,
    original_file_path: `models/${at.model.name}.ts`,
    unique_id: at.id,
    fqn: [project, at.model.name, ...(at.name === at.model.name ? [] : [at.name])],
    tags: [...at.model.tags],
    description: at.name === at.model.name ? at.model.description : '',
  };
}

function modelNode(model: CompiledModel, at: { schema: string; parents: readonly string[] }) {
  const materialization = model.materialization;
  return {
    ...baseNode({
      id: dbtModelId(model.name, model.resourceType),
      name: model.name,
      schema: at.schema,
      model,
    }),
    resource_type: model.resourceType,
    alias: model.name,
    checksum: { name: 'sha256', checksum: model.fingerprint },
    config: {
      enabled: true,
      materialized: materialization.type,
      tags: [...model.tags],
      ...(materialization.type === 'incremental'
        ? {
            incremental_strategy: materialization.strategy,
            unique_key: materialization.uniqueKey ?? null,
          }
        : {}),
      contract: { enforced: true },
    },
    columns: Object.fromEntries(
      Object.entries(model.contract.columns).map(([name, column]) => [
        name,
        {
          name,
          description: column.description ?? '',
          data_type: column.type,
          constraints: [],
          meta: {},
          tags: [],
        },
      ]),
    ),
    depends_on: { macros: [], nodes: [...at.parents] },
    refs: model.dependsOn.map((name) => ({ name, package: null, version: null })),
    sources: model.sources.map((relation) => relation.split('.')),
    raw_code: '',
    compiled_code: model.sql,
    compiled: true,
    language: 'sql',
    relation_name: `"${at.schema}"."${model.name}"`,
  };
}

function modelResults(result: ModelResult, at: { model: CompiledModel; schema: string }) {
  const timing =
    result.startedAt === undefined
      ? []
      : [
          {
            name: 'execute',
            started_at: result.startedAt,
            completed_at: new Date(Date.parse(result.startedAt) + result.durationMs).toISOString(),
          },
        ];
  const common = { timing, thread_id: 'Thread-1', compiled: true };
  const own = {
    ...common,
    status: result.status,
    execution_time: result.durationMs / 1000,
    adapter_response: result.rows === null ? {} : { rows_affected: result.rows },
    message: result.error?.message ?? (result.mode === 'up_to_date' ? 'up to date' : null),
    failures: null,
    unique_id: dbtModelId(result.name, at.model.resourceType),
    compiled_code: at.model.sql,
    relation_name: `"${at.schema}"."${result.name}"`,
  };
  const tests = result.tests.map((test) => ({
    ...common,
    // dbt: a failing blocking test is `fail` (`error` means it could not run).
    status: test.status === 'error' ? 'fail' : test.status,
    execution_time: test.durationMs / 1000,
    adapter_response: {},
    message: test.status === 'pass' ? null : `${test.failures} failing rows`,
    failures: test.failures,
    unique_id: testId(result.name, test.name),
    compiled_code: test.sql,
    relation_name: null,
  }));
  return [own, ...tests];
}

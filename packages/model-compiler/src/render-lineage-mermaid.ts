import type { CompiledProject } from './compiled-model.ts';

// Mermaid node ids: letters, digits and underscores only.
const nodeId = (name: string) => name.replace(/[^A-Za-z0-9_]/g, '_');

/**
 * The project's lineage as a Mermaid flowchart: `raw` sources, then models, an edge from each
 * relation to the models reading it.
 *
 * @example
 * // graph LR
 * //   raw_users[("raw.users")]
 * //   stg_users["stg_users (view)"]
 * //   raw_users --> stg_users
 */
export function renderLineageMermaid(project: CompiledProject): string {
  const lines = ['graph LR'];
  const sources = [...new Set(project.models.flatMap((model) => model.sources))].sort();
  for (const source of sources) lines.push(`  ${nodeId(source)}[("${source}")]`);
  for (const model of project.models)
    lines.push(`  ${nodeId(model.name)}["${model.name} (${model.materialization.type})"]`);
  for (const model of project.models) {
    for (const source of model.sources) lines.push(`  ${nodeId(source)} --> ${nodeId(model.name)}`);
    for (const upstream of model.dependsOn)
      lines.push(`  ${nodeId(upstream)} --> ${nodeId(model.name)}`);
  }
  return lines.join('\n');
}

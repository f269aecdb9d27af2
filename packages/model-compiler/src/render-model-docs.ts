import type { ColumnLineage } from './column-lineage.ts';
import type { CompiledModel, CompiledProject } from './compiled-model.ts';
import type { Exposure } from './exposure.ts';
import { docsSearchBox, docsSearchScript } from './render-docs-search.ts';
import { renderLineageMermaid } from './render-lineage-mermaid.ts';
import {
  columnAnchor,
  escapeHtml,
  exposureCell,
  exposureLink,
  exposuresHtml,
  exposuresMarkdown,
  upstreamCell,
} from './render-lineage-docs.ts';
import { renderLineageSvg } from './render-lineage-svg.ts';

export interface ModelDocs {
  /** One Markdown document: the lineage (Mermaid), then a section per model. */
  readonly markdown: string;
  readonly mermaid: string;
  /** A single self-contained HTML page (inline SVG lineage, an inline search script, no external files). */
  readonly html: string;
}

export interface ModelDocsOptions {
  /** Column lineage (`columnLineage`): each column's upstream columns are shown. */
  readonly lineage?: ColumnLineage;
  /** Consumers of the models: listed, and named on each model and column they read. */
  readonly exposures?: readonly Exposure[];
}

/** What the model and column renderers share. */
interface DocsContext {
  readonly downstream: readonly string[];
  readonly lineage: ColumnLineage | undefined;
  readonly exposures: readonly Exposure[];
}
const escapeCell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/**
 * Renders model documentation (description, contract columns with their lineage, tests, upstream,
 * downstream and exposures), the lineage graph and the exposures, on a page with a search box.
 */
export function renderModelDocs(
  project: CompiledProject,
  options: ModelDocsOptions = {},
): ModelDocs {
  const exposures = options.exposures ?? [];
  const context = (model: CompiledModel): DocsContext => ({
    downstream: downstream.get(model.name) ?? [],
    lineage: options.lineage,
    exposures,
  });
  const mermaid = renderLineageMermaid(project);
  const downstream = new Map<string, string[]>();
  for (const model of project.models)
    for (const upstream of model.dependsOn)
      downstream.set(upstream, [...(downstream.get(upstream) ?? []), model.name]);
  const markdown = [
    `# Models (${project.targetSchema})`,
    '',
    '```mermaid',
    mermaid,
    '```',
    '',
    ...project.models.flatMap((model) => modelMarkdown(model, context(model))),
    ...exposuresMarkdown(exposures),
  ].join('\n');
  const html = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><title>Reelhouse models</title>',
    '<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}pre{background:#f6f6f6;padding:8px;overflow:auto}svg{max-width:100%;height:auto}tr:target{background:#fff6d5}</style>',
    `</head><body><h1>Models (${escapeHtml(project.targetSchema)})</h1>`,
    docsSearchBox,
    `<h2>Lineage</h2>${renderLineageSvg(project)}`,
    ...project.models.map((model) => modelHtml(model, context(model))),
    exposuresHtml(exposures),
    docsSearchScript,
    '</body></html>',
  ].join('\n');
  return { markdown, mermaid, html };
}

function modelMarkdown(model: CompiledModel, context: DocsContext): string[] {
  const { downstream, lineage, exposures } = context;
  const upstreamOf = (name: string) => {
    const upstream = lineage?.columns[`${model.name}.${name}`];
    return upstream === undefined ? [] : [upstream.join(', ') || 'constant'];
  };
  const columns = Object.entries(model.contract.columns).map(([name, column]) =>
    [
      '',
      name,
      column.type,
      column.nullable === true ? 'yes' : 'no',
      escapeCell(column.check ?? ''),
      escapeCell(column.description ?? ''),
      ...upstreamOf(name),
      '',
    ]
      .join(' | ')
      .trim(),
  );
  const readBy = exposures.filter((exposure) => exposure.dependsOn.includes(model.name));
  return [
    `## ${model.name}`,
    '',
    model.description,
    '',
    `- materialization: ${describeMaterialization(model)}`,
    `- tags: ${model.tags.join(', ') || 'none'}`,
    `- primary key: ${model.contract.primaryKey.join(', ') || 'none'}`,
    `- upstream: ${[...model.sources, ...model.dependsOn].join(', ') || 'none'}`,
    `- downstream: ${downstream.join(', ') || 'none'}`,
    ...(exposures.length > 0
      ? [`- exposures: ${readBy.map((exposure) => exposure.name).join(', ') || 'none'}`]
      : []),
    '',
    `| column | type | nullable | check | description |${lineage === undefined ? '' : ' upstream |'}`,
    `|---|---|---|---|---|${lineage === undefined ? '' : '---|'}`,
    ...columns,
    '',
    ...(model.tests.length > 0
      ? ['Tests:', '', ...model.tests.map((test) => `- ${test.name} (${test.severity})`), '']
      : []),
  ];
}

function modelHtml(model: CompiledModel, context: DocsContext): string {
  const { downstream, lineage, exposures } = context;
  const link = (name: string) =>
    name.includes('.')
      ? escapeHtml(name)
      : `<a href="#model-${escapeHtml(name)}">${escapeHtml(name)}</a>`;
  const extraHeads = `${lineage === undefined ? '' : '<th>upstream</th>'}${exposures.length === 0 ? '' : '<th>exposures</th>'}`;
  const rows = Object.entries(model.contract.columns)
    .map(([name, column]) => {
      const qualified = `${model.name}.${name}`;
      const search = [
        qualified,
        column.description ?? '',
        ...(lineage?.columns[qualified] ?? []),
        ...exposures.filter((e) => e.columns.includes(qualified)).map((e) => e.name),
      ]
        .join(' ')
        .toLowerCase();
      const extra = `${lineage === undefined ? '' : `<td>${upstreamCell(lineage, qualified)}</td>`}${exposures.length === 0 ? '' : `<td>${exposureCell(exposures, qualified)}</td>`}`;
      return `<tr id="${columnAnchor(qualified)}" data-search="${escapeHtml(search)}"><td>${escapeHtml(name)}</td><td>${column.type}</td><td>${column.nullable === true ? 'yes' : 'no'}</td><td>${escapeHtml(column.check ?? '')}</td><td>${escapeHtml(column.description ?? '')}</td>${extra}</tr>`;
    })
    .join('');
  const search = [model.name, model.description, ...model.tags].join(' ').toLowerCase();
  const readBy = exposures.filter((exposure) => exposure.dependsOn.includes(model.name));
  return [
    `<section id="model-${escapeHtml(model.name)}" data-search="${escapeHtml(search)}"><h2>${escapeHtml(model.name)}</h2><p>${escapeHtml(model.description)}</p>`,
    `<p>materialization: ${escapeHtml(describeMaterialization(model))}; tags: ${escapeHtml(model.tags.join(', ') || 'none')}; primary key: ${escapeHtml(model.contract.primaryKey.join(', ') || 'none')}</p>`,
    `<p>upstream: ${[...model.sources, ...model.dependsOn].map(link).join(', ') || 'none'}; downstream: ${downstream.map(link).join(', ') || 'none'}${exposures.length === 0 ? '' : `; exposures: ${readBy.map((exposure) => exposureLink(exposure.name)).join(', ') || 'none'}`}</p>`,
    `<table><thead><tr><th>column</th><th>type</th><th>nullable</th><th>check</th><th>description</th>${extraHeads}</tr></thead><tbody>${rows}</tbody></table>`,
    model.tests.length > 0
      ? `<ul>${model.tests.map((test) => `<li>${escapeHtml(test.name)} (${test.severity})</li>`).join('')}</ul>`
      : '',
    `<details><summary>SQL</summary><pre>${escapeHtml(model.sql)}</pre></details></section>`,
  ].join('\n');
}

function describeMaterialization(model: CompiledModel): string {
  const materialization = model.materialization;
  if (materialization.type !== 'incremental') return materialization.type;
  const by =
    materialization.timeColumn === undefined
      ? `${materialization.strategy} on ${materialization.uniqueKey.join(', ')}`
      : `by ${materialization.interval ?? 'day'} on ${materialization.timeColumn}`;
  return `incremental (${by}${materialization.allowFullRefresh === false ? ', protected from full refresh' : ''})`;
}

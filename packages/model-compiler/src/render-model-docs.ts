import type { CompiledModel, CompiledProject } from './compiled-model.ts';
import { renderLineageMermaid } from './render-lineage-mermaid.ts';
import { renderLineageSvg } from './render-lineage-svg.ts';

export interface ModelDocs {
  /** One Markdown document: the lineage (Mermaid), then a section per model. */
  readonly markdown: string;
  readonly mermaid: string;
  /** A single self-contained HTML page (inline SVG lineage, no scripts, no external files). */
  readonly html: string;
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const escapeCell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** Renders model documentation (description, contract columns, tests, upstream and downstream) and the lineage graph. */
export function renderModelDocs(project: CompiledProject): ModelDocs {
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
    ...project.models.flatMap((model) => modelMarkdown(model, downstream.get(model.name) ?? [])),
  ].join('\n');
  const html = [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8"><title>Reelhouse models</title>',
    '<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}pre{background:#f6f6f6;padding:8px;overflow:auto}svg{max-width:100%;height:auto}</style>',
    `</head><body><h1>Models (${escapeHtml(project.targetSchema)})</h1>`,
    `<h2>Lineage</h2>${renderLineageSvg(project)}`,
    ...project.models.map((model) => modelHtml(model, downstream.get(model.name) ?? [])),
    '</body></html>',
  ].join('\n');
  return { markdown, mermaid, html };
}

function modelMarkdown(model: CompiledModel, downstream: readonly string[]): string[] {
  const columns = Object.entries(model.contract.columns).map(
    ([name, column]) =>
      `| ${name} | ${column.type} | ${column.nullable === true ? 'yes' : 'no'} | ${escapeCell(column.check ?? '')} | ${escapeCell(column.description ?? '')} |`,
  );
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
    '',
    '| column | type | nullable | check | description |',
    '|---|---|---|---|---|',
    ...columns,
    '',
    ...(model.tests.length > 0
      ? ['Tests:', '', ...model.tests.map((test) => `- ${test.name} (${test.severity})`), '']
      : []),
  ];
}

function modelHtml(model: CompiledModel, downstream: readonly string[]): string {
  const link = (name: string) =>
    name.includes('.')
      ? escapeHtml(name)
      : `<a href="#model-${escapeHtml(name)}">${escapeHtml(name)}</a>`;
  const rows = Object.entries(model.contract.columns)
    .map(
      ([name, column]) =>
        `<tr><td>${escapeHtml(name)}</td><td>${column.type}</td><td>${column.nullable === true ? 'yes' : 'no'}</td><td>${escapeHtml(column.check ?? '')}</td><td>${escapeHtml(column.description ?? '')}</td></tr>`,
    )
    .join('');
  return [
    `<section id="model-${escapeHtml(model.name)}"><h2>${escapeHtml(model.name)}</h2><p>${escapeHtml(model.description)}</p>`,
    `<p>materialization: ${escapeHtml(describeMaterialization(model))}; tags: ${escapeHtml(model.tags.join(', ') || 'none')}; primary key: ${escapeHtml(model.contract.primaryKey.join(', ') || 'none')}</p>`,
    `<p>upstream: ${[...model.sources, ...model.dependsOn].map(link).join(', ') || 'none'}; downstream: ${downstream.map(link).join(', ') || 'none'}</p>`,
    `<table><thead><tr><th>column</th><th>type</th><th>nullable</th><th>check</th><th>description</th></tr></thead><tbody>${rows}</tbody></table>`,
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

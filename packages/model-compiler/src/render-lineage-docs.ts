import type { ColumnLineage } from './column-lineage.ts';
import type { Exposure } from './exposure.ts';
import { currentRowsColumn } from './lineage-tree.ts';

export const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The anchor of a model column on the docs page. */
export const columnAnchor = (column: string) => `column-${column.replace('.', '-')}`;

/** A column as a link to its row (model columns) or as text (raw columns, with the table they version). */
export function columnLink(column: string): string {
  if (column.startsWith('raw.')) {
    const current = currentRowsColumn(column);
    return `<code>${escapeHtml(column)}</code>${current === undefined ? '' : ` (history of <code>${escapeHtml(current)}</code>)`}`;
  }
  return `<a href="#${columnAnchor(column)}"><code>${escapeHtml(column)}</code></a>`;
}

/** The upstream columns of a model column, one step up, as HTML. */
export function upstreamCell(lineage: ColumnLineage | undefined, column: string): string {
  const upstream = lineage?.columns[column];
  if (upstream === undefined) return '';
  return upstream.length === 0 ? 'constant' : upstream.map(columnLink).join(', ');
}

/** The exposures reading a model column, as HTML links. */
export function exposureCell(exposures: readonly Exposure[], column: string): string {
  return exposures
    .filter((exposure) => exposure.columns.includes(column))
    .map((exposure) => exposureLink(exposure.name))
    .join(', ');
}

export const exposureLink = (name: string) =>
  `<a href="#exposure-${escapeHtml(name)}">${escapeHtml(name)}</a>`;

/** One section per exposure: type, owner, url, the models and columns it reads, its metrics. */
export function exposuresHtml(exposures: readonly Exposure[]): string {
  if (exposures.length === 0) return '';
  const sections = exposures.map((exposure) => {
    const search = [
      exposure.name,
      exposure.label,
      exposure.description,
      ...exposure.metrics,
      ...exposure.columns,
    ]
      .join(' ')
      .toLowerCase();
    return [
      `<section id="exposure-${escapeHtml(exposure.name)}" class="exposure" data-search="${escapeHtml(search)}"><h3>${escapeHtml(exposure.label)} <small>(${escapeHtml(exposure.name)})</small></h3>`,
      `<p>${escapeHtml(exposure.description)}</p>`,
      `<p>type: ${exposure.type}; owner: ${escapeHtml(exposure.owner.name)}${exposure.url === undefined ? '' : `; url: <code>${escapeHtml(exposure.url)}</code>`}${exposure.parent === undefined ? '' : `; part of ${exposureLink(exposure.parent)}`}</p>`,
      `<p>models: ${exposure.dependsOn.map((name) => `<a href="#model-${escapeHtml(name)}">${escapeHtml(name)}</a>`).join(', ')}</p>`,
      exposure.metrics.length > 0
        ? `<p>metrics: ${exposure.metrics.map(escapeHtml).join(', ')}</p>`
        : '',
      `<p>columns: ${exposure.columns.map(columnLink).join(', ')}</p></section>`,
    ].join('\n');
  });
  return [`<h2 id="exposures">Exposures</h2>`, ...sections].join('\n');
}

/** The Markdown section of the exposures. */
export function exposuresMarkdown(exposures: readonly Exposure[]): string[] {
  if (exposures.length === 0) return [];
  return [
    '## Exposures',
    '',
    '| exposure | type | url | models | metrics | columns |',
    '|---|---|---|---|---|---|',
    ...exposures.map(
      (exposure) =>
        `| ${exposure.name} | ${exposure.type} | ${exposure.url ?? ''} | ${exposure.dependsOn.join(', ')} | ${exposure.metrics.join(', ')} | ${exposure.columns.join(', ')} |`,
    ),
    '',
  ];
}

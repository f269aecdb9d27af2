import type { CompiledProject } from './compiled-model.ts';

const boxWidth = 190;
const boxHeight = 34;
const columnGap = 70;
const rowGap = 16;

const escapeXml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The lineage as an inline SVG needing no script: sources in the first column, each model one
 * column right of its deepest upstream, an edge per reference.
 */
export function renderLineageSvg(project: CompiledProject): string {
  const depth = new Map<string, number>();
  for (const source of new Set(project.models.flatMap((model) => model.sources)))
    depth.set(source, 0);
  // Topological order: every upstream's depth is known when a model is reached.
  for (const model of project.models) {
    const upstream = [...model.sources, ...model.dependsOn].map((name) => depth.get(name) ?? 0);
    depth.set(model.name, upstream.length === 0 ? 0 : Math.max(...upstream) + 1);
  }
  const columns = new Map<number, string[]>();
  for (const [name, level] of depth) columns.set(level, [...(columns.get(level) ?? []), name]);
  const position = new Map<string, { x: number; y: number }>();
  for (const [level, names] of columns)
    names.forEach((name, row) =>
      position.set(name, {
        x: 10 + level * (boxWidth + columnGap),
        y: 10 + row * (boxHeight + rowGap),
      }),
    );
  const width = 20 + Math.max(...columns.keys(), 0) * (boxWidth + columnGap) + boxWidth;
  const height =
    20 + Math.max(...[...columns.values()].map((names) => names.length), 1) * (boxHeight + rowGap);
  const edges = project.models.flatMap((model) =>
    [...model.sources, ...model.dependsOn].flatMap((from) => {
      const a = position.get(from);
      const b = position.get(model.name);
      if (a === undefined || b === undefined) return [];
      return [
        `<line x1="${a.x + boxWidth}" y1="${a.y + boxHeight / 2}" x2="${b.x}" y2="${b.y + boxHeight / 2}" stroke="#888" marker-end="url(#arrow)"/>`,
      ];
    }),
  );
  const models = new Map(project.models.map((model) => [model.name, model]));
  const boxes = [...position].map(([name, { x, y }]) => {
    const model = models.get(name);
    const fill =
      model === undefined
        ? '#eef3e2'
        : model.materialization.type === 'view'
          ? '#e8f0fb'
          : '#fbf3e2';
    const label = model === undefined ? name : `${name} (${model.materialization.type})`;
    const link =
      model === undefined
        ? escapeXml(label)
        : `<a href="#model-${escapeXml(name)}">${escapeXml(label)}</a>`;
    return `<g><rect x="${x}" y="${y}" width="${boxWidth}" height="${boxHeight}" rx="6" fill="${fill}" stroke="#666"/><text x="${x + 8}" y="${y + 21}" font-size="12" font-family="sans-serif">${link}</text></g>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img" aria-label="Model lineage">`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#888"/></marker></defs>',
    ...edges,
    ...boxes,
    '</svg>',
  ].join('\n');
}

import { filterDimensions, filterLabels } from './dashboard-filters.ts';
import { levelLabel } from './panel-drill.ts';
import type { PanelAnswer } from './run-panel.ts';

/**
 * `reelhouse-<panel>-<from>_<to>[-<level>-<member>][-<filter>-<value>].<extension>`, safe for any
 * file system: the drill path and the filters the panel applied, as the rows were computed.
 */
export function panelFileName(answer: PanelAnswer, extension: 'csv' | 'png'): string {
  const parts = [
    `reelhouse-${answer.panel.id}`,
    `${answer.filters.from}_${answer.filters.to}`,
    ...(answer.panel.drillPath ?? []).map((step) => `${step.dimension}-${step.member}`),
    ...filterDimensions
      .filter((dimension) => answer.applied.includes(dimension))
      .map((dimension) => `${dimension}-${answer.filters.dimensions[dimension]?.join('+')}`),
  ];
  return `${parts.join('-').replace(/[^A-Za-z0-9_+.-]/g, '_')}.${extension}`;
}

/**
 * What an exported image says under its chart: the title with the drill path, the date range, and
 * every filter the panel applied (or could not apply), so a pasted image is never read out of context.
 */
export function panelCaption(answer: PanelAnswer): { title: string; lines: string[] } {
  const { panel, filters } = answer;
  const path = (panel.drillPath ?? []).map(
    (step) => `${levelLabel(step.dimension)} ${step.member}`,
  );
  const applied = filterDimensions
    .filter((dimension) => answer.applied.includes(dimension))
    .map((dimension) => `${filterLabels[dimension]}: ${filters.dimensions[dimension]?.join(', ')}`);
  return {
    title: [panel.title, ...path].join(' › '),
    lines: [
      `${filters.from} to ${filters.to}`,
      applied.length === 0 ? 'No filters' : `Filters: ${applied.join(' · ')}`,
      ...(answer.ignored.length === 0
        ? []
        : [
            `Not filtered by ${answer.ignored.map((dimension) => filterLabels[dimension]).join(', ')}`,
          ]),
    ],
  };
}

import { dimensionLabel, type DrillSpec } from './chart-style.ts';
import { filtersToSearch } from './dashboard-filters.ts';
import { html, type SafeHtml } from './html.ts';
import { canDrillDown, drillKey, drillLevels, levelLabel } from './panel-drill.ts';
import type { PanelAnswer } from './run-panel.ts';

/** What a click on the panel's bars does next: drill one level down for the clicked member. */
export function drillSpec(answer: PanelAnswer): DrillSpec | undefined {
  const { panel, result } = answer;
  if (!canDrillDown(panel)) return undefined;
  const dimension = result.query.dimensions[0]!;
  const members: Record<string, string> = {};
  for (const row of result.rows) {
    const value = row.dimensions[dimension];
    const label = dimensionLabel(dimension, value);
    if (value !== null && value !== undefined && label !== String(value))
      members[label] = String(value);
  }
  return {
    key: drillKey(panel.id),
    path: (panel.drillPath ?? []).map((step) => step.member),
    members,
  };
}

/**
 * The breadcrumb of a drillable panel: each level a link back up, a "drill up" link, and a link that
 * cross-filters the whole page by the members drilled into (a click drills, so filtering is here).
 */
export function renderDrillPath(answer: PanelAnswer): SafeHtml | '' {
  const { panel, filters } = answer;
  const levels = drillLevels(panel);
  if (levels.length === 0) return '';
  const key = drillKey(panel.id);
  const steps = panel.drillPath ?? [];
  const shown = levels[steps.length]!;
  const to = (depth: number) =>
    `?${filtersToSearch(filters, {
      [key]: steps
        .slice(0, depth)
        .map((step) => step.member)
        .join('/'),
    })}`;
  const crumbs = steps.map(
    (step, index) =>
      html` ›
        <a href="${to(index + 1)}" data-drill-level="${index + 1}"
          >${dimensionLabel(step.dimension, step.member)}</a
        >`,
  );
  const crossFilters = steps.flatMap((step, index) => {
    const dimension = levels[index]!.crossFilter;
    return dimension === undefined ? [] : [[dimension, step.member] as const];
  });
  const next = canDrillDown(panel)
    ? html`<span class="muted"
        >· click a bar to drill into
        ${levelLabel(levels[steps.length + 1]!.dimension).toLowerCase()}</span
      >`
    : '';
  const top = levelLabel(levels[0]!.dimension);
  return html`<nav class="drill" data-drill="${panel.id}" aria-label="Drill path">
    ${
      steps.length === 0
        ? html`<strong>${top}</strong>`
        : html`<a href="${to(0)}" data-drill-level="0">${top}</a>${crumbs} ›
            <strong>${levelLabel(shown.dimension)}</strong>`
    }
    ${next}
    ${
      steps.length === 0
        ? ''
        : html`<a class="drill-up" href="${to(steps.length - 1)}" data-drill-up>↑ Drill up</a>`
    }
    ${
      crossFilters.length === 0
        ? ''
        : html`<a
            class="drill-filter"
            href="?${filtersToSearch(filters, Object.fromEntries(crossFilters))}"
            data-drill-filter
            >Filter page by ${crossFilters.map(([, member]) => member).join(', ')}</a
          >`
    }
  </nav>`;
}

import { dimensionDefinitions, parseFilterValue, type DimensionName } from '@reelhouse/metrics';
import { z } from 'zod';

import type { DashboardFilters, FilterDimension } from './dashboard-filters.ts';
import { panelDefinitions, type DrillLevel, type PanelDefinition } from './panel-definitions.ts';

/** A drill path per panel id: the members clicked, top level first. */
export type DrillState = Readonly<Record<string, readonly string[]>>;

/** The URL key of a panel's drill path: `drill.users_by_region=EMEA`, `drill.series_watch_hours=Orbit Station/1`. */
export type DrillKey = `drill.${string}`;
export const drillKey = (panelId: string): DrillKey => `drill.${panelId}`;

// Members are plain values (codes, ISO countries, text without `/`, integers): `/` cannot occur in one.
const separator = '/';

/** The panel's hierarchy, its own dimension first; empty when it does not drill. */
export function drillLevels(panel: PanelDefinition): readonly DrillLevel[] {
  // A drilled view shows a lower level: the hierarchy is the definition's.
  const definition = panelDefinitions.find((candidate) => candidate.id === panel.id) ?? panel;
  const top = definition.dimensions[0];
  if (definition.drill === undefined || top === undefined || top === 'period') return [];
  return [
    {
      dimension: top,
      ...(definition.crossFilter === undefined ? {} : { crossFilter: definition.crossFilter }),
    },
    ...definition.drill,
  ];
}

const drillable = panelDefinitions.filter((panel) => drillLevels(panel).length > 1);

function drillPathSchema(panel: PanelDefinition) {
  const levels = drillLevels(panel);
  return z
    .string()
    .max(600, 'is too long')
    .transform((text, context) => {
      const members = text.split(separator).map((member) => member.trim());
      if (members.length >= levels.length) {
        context.addIssue({
          code: 'custom',
          message: `at most ${levels.length - 1} level(s): ${levels
            .slice(0, -1)
            .map((level) => level.dimension)
            .join(separator)}`,
        });
        return z.NEVER;
      }
      // Each member is checked (and spelled canonically) like a filter value of its level.
      return members.map((member, index) => {
        const parsed = parseFilterValue(levels[index]!.dimension, member);
        if (parsed.ok) return String(parsed.value);
        context.addIssue({ code: 'custom', path: [index], message: parsed.message });
        return member;
      });
    })
    .optional();
}

/** The zod schema of the drill keys of a URL: one optional path per drillable panel, nothing else. */
export const drillParamsSchema = z.strictObject(
  Object.fromEntries(drillable.map((panel) => [drillKey(panel.id), drillPathSchema(panel)])),
);

/** Drill state from parsed drill keys (blank paths dropped). */
export function drillStateOf(
  parsed: Readonly<Record<string, readonly string[] | undefined>>,
): DrillState {
  return Object.fromEntries(
    Object.entries(parsed).flatMap(([key, path]) =>
      path === undefined || path.length === 0 || path.every((member) => member === '')
        ? []
        : [[key.slice('drill.'.length), path]],
    ),
  );
}

/**
 * The panel as its drill path shows it: the next level's dimension, one filter per member above it.
 * A path whose member the page's own filters exclude is stale (that bar is no longer on screen):
 * the panel then shows its top level.
 */
export function drilledPanel(panel: PanelDefinition, filters: DashboardFilters): PanelDefinition {
  const levels = drillLevels(panel);
  const path = filters.drill?.[panel.id] ?? [];
  if (levels.length === 0 || path.length === 0 || path.length >= levels.length) return panel;
  const stale = path.some((member, index) => {
    const values = filters.dimensions[levels[index]!.dimension as FilterDimension];
    return values !== undefined && !values.includes(member);
  });
  if (stale) return panel;
  const shown = levels[path.length]!;
  const steps = path.map((member, index) => ({ dimension: levels[index]!.dimension, member }));
  // The panel's limit ranks its top level; a drilled level lists its members (up to the default).
  const { limit: _limit, crossFilter: _crossFilter, ...rest } = panel;
  return {
    ...rest,
    dimensions: [shown.dimension],
    ...(shown.crossFilter === undefined ? {} : { crossFilter: shown.crossFilter }),
    filters: {
      ...panel.filters,
      ...Object.fromEntries(steps.map((step) => [step.dimension, [step.member]])),
    },
    drillPath: steps,
  };
}

/** Whether a click on the shown level drills further down. */
export function canDrillDown(panel: PanelDefinition): boolean {
  const levels = drillLevels(panel);
  return levels.length > (panel.drillPath?.length ?? 0) + 1;
}

/** The label of a dimension in a breadcrumb ("Region", "Season"). */
export const levelLabel = (dimension: DimensionName): string =>
  dimensionDefinitions[dimension].label;

import { metricQueryLimits, parseFilterValue, type DimensionName } from '@reelhouse/metrics';
import { z } from 'zod';

import {
  drillKey,
  drillParamsSchema,
  drillStateOf,
  type DrillKey,
  type DrillState,
} from './panel-drill.ts';

/** Dimensions the URL can filter by; clicking a bar or slice of one of them sets it. */
export const filterDimensions = [
  'country',
  'region',
  'device',
  'plan',
  'quality',
  'genre',
  'content_type',
  'age_band',
  'gender',
  'acquisition_channel',
] as const satisfies readonly DimensionName[];
export type FilterDimension = (typeof filterDimensions)[number];

/** How the filter bar, chips and export captions name each filter. */
export const filterLabels: Record<FilterDimension, string> = {
  country: 'Country',
  region: 'Region',
  device: 'Device',
  plan: 'Plan',
  quality: 'Quality',
  genre: 'Genre',
  content_type: 'Content type',
  age_band: 'Age band',
  gender: 'Gender',
  acquisition_channel: 'Channel',
};

/** Date presets: the last N days up to the newest day with data. */
export const datePresets = { '7d': 7, '30d': 30, '90d': 90, '365d': 365 } as const;
export type DatePreset = keyof typeof datePresets;

const maxValues = 20;
const blankAsUnset = (value: unknown) => (value === '' ? undefined : value);
const isoDate = z.preprocess(
  blankAsUnset,
  z.iso.date('must be an ISO date (YYYY-MM-DD)').optional(),
);

const valueList = (dimension: FilterDimension) =>
  z.preprocess(
    blankAsUnset,
    z
      .string()
      .max(2000, 'is too long')
      .transform((text, context) => {
        const values = text.split(',').map((value) => value.trim());
        if (values.length > maxValues) {
          context.addIssue({ code: 'custom', message: `at most ${maxValues} values` });
          return z.NEVER;
        }
        // Canonical spelling (`us` → `US`, `MOBILE` → `mobile`); unknown codes name the allowed ones.
        const canonical = values.map((value, index) => {
          const parsed = parseFilterValue(dimension, value);
          if (parsed.ok) return String(parsed.value);
          context.addIssue({ code: 'custom', path: [index], message: parsed.message });
          return value;
        });
        return [...new Set(canonical)];
      })
      .optional(),
  );

/** The URL query of every page and panel API: unknown keys are refused, values checked per dimension. */
export const dashboardParamsSchema = z
  .strictObject({
    from: isoDate,
    to: isoDate,
    preset: z.preprocess(
      blankAsUnset,
      z.enum(Object.keys(datePresets) as [DatePreset, ...DatePreset[]]).optional(),
    ),
    ...(Object.fromEntries(
      filterDimensions.map((dimension) => [dimension, valueList(dimension)]),
    ) as Record<FilterDimension, ReturnType<typeof valueList>>),
  })
  .superRefine((params, context) => {
    if (params.from !== undefined && params.to !== undefined && params.from > params.to) {
      context.addIssue({
        code: 'custom',
        path: ['to'],
        message: `'to' (${params.to}) is before 'from' (${params.from})`,
      });
    }
    // The same limit the metrics layer applies, checked here so a page refuses it before any SQL.
    if (params.from !== undefined && params.to !== undefined) {
      const days = (Date.parse(params.to) - Date.parse(params.from)) / 86_400_000 + 1;
      if (days > metricQueryLimits.maxDays)
        context.addIssue({
          code: 'custom',
          path: ['to'],
          message: `the range spans ${days} days, at most ${metricQueryLimits.maxDays}`,
        });
    }
  });

/** The URL's filters plus the drill path of each drilled panel (`drill.<panel>` keys). */
export type DashboardParams = z.output<typeof dashboardParamsSchema> & {
  readonly drill?: DrillState;
};

/** Filters resolved against the data: a concrete date range and the dimension filters. */
export interface DashboardFilters {
  readonly from: string;
  readonly to: string;
  readonly preset: DatePreset | undefined;
  readonly dimensions: Partial<Record<FilterDimension, readonly string[]>>;
  /** Drill paths by panel id; absent when no panel is drilled. */
  readonly drill?: DrillState;
}

export type ParamsResult =
  | { readonly ok: true; readonly params: DashboardParams }
  | { readonly ok: false; readonly problems: readonly string[] };

/** Validates a URL query (first value per key; a repeated key is refused). */
export function parseDashboardParams(
  query: Readonly<Record<string, readonly string[]>>,
): ParamsResult {
  const repeated = Object.entries(query)
    .filter(([, values]) => values.length > 1)
    .map(([key]) => `${key}: given more than once (use a comma-separated list)`);
  if (repeated.length > 0) return { ok: false, problems: repeated };
  const first = Object.entries(query).map(([key, values]) => [key, values[0]] as const);
  const isDrill = ([key]: readonly [string, unknown]) => key.startsWith('drill.');
  const parsed = dashboardParamsSchema.safeParse(
    Object.fromEntries(first.filter((entry) => !isDrill(entry))),
  );
  const drill = drillParamsSchema.safeParse(
    Object.fromEntries(
      first.filter((entry) => isDrill(entry) && entry[1] !== '' && entry[1] !== undefined),
    ),
  );
  if (parsed.success && drill.success) {
    const state = drillStateOf(drill.data);
    return {
      ok: true,
      params: Object.keys(state).length === 0 ? parsed.data : { ...parsed.data, drill: state },
    };
  }
  return {
    ok: false,
    problems: [...(parsed.error?.issues ?? []), ...(drill.error?.issues ?? [])].map((issue) =>
      issue.path.length > 0
        ? `${issue.path.map(String).join('.')}: ${issue.message}`
        : issue.message,
    ),
  };
}

const dayMs = 86_400_000;
const shift = (iso: string, days: number) =>
  new Date(Date.parse(`${iso}T00:00:00Z`) + days * dayMs).toISOString().slice(0, 10);

/** Resolves the date range: explicit dates win, then the preset, then the last 30 days of data. */
export function resolveFilters(params: DashboardParams, latestDay: string): DashboardFilters {
  const preset =
    params.preset ?? (params.from === undefined && params.to === undefined ? '30d' : undefined);
  const to = params.to ?? latestDay;
  const from = params.from ?? shift(to, -(datePresets[preset ?? '30d'] - 1));
  const dimensions: Partial<Record<FilterDimension, readonly string[]>> = {};
  for (const dimension of filterDimensions) {
    const values = params[dimension];
    if (values !== undefined) dimensions[dimension] = values;
  }
  return {
    from: from > to ? to : from,
    to,
    preset: params.from === undefined ? preset : undefined,
    dimensions,
    ...(params.drill === undefined ? {} : { drill: params.drill }),
  };
}

/** Why a resolved range is refused (a `from` alone reaching back further than the limit), if it is. */
export function rangeProblem(filters: DashboardFilters): string | undefined {
  const days = (Date.parse(filters.to) - Date.parse(filters.from)) / dayMs + 1;
  return days > metricQueryLimits.maxDays
    ? `to: the range spans ${days} days, at most ${metricQueryLimits.maxDays}`
    : undefined;
}

/** The URL query of a filter set, optionally changed: what every link and export carries. */
export function filtersToSearch(
  filters: DashboardFilters,
  change: Partial<Record<FilterDimension | 'from' | 'to' | DrillKey, string | undefined>> = {},
): string {
  const search = new URLSearchParams();
  search.set('from', change.from ?? filters.from);
  search.set('to', change.to ?? filters.to);
  for (const dimension of filterDimensions) {
    const value =
      dimension in change ? change[dimension] : filters.dimensions[dimension]?.join(',');
    if (value !== undefined && value !== '') search.set(dimension, value);
  }
  // Drill paths travel with every link, so a slicer or a tab change keeps each panel's level.
  const drillKeys = new Set<DrillKey>([
    ...Object.keys(filters.drill ?? {}).map(drillKey),
    ...(Object.keys(change).filter((key) => key.startsWith('drill.')) as DrillKey[]),
  ]);
  for (const key of drillKeys) {
    const value =
      key in change ? change[key] : filters.drill?.[key.slice('drill.'.length)]?.join('/');
    if (value !== undefined && value !== '') search.set(key, value);
  }
  return search.toString();
}

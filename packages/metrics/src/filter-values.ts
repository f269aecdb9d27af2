import {
  acquisitionChannels,
  deviceTypes,
  exitReasons,
  genders,
  plans,
  qualities,
  regions,
  subscriptionStatuses,
} from '@reelhouse/contracts';

import {
  dimensionDefinitions,
  dimensionValueSchemas,
  type DimensionName,
} from './dimension-definitions.ts';

// The warehouse's unknown member (a session whose user or title is missing) carries 'unknown'.
const closed = (values: readonly string[]) => [...values, 'unknown'] as const;

/**
 * Dimensions whose values form a closed vocabulary (the source contracts): a filter value is
 * matched whatever its case and an unknown one is refused, naming the allowed values, before any SQL.
 */
export const dimensionVocabularies: Partial<Record<DimensionName, readonly string[]>> = {
  region: closed(regions),
  device: closed(deviceTypes),
  plan: closed(plans),
  quality: closed(qualities),
  // dim_content has one row per movie and per episode: series are their episodes.
  content_type: closed(['movie', 'episode']),
  gender: closed(genders),
  subscription_status: closed(subscriptionStatuses),
  acquisition_channel: closed(acquisitionChannels),
  exit_reason: closed(exitReasons),
};

/**
 * Dimensions of free text (genres, titles): matched case-insensitively in SQL; a value no row has
 * gives the same empty answer as any other filter that matches nothing (counts 0, ratios null).
 */
export const caseInsensitiveDimensions: ReadonlySet<DimensionName> = new Set(
  (Object.keys(dimensionDefinitions) as DimensionName[]).filter((name) => {
    const definition = dimensionDefinitions[name];
    return definition.kind === 'category' && definition.values === 'text';
  }),
);

export type FilterValueResult =
  | { readonly ok: true; readonly value: string | number }
  | { readonly ok: false; readonly message: string };

/** Checks one filter value and returns its canonical form (`us` → `US`, `MOBILE` → `mobile`). */
export function parseFilterValue(
  dimension: DimensionName,
  input: string | number,
): FilterValueResult {
  const definition = dimensionDefinitions[dimension];
  if (definition.kind === 'time')
    return { ok: false, message: `filter by '${dimension}' through from/to` };
  const vocabulary = dimensionVocabularies[dimension];
  if (vocabulary !== undefined) {
    const text = String(input);
    const match = vocabulary.find((value) => value.toLowerCase() === text.toLowerCase());
    if (match !== undefined) return { ok: true, value: match };
    const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
    return {
      ok: false,
      message: `unknown ${dimension} '${shown}'; one of ${vocabulary.join(', ')}`,
    };
  }
  const value =
    definition.values === 'country' && typeof input === 'string' ? input.toUpperCase() : input;
  const parsed = dimensionValueSchemas[definition.values].safeParse(value);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, message: parsed.error.issues[0]?.message ?? 'invalid value' };
}

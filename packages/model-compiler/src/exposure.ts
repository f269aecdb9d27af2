/** What reads the models outside the project (dbt's exposure types). */
export type ExposureType = 'dashboard' | 'notebook' | 'analysis' | 'ml' | 'application';

/**
 * A consumer of the models, declared so lineage reaches it (dbt's `exposures`): a dashboard page
 * or panel with the model columns it reads. `models diff` names it when a change breaks one.
 */
export interface Exposure {
  readonly kind: 'exposure';
  /** Unique, snake_case: `dashboard_users__plan_mix`. */
  readonly name: string;
  readonly label: string;
  readonly type: ExposureType;
  readonly description: string;
  readonly owner: { readonly name: string; readonly email?: string };
  /** Where it lives, e.g. the dashboard page's path. */
  readonly url?: string;
  /** Model columns it reads (`model.column`), sorted: its models are `dependsOn`. */
  readonly columns: readonly string[];
  /** Models it reads, sorted (derived from `columns`). */
  readonly dependsOn: readonly string[];
  /** Names of the metrics it shows (kept in dbt's `meta`). */
  readonly metrics: readonly string[];
  /** The exposure this one is part of (a panel's page), if any. */
  readonly parent?: string;
}

export type ExposureConfig = Omit<Exposure, 'kind' | 'dependsOn'>;

/** Declares an exposure; `dependsOn` is derived from its columns. */
export function defineExposure(config: ExposureConfig): Exposure {
  const columns = [...new Set(config.columns)].sort();
  return Object.freeze({
    ...config,
    kind: 'exposure',
    columns: Object.freeze(columns),
    dependsOn: Object.freeze(
      [...new Set(columns.map((column) => column.split('.')[0] ?? ''))].sort(),
    ),
    metrics: Object.freeze([...config.metrics]),
  });
}

/** The exposures reading any of `columns` (`model.column`), by name. */
export function exposuresReading(
  exposures: readonly Exposure[],
  columns: readonly string[],
): string[] {
  return exposures
    .filter((exposure) => exposure.columns.some((column) => columns.includes(column)))
    .map((exposure) => exposure.name)
    .sort();
}

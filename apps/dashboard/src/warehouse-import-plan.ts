import {
  caseInsensitiveDimensions,
  categoryExpression,
  dimensionDefinitions,
  metricDefinitions,
  metricSources,
  warehouseAggregates,
  type MetricExpression,
  type MetricName,
  type DimensionName,
  type MetricSource,
  type SourceName,
} from '@reelhouse/metrics';
import type { TrustedSchema } from '@reelhouse/warehouse';
import { sql, type Kysely, type RawBuilder } from 'kysely';

import { panelDefinitions } from './panel-definitions.ts';
import { drillLevels } from './panel-drill.ts';

/** The copy of the fact with its user and content versions joined in, as struct columns `u` and `c`. */
export const wideFactTable = 'fact_viewing_session_wide';

/** Columns of one trusted table the metric sources read. */
export interface ImportedTable {
  readonly table: string;
  readonly columns: readonly string[];
}

/**
 * What the in-memory copy holds: every trusted table and column some metric, dimension or source
 * clause reads, found in their compiled SQL rather than listed by hand, so a new metric's columns
 * come along without a second list to keep in step. `wide` names the columns of the `sessions`
 * source's joined tables that its expressions read through each alias.
 */
export interface WarehouseImportPlan {
  readonly tables: readonly ImportedTable[];
  readonly wide: {
    readonly fact: readonly string[];
    readonly user: readonly string[];
    readonly content: readonly string[];
  };
  /**
   * Dimensions the `sessions` source derives from one title's or user version's columns (an
   * episode label, a series-or-title name): computed once per title at import into a field of the
   * wide table's `c` or `u`, instead of once per session in every query.
   */
  readonly derived: readonly DerivedDimension[];
  /** Distinct-user splits the panels ask for, answered by a count of first sessions (below). */
  readonly previousDays: readonly PreviousDayColumn[];
}

/**
 * A column of the wide table for one split of a distinct-user metric that a panel asks for (its
 * dimensions, its fixed filters and its drill members): each session's previous day with a
 * session of the same user under the same values of `dimensions` and `filters` (null for the
 * first). A user counts once in a period, on the sessions of the period whose previous day is
 * before it: `count(distinct user)` becomes a count of rows, with no hashing of user ids.
 * Exact for a query that groups by exactly `dimensions` and filters every one of `filters` to
 * one value (and may filter its own dimensions): each of its groups then holds one key.
 */
export interface PreviousDayColumn {
  /** The query's dimensions, sorted. */
  readonly dimensions: readonly DimensionName[];
  /** Dimensions the query filters to one value each, sorted. */
  readonly filters: readonly DimensionName[];
  readonly column: string;
  /** SQL of each key over the fact's joins (`f`, `u`, `c`), as the warehouse's source reads them. */
  readonly partition: readonly string[];
}

export interface DerivedDimension {
  readonly dimension: DimensionName;
  readonly alias: 'u' | 'c';
  readonly field: string;
  /** The definition's expression as SQL, with no parameters, reading only `alias`'s columns. */
  readonly sql: string;
}

const someRange = { fromKey: 20250101, toKey: 20250131, from: '2025-01-01', to: '2025-01-31' };

/** Every SQL fragment a source is queried with: its FROM, clauses, metrics and dimensions. */
function sourceFragments(db: Kysely<TrustedSchema>, source: MetricSource): string[] {
  const fragments: RawBuilder<unknown>[] = [source.inPeriod(someRange)];
  if (source.dayKey !== undefined) fragments.push(source.dayKey);
  if (source.where !== undefined) fragments.push(sql`${source.where}`);
  for (const definition of Object.values(metricDefinitions)) {
    const expression = (definition.expressions as Partial<Record<SourceName, MetricExpression>>)[
      source.name
    ];
    if (expression !== undefined)
      fragments.push(expression(sql<boolean>`true`, someRange, warehouseAggregates));
  }
  for (const definition of Object.values(dimensionDefinitions))
    if (definition.kind === 'category') {
      const expression = (
        definition.expressions as Partial<Record<SourceName, RawBuilder<unknown>>>
      )[source.name];
      if (expression !== undefined) fragments.push(expression);
    }
  return [
    source.from(db).selectAll().compile().sql,
    ...fragments.map((fragment) => fragment.compile(db).sql),
  ];
}

// `trusted.dim_user s`, `"trusted"."dim_user" as "u"`: a table and the alias it is read through.
const tableAlias = /"?trusted"?\."?([a-z_][a-z0-9_]*)"?\s+(?:as\s+)?"?([a-z_][a-z0-9_]*)"?/gi;
// `u.plan`, `"f"."watch_duration_s"`: a column read through an alias.
const columnReference = /(?<![\w."])"?([a-z_][a-z0-9_]*)"?\."?([a-z_][a-z0-9_]*)"?/gi;

/** Columns each alias of `source` reads, with the table each alias stands for. */
function sourceReads(
  db: Kysely<TrustedSchema>,
  source: MetricSource,
): Map<string, { table: string; columns: Set<string> }> {
  const fragments = sourceFragments(db, source);
  const aliases = new Map<string, { table: string; columns: Set<string> }>();
  for (const fragment of fragments)
    for (const [, table, alias] of fragment.matchAll(tableAlias))
      if (!aliases.has(alias!)) aliases.set(alias!, { table: table!, columns: new Set() });
  for (const fragment of fragments)
    for (const [, alias, column] of fragment.matchAll(columnReference))
      aliases.get(alias!)?.columns.add(column!);
  return aliases;
}

const sorted = (columns: Iterable<string>) => [...new Set(columns)].sort();

/** The plan of the in-memory copy for the warehouse's metric sources. */
export function planWarehouseImport(db: Kysely<TrustedSchema>): WarehouseImportPlan {
  const byTable = new Map<string, Set<string>>();
  const wide = { fact: new Set<string>(), user: new Set<string>(), content: new Set<string>() };
  for (const source of metricSources) {
    const reads = sourceReads(db, source);
    if (source.name === 'sessions') {
      // The join keys: the copy is joined once, at import, on them.
      wide.fact.add('user_key').add('content_key');
      for (const [alias, { table, columns }] of reads) {
        const target =
          table === 'fact_viewing_session'
            ? wide.fact
            : table === 'dim_user'
              ? wide.user
              : table === 'dim_content'
                ? wide.content
                : undefined;
        if (target === undefined)
          throw new Error(`the sessions source reads trusted.${table} as ${alias}: not imported`);
        for (const column of columns) target.add(column);
      }
      continue;
    }
    for (const { table, columns } of reads.values()) {
      const set = byTable.get(table) ?? new Set<string>();
      for (const column of columns) set.add(column);
      byTable.set(table, set);
    }
  }
  for (const [table, columns] of [
    ['fact_viewing_session', wide.fact],
    ['dim_user', new Set([...wide.user, 'user_key'])],
    ['dim_content', new Set([...wide.content, 'content_key'])],
  ] as const) {
    const set = byTable.get(table) ?? new Set<string>();
    for (const column of columns) set.add(column);
    byTable.set(table, set);
  }
  return {
    derived: derivedDimensions(db),
    previousDays: previousDayColumns(db),
    tables: [...byTable.entries()]
      .map(([table, columns]) => ({ table, columns: sorted(columns) }))
      .sort((a, b) => a.table.localeCompare(b.table)),
    wide: { fact: sorted(wide.fact), user: sorted(wide.user), content: sorted(wide.content) },
  };
}

/** Category dimensions of the `sessions` source that are expressions over one joined table. */
function derivedDimensions(db: Kysely<TrustedSchema>): DerivedDimension[] {
  const derived: DerivedDimension[] = [];
  for (const [name, definition] of Object.entries(dimensionDefinitions)) {
    if (definition.kind !== 'category') continue;
    const expression = (definition.expressions as Partial<Record<SourceName, RawBuilder<unknown>>>)
      .sessions;
    if (expression === undefined) continue;
    const compiled = expression.compile(db);
    const aliases = new Set([...compiled.sql.matchAll(columnReference)].map(([, alias]) => alias));
    const [alias] = [...aliases];
    const bareColumn = /^"?[a-z_]+"?\."?[a-z_0-9]+"?$/i.test(compiled.sql.trim());
    if (bareColumn || compiled.parameters.length > 0 || aliases.size !== 1) continue;
    if (alias !== 'u' && alias !== 'c') continue;
    derived.push({
      dimension: name as DimensionName,
      alias,
      field: `__${name}`,
      sql: compiled.sql,
    });
  }
  return derived;
}

const sessionsSource = metricSources.find((source) => source.name === 'sessions')!;

/** Whether a metric counts distinct users on the sessions source. */
function countsDistinctSessionUsers(name: MetricName): boolean {
  const expression = (
    metricDefinitions[name].expressions as Partial<Record<SourceName, MetricExpression>>
  ).sessions;
  let counted = false;
  expression?.(sql<boolean>`true`, someRange, {
    distinctUsers: () => {
      counted = true;
      return sql<number>`0`;
    },
  });
  return counted;
}

/** The distinct-user splits of every panel and drill level, as sorted dimension and filter names. */
function distinctUserSplits(): { dimensions: DimensionName[]; filters: DimensionName[] }[] {
  const splits = new Map<string, { dimensions: DimensionName[]; filters: DimensionName[] }>();
  const add = (dimensions: readonly string[], filters: readonly string[]) => {
    const split = {
      dimensions: [...new Set(dimensions)].sort() as DimensionName[],
      filters: [...new Set(filters)]
        .filter((name) => !dimensions.includes(name))
        .sort() as DimensionName[],
    };
    splits.set(JSON.stringify(split), split);
  };
  for (const panel of panelDefinitions) {
    if (!panel.metrics.some(countsDistinctSessionUsers)) continue;
    const fixed = Object.keys(panel.filters ?? {});
    add(panel.dimensions, fixed);
    const levels = drillLevels(panel);
    levels.forEach((level, depth) => {
      if (depth > 0)
        add(
          [level.dimension],
          [...fixed, ...levels.slice(0, depth).map((above) => above.dimension)],
        );
    });
  }
  return [...splits.values()].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
}

/** A column per split whose names are all category dimensions of the sessions source. */
function previousDayColumns(db: Kysely<TrustedSchema>): PreviousDayColumn[] {
  const columns: PreviousDayColumn[] = [];
  for (const split of distinctUserSplits()) {
    const keys = [
      ...split.dimensions.map((name) => ({ name, grouped: true })),
      ...split.filters.map((name) => ({ name, grouped: false })),
    ];
    const partition = keys.map(({ name, grouped }) => {
      // Calendar grains (and `period`) move the previous period's days: not a fixed key.
      if ((dimensionDefinitions as Record<string, { kind: string }>)[name]?.kind !== 'category')
        return undefined;
      const expression = categoryExpression(sessionsSource, name);
      if (expression === undefined) return undefined;
      const compiled = expression.compile(db);
      if (compiled.parameters.length > 0) return undefined;
      // A filter that ignores case lets every spelling of its value through: key them as one.
      return !grouped && caseInsensitiveDimensions.has(name)
        ? `lower(${compiled.sql})`
        : compiled.sql;
    });
    if (partition.some((key) => key === undefined)) continue;
    columns.push({
      ...split,
      column: `__previous_day_${columns.length}`,
      partition: partition as string[],
    });
  }
  return columns;
}

/** The metric sources as the in-memory copy answers them: the fact's joins are already made. */
export function importedSources(plan: WarehouseImportPlan): readonly MetricSource[] {
  return metricSources.map((source) =>
    source.name === 'sessions'
      ? {
          ...source,
          from: (db) => db.selectFrom(sql`trusted.${sql.raw(wideFactTable)}`.as('f')),
          dimensions: Object.fromEntries(
            plan.derived.map(({ dimension, alias, field }) => [
              dimension,
              sql<string>`${sql.ref(`${alias}.${field}`)}`,
            ]),
          ),
        }
      : source,
  );
}

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

/**
 * The sources the copy answers from one table holding their FROM's joins, made once at import:
 * the base table's columns stay top-level, each joined dimension becomes a struct column named by
 * its alias, so the source's SQL reads the same `u.plan` or `c.series_title` as in the warehouse.
 */
const wideSources = [
  {
    source: 'sessions',
    name: 'fact_viewing_session_wide',
    joins: [
      { table: 'dim_user', alias: 'u', key: 'user_key' },
      { table: 'dim_content', alias: 'c', key: 'content_key' },
    ],
  },
  {
    source: 'content',
    name: 'agg_daily_content_wide',
    joins: [{ table: 'dim_content', alias: 'c', key: 'content_key' }],
  },
] as const satisfies readonly {
  source: SourceName;
  name: string;
  joins: readonly { table: string; alias: 'u' | 'c'; key: string }[];
}[];

/** One source's table in the copy, its joins made (see `wideSources`). */
export interface WideTable {
  readonly source: SourceName;
  readonly name: string;
  /** The source's first table, read through `alias`; dropped from the copy once joined. */
  readonly base: {
    readonly table: string;
    readonly alias: string;
    readonly columns: readonly string[];
  };
  readonly joins: readonly {
    readonly table: string;
    readonly alias: 'u' | 'c';
    readonly key: string;
    readonly columns: readonly string[];
  }[];
  /**
   * Dimensions the source derives from one joined row's columns (an episode label, a
   * series-or-title name): computed once per title or user version at import, into a field of
   * that alias's struct, instead of once per row in every query.
   */
  readonly derived: readonly DerivedDimension[];
}

/** Columns of one trusted table the metric sources read. */
export interface ImportedTable {
  readonly table: string;
  readonly columns: readonly string[];
}

/**
 * What the in-memory copy holds: every trusted table and column some metric, dimension or source
 * clause reads, found in their compiled SQL rather than listed by hand, so a new metric's columns
 * come along without a second list to keep in step. `wide` holds the sources answered from one
 * pre-joined table each, with the columns their expressions read through each alias.
 */
export interface WarehouseImportPlan {
  readonly tables: readonly ImportedTable[];
  readonly wide: readonly WideTable[];
  /**
   * Distinct-user splits the panels ask for, answered by a count of first sessions (below):
   * columns of the `sessions` source's wide table.
   */
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
  const read = (table: string, columns: Iterable<string>) => {
    const set = byTable.get(table) ?? new Set<string>();
    for (const column of columns) set.add(column);
    byTable.set(table, set);
  };
  const wide: WideTable[] = [];
  for (const source of metricSources) {
    const reads = sourceReads(db, source);
    const spec = wideSources.find((candidate) => candidate.source === source.name);
    if (spec === undefined) {
      for (const { table, columns } of reads.values()) read(table, columns);
      continue;
    }
    const joined = new Map<string, Set<string>>(
      spec.joins.map((join) => [join.alias, new Set([join.key])]),
    );
    let base: { table: string; alias: string; columns: Set<string> } | undefined;
    for (const [alias, { table, columns }] of reads) {
      const join = spec.joins.find((candidate) => candidate.alias === alias);
      // One base table, and every other alias one of the spec's joins.
      if (join?.table === table) for (const column of columns) joined.get(alias)!.add(column);
      else if (join === undefined && base === undefined)
        base = { table, alias, columns: new Set(columns) };
      else
        throw new Error(
          `the ${source.name} source reads trusted.${table} as ${alias}: not imported`,
        );
    }
    if (base === undefined) throw new Error(`the ${source.name} source reads no base table`);
    // The join keys: the copy is joined once, at import, on them.
    for (const join of spec.joins) base.columns.add(join.key);
    const joins = spec.joins.map((join) => ({ ...join, columns: sorted(joined.get(join.alias)!) }));
    wide.push({
      source: source.name,
      name: spec.name,
      base: { table: base.table, alias: base.alias, columns: sorted(base.columns) },
      joins,
      derived: derivedDimensions(db, source),
    });
    read(base.table, base.columns);
    for (const join of joins) read(join.table, join.columns);
  }
  return {
    previousDays: previousDayColumns(db),
    tables: [...byTable.entries()]
      .map(([table, columns]) => ({ table, columns: sorted(columns) }))
      .sort((a, b) => a.table.localeCompare(b.table)),
    wide,
  };
}

/** A source's category dimensions that are expressions (not bare columns) over one joined table. */
function derivedDimensions(db: Kysely<TrustedSchema>, source: MetricSource): DerivedDimension[] {
  const derived: DerivedDimension[] = [];
  for (const name of Object.keys(dimensionDefinitions) as DimensionName[]) {
    const expression = categoryExpression(source, name);
    if (expression === undefined) continue;
    const compiled = expression.compile(db);
    const aliases = new Set([...compiled.sql.matchAll(columnReference)].map(([, alias]) => alias));
    const [alias] = [...aliases];
    const bareColumn = /^"?[a-z_]+"?\."?[a-z_0-9]+"?$/i.test(compiled.sql.trim());
    if (bareColumn || compiled.parameters.length > 0 || aliases.size !== 1) continue;
    if (alias !== 'u' && alias !== 'c') continue;
    derived.push({ dimension: name, alias, field: `__${name}`, sql: compiled.sql });
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

/** The metric sources as the in-memory copy answers them: the wide tables' joins are already made. */
export function importedSources(plan: WarehouseImportPlan): readonly MetricSource[] {
  return metricSources.map((source) => {
    const table = plan.wide.find((candidate) => candidate.source === source.name);
    return table === undefined
      ? source
      : {
          ...source,
          from: (db) => db.selectFrom(sql`trusted.${sql.raw(table.name)}`.as(table.base.alias)),
          dimensions: Object.fromEntries(
            table.derived.map(({ dimension, alias, field }) => [
              dimension,
              sql<string>`${sql.ref(`${alias}.${field}`)}`,
            ]),
          ),
        };
  });
}

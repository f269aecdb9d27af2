import { sql } from 'kysely';

import type { AnyKysely } from './any-kysely.ts';
import type { ColumnLineage } from './column-lineage.ts';
import { exposuresReading, type Exposure } from './exposure.ts';
import { compileProject } from './compile-project.ts';
import type { AnyModel } from './define-model.ts';
import { quoteRelation } from './sql-identifier.ts';
import { builtRelations } from './virtual-environment.ts';

/** How one model an environment built differs from the target's. */
export interface ModelDiff {
  readonly model: string;
  readonly rows: { readonly environment: number; readonly target: number | null };
  /** Rows in one and not the other (duplicates counted); null when the target has no such relation. */
  readonly onlyInEnvironment: number | null;
  readonly onlyInTarget: number | null;
  readonly addedColumns: readonly string[];
  readonly droppedColumns: readonly string[];
  readonly retypedColumns: readonly {
    readonly column: string;
    readonly from: string;
    readonly to: string;
  }[];
  /** Dropped or retyped columns with readers downstream: the models (or exposures) reading this model. */
  readonly breaking: {
    readonly columns: readonly string[];
    readonly readers: readonly string[];
    /** Exposures reading a changed column, or a column computed from one (column lineage), sorted. */
    readonly exposures: readonly string[];
  } | null;
}

/**
 * Compares each model an environment built (not its virtual views) with the target's relation:
 * row counts, rows only on one side, added, dropped and retyped columns, and whether a dropped or
 * retyped column has readers downstream (a breaking change).
 */
export async function diffEnvironment(
  db: AnyKysely,
  options: {
    readonly models: readonly AnyModel[];
    readonly from: string;
    readonly to?: string;
    /** Readers outside the project (dashboard exposures), by model they read. */
    readonly externalReaders?: Readonly<Record<string, readonly string[]>>;
    /** Declared consumers: named in `breaking` when they read a changed column or one computed from it. */
    readonly exposures?: readonly Exposure[];
    /** Column lineage of `models` (`columnLineage`), to follow a changed column downstream to exposures. */
    readonly lineage?: ColumnLineage;
  },
): Promise<readonly ModelDiff[]> {
  const to = options.to ?? 'trusted';
  const project = compileProject(options.models, { targetSchema: to });
  const built = await builtRelations(db, options.from);
  const readers = new Map<string, string[]>();
  for (const model of project.models)
    for (const upstream of model.dependsOn)
      readers.set(upstream, [...(readers.get(upstream) ?? []), model.name]);
  const diffs: ModelDiff[] = [];
  for (const model of project.models) {
    if (!built.has(model.name)) continue;
    const environment = `${options.from}.${model.name}`;
    const target = `${to}.${model.name}`;
    const [envColumns, targetColumns] = [await columns(db, environment), await columns(db, target)];
    const inTarget = targetColumns.size > 0;
    const shared = [...envColumns.keys()].filter(
      (column) => targetColumns.get(column) === envColumns.get(column),
    );
    const droppedColumns = [...targetColumns.keys()].filter((column) => !envColumns.has(column));
    const retypedColumns = [...targetColumns]
      .filter(([column, type]) => envColumns.has(column) && envColumns.get(column) !== type)
      .map(([column, type]) => ({ column, from: type, to: envColumns.get(column) ?? '' }));
    const changed = [...droppedColumns, ...retypedColumns.map((retyped) => retyped.column)];
    const exposures = affectedExposures({
      columns: changed.map((column) => `${model.name}.${column}`),
      exposures: options.exposures ?? [],
      lineage: options.lineage,
    });
    const modelReaders = [
      ...(readers.get(model.name) ?? []),
      ...(options.externalReaders?.[model.name] ?? []),
    ];
    diffs.push({
      model: model.name,
      rows: {
        environment: await count(db, environment),
        target: inTarget ? await count(db, target) : null,
      },
      onlyInEnvironment: inTarget
        ? await except(db, { left: environment, right: target, columns: shared })
        : null,
      onlyInTarget: inTarget
        ? await except(db, { left: target, right: environment, columns: shared })
        : null,
      addedColumns: [...envColumns.keys()].filter(
        (column) => inTarget && !targetColumns.has(column),
      ),
      droppedColumns: inTarget ? droppedColumns : [],
      retypedColumns,
      breaking:
        inTarget && changed.length > 0 && modelReaders.length + exposures.length > 0
          ? { columns: changed, readers: modelReaders, exposures }
          : null,
    });
  }
  return diffs;
}

/** Exposures reading `columns` or, through the lineage, any model column computed from them. */
function affectedExposures(at: {
  columns: readonly string[];
  exposures: readonly Exposure[];
  lineage: ColumnLineage | undefined;
}): string[] {
  const affected = new Set(at.columns);
  if (at.lineage !== undefined) {
    const readers = new Map<string, string[]>();
    for (const [column, parents] of Object.entries(at.lineage.columns))
      for (const parent of parents) readers.set(parent, [...(readers.get(parent) ?? []), column]);
    const queue = [...affected];
    for (let column = queue.pop(); column !== undefined; column = queue.pop())
      for (const reader of readers.get(column) ?? [])
        if (!affected.has(reader)) {
          affected.add(reader);
          queue.push(reader);
        }
  }
  return exposuresReading(at.exposures, [...affected]);
}

async function columns(db: AnyKysely, relation: string): Promise<Map<string, string>> {
  const { rows } = await sql<{ name: string; type: string }>`
    select attname as "name", format_type(atttypid, atttypmod) as "type" from pg_attribute
    where attrelid = to_regclass(${relation}) and attnum > 0 and not attisdropped order by attnum`.execute(
    db,
  );
  return new Map(rows.map((row) => [row.name, row.type]));
}

async function count(db: AnyKysely, relation: string): Promise<number> {
  const { rows } = await sql<{
    n: string;
  }>`select count(*) as "n" from ${sql.table(relation)}`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/** Rows of `left` not in `right` over the columns both share with the same type. */
async function except(
  db: AnyKysely,
  at: { left: string; right: string; columns: readonly string[] },
): Promise<number> {
  if (at.columns.length === 0) return 0;
  const list = at.columns.map((column) => `"${column.replaceAll('"', '""')}"`).join(', ');
  const { rows } = await sql<{ n: string }>`select count(*) as "n" from (${sql.raw(
    `select ${list} from ${quoteRelation(at.left)} except all select ${list} from ${quoteRelation(at.right)}`,
  )}) d`.execute(db);
  return Number(rows[0]?.n ?? 0);
}

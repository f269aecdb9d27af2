import { sql } from 'kysely';

import type { AnyKysely } from './any-kysely.ts';
import type { CompiledProject } from './compiled-model.ts';
import { readModelStates } from './model-state.ts';
import { relationExists } from './relation-exists.ts';
import { quoteRelation } from './sql-identifier.ts';

/** The comment a virtual view carries: promote and diff skip these (they are the base's relations). */
export const virtualViewComment = 'reelhouse: virtual view of';

export interface VirtualPlan {
  /** Models to build into the environment: changed since their build in the base, and their descendants. */
  readonly build: readonly string[];
  /** Models left as views over the base's relations (zero copy). */
  readonly virtual: readonly string[];
}

/**
 * SQLMesh's virtual environments: a model whose fingerprint matches its last build in `base`
 * (`ops.model_state`), none of its ancestors changed, is a view over the base's relation; the
 * selected others are built.
 */
export async function planVirtualEnvironment(
  db: AnyKysely,
  options: {
    /** The project compiled against `base`: fingerprints depend on the schema. */
    project: CompiledProject;
    base: string;
    selected: readonly string[];
  },
): Promise<VirtualPlan> {
  const states = await readModelStates(db, options.base);
  const changed = new Set<string>();
  for (const model of options.project.models) {
    const differs = states.get(model.name)?.fingerprint !== model.fingerprint;
    if (differs || model.dependsOn.some((upstream) => changed.has(upstream)))
      changed.add(model.name);
  }
  const virtual: string[] = [];
  for (const model of options.project.models)
    if (!changed.has(model.name) && (await relationExists(db, `${options.base}.${model.name}`)))
      virtual.push(model.name);
  const isVirtual = new Set(virtual);
  return {
    build: options.selected.filter((name) => !isVirtual.has(name)),
    virtual,
  };
}

/** Points each virtual model of `target` at its relation in `base`, in one transaction. */
export async function createVirtualViews(
  db: AnyKysely,
  options: { target: string; base: string; names: readonly string[] },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`create schema if not exists ${sql.id(options.target)}`.execute(trx);
    const { rows } = await sql<{ relname: string; relkind: string }>`
      select c.relname, c.relkind from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = ${options.target} and c.relkind in ('r', 'v', 'm', 'p')`.execute(trx);
    const existing = new Map(rows.map((row) => [row.relname, row.relkind]));
    for (const name of options.names) {
      const relation = quoteRelation(`${options.target}.${name}`);
      const kind = existing.get(name);
      if (kind !== undefined)
        await sql
          .raw(
            `drop ${kind === 'v' ? 'view' : kind === 'm' ? 'materialized view' : 'table'} ${relation} cascade`,
          )
          .execute(trx);
      await sql
        .raw(`create view ${relation} as select * from ${quoteRelation(`${options.base}.${name}`)}`)
        .execute(trx);
      await sql
        .raw(`comment on view ${relation} is '${virtualViewComment} ${options.base}.${name}'`)
        .execute(trx);
    }
  });
}

/** Relations of `schema` the environment built (tables and views that are not virtual). */
export async function builtRelations(db: AnyKysely, schema: string): Promise<Map<string, string>> {
  const { rows } = await sql<{ relname: string; relkind: string; comment: string | null }>`
    select c.relname, c.relkind, obj_description(c.oid, 'pg_class') as "comment"
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = ${schema} and c.relkind in ('r', 'v', 'p')`.execute(db);
  return new Map(
    rows
      .filter((row) => !(row.comment ?? '').startsWith(virtualViewComment))
      .map((row) => [row.relname, row.relkind]),
  );
}

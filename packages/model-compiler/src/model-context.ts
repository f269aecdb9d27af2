import { sql, type Kysely } from 'kysely';

import type { AnyModel, ModelChanges, ModelContext, SourceName } from './define-model.ts';

/** Where a model's references point: the relations a compilation or a build reads. */
export interface RelationResolver {
  /** Schema-qualified relation (`schema.table`) read for a `ctx.ref` to the model named. */
  readonly ref: (modelName: string) => string;
  /** Schema-qualified relation read for a `ctx.source`; `raw.users` itself outside isolation tests. */
  readonly source: (name: SourceName) => string;
  /** The model's existing table, for incremental runs (`ctx.self`). */
  readonly self: string;
  /** Incremental builds: what an upstream model (by name) changed in this build (`ctx.changes`). */
  readonly changes?: ((modelName: string) => UpstreamChanges | undefined) | undefined;
}

/** `ModelChanges` as relation names: the upstream's delta, its removed keys (if any) and its published table. */
export type UpstreamChanges =
  | { readonly kind: 'unchanged' }
  | {
      readonly kind: 'delta';
      readonly upserted: string;
      readonly removed: string | undefined;
      readonly previous: string;
    };

function modelChanges(changes: UpstreamChanges): ModelChanges<never> {
  if (changes.kind === 'unchanged') return changes;
  const table = (relation: string) => sql`${sql.table(relation)}`;
  const { removed } = changes;
  return {
    kind: 'delta',
    upserted: (alias) => table(changes.upserted).as(alias) as never,
    previous: (alias) => table(changes.previous).as(alias) as never,
    // No removed keys: an empty relation of the table's shape, so queries need no second form.
    removed: (alias) =>
      (removed === undefined
        ? sql`(select * from ${sql.table(changes.previous)} where false)`
        : table(removed)
      ).as(alias) as never,
  };
}

export interface ModelContextOptions {
  readonly db: Kysely<object>;
  readonly resolver: RelationResolver;
  readonly isIncremental: boolean;
  readonly interval?: { readonly start: Date; readonly end: Date } | undefined;
}

/** A context together with the references recorded while a query was built through it. */
export interface RecordingContext {
  readonly context: ModelContext;
  /** Names of the models referenced through `ctx.ref`, in first-use order. */
  readonly refs: ReadonlySet<string>;
  /** `raw` tables referenced through `ctx.source`, in first-use order. */
  readonly sources: ReadonlySet<string>;
}

/** Creates the `ctx` handed to a model's `select`, recording each `ref` and `source` call for the graph. */
export function createModelContext(options: ModelContextOptions): RecordingContext {
  const refs = new Set<string>();
  const sources = new Set<string>();
  const context: ModelContext = {
    db: options.db,
    ref: (model: AnyModel, alias) => {
      refs.add(model.name);
      return sql`${sql.table(options.resolver.ref(model.name))}`.as(alias) as never;
    },
    source: (name, alias) => {
      sources.add(name);
      return sql`${sql.table(options.resolver.source(name))}`.as(alias) as never;
    },
    isIncremental: options.isIncremental,
    interval: options.interval,
    self: (alias) => sql<object>`${sql.table(options.resolver.self)}`.as(alias),
    changes: (model: AnyModel) => {
      refs.add(model.name);
      if (!options.isIncremental) return undefined;
      const changes = options.resolver.changes?.(model.name);
      return changes === undefined ? undefined : modelChanges(changes);
    },
  };
  return { context, refs, sources };
}

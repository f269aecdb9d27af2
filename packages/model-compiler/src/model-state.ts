import { sql } from 'kysely';

import type { AnyKysely } from './any-kysely.ts';
import { relationExists } from './relation-exists.ts';

/** Versions of source relations (`raw.users` → an opaque value that changes whenever its data does). */
export type SourceVersions = Readonly<Record<string, string>>;

/** What the last published build of a model read: enough to tell whether building it again would change it. */
export interface ModelState {
  readonly model: string;
  readonly fingerprint: string;
  /** The version of each source the model read, as given to that build. */
  readonly sourceVersions: SourceVersions;
  /** The build that last published each upstream model, as it stood when this model was built. */
  readonly upstreamBuilds: Readonly<Record<string, string | null>>;
  readonly buildId: string;
}

/** Creates `ops.model_state` (one row per published model and target schema) if missing. */
async function ensureModelStateTable(db: AnyKysely): Promise<void> {
  await sql`create schema if not exists ops`.execute(db);
  await sql`
    create table if not exists ops.model_state (
      target_schema text not null,
      model text not null,
      fingerprint text not null,
      source_versions jsonb not null,
      upstream_builds jsonb not null,
      build_id text not null,
      built_at timestamptz not null default now(),
      primary key (target_schema, model)
    )`.execute(db);
}

/** The recorded state of every model published into `targetSchema` (none before the first build). */
export async function readModelStates(
  db: AnyKysely,
  targetSchema: string,
): Promise<Map<string, ModelState>> {
  if (!(await relationExists(db, 'ops.model_state'))) return new Map();
  const { rows } = await sql<{
    model: string;
    fingerprint: string;
    source_versions: SourceVersions;
    upstream_builds: Record<string, string | null>;
    build_id: string;
  }>`select model, fingerprint, source_versions, upstream_builds, build_id
       from ops.model_state where target_schema = ${targetSchema}`.execute(db);
  return new Map(
    rows.map((row) => [
      row.model,
      {
        model: row.model,
        fingerprint: row.fingerprint,
        sourceVersions: row.source_versions,
        upstreamBuilds: row.upstream_builds,
        buildId: row.build_id,
      },
    ]),
  );
}

/** Records the state of published models; run it in the publish transaction so state and tables agree. */
export async function recordModelStates(
  db: AnyKysely,
  options: { readonly targetSchema: string; readonly states: readonly ModelState[] },
): Promise<void> {
  if (options.states.length === 0) return;
  await ensureModelStateTable(db);
  for (const state of options.states) {
    await sql`
      insert into ops.model_state (target_schema, model, fingerprint, source_versions, upstream_builds, build_id, built_at)
      values (${options.targetSchema}, ${state.model}, ${state.fingerprint}, ${JSON.stringify(state.sourceVersions)}::jsonb,
              ${JSON.stringify(state.upstreamBuilds)}::jsonb, ${state.buildId}, now())
      on conflict (target_schema, model) do update set
        fingerprint = excluded.fingerprint, source_versions = excluded.source_versions,
        upstream_builds = excluded.upstream_builds, build_id = excluded.build_id, built_at = excluded.built_at`.execute(
      db,
    );
  }
}

/**
 * Why a model must be built again, or `undefined` when its published relation is up to date: same
 * fingerprint, every source at the version its last build read, and every upstream model still as
 * that build saw it (none of them rebuilt since, nor in this run).
 */
export function staleReason(options: {
  readonly state: ModelState | undefined;
  readonly fingerprint: string;
  readonly sources: readonly string[];
  readonly sourceVersions: SourceVersions;
  readonly upstream: readonly string[];
  /** The build id each upstream model is published under now (after this run's publish it would differ if rebuilt). */
  readonly currentBuildOf: (model: string) => string | null;
  readonly rebuiltInRun: (model: string) => boolean;
}): string | undefined {
  const { state } = options;
  if (state === undefined) return 'no recorded build';
  if (state.fingerprint !== options.fingerprint) return 'model changed';
  for (const source of options.sources) {
    const version = options.sourceVersions[source];
    if (version === undefined) return `no version for source ${source}`;
    if (state.sourceVersions[source] !== version) return `source ${source} changed`;
  }
  for (const model of options.upstream) {
    if (options.rebuiltInRun(model)) return `upstream ${model} rebuilt`;
    if ((state.upstreamBuilds[model] ?? null) !== options.currentBuildOf(model))
      return `upstream ${model} rebuilt since`;
  }
  return undefined;
}

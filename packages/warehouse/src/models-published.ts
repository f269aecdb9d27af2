import { sql, type Kysely } from 'kysely';

/**
 * The `NOTIFY` channel a model build announces a publish on; the payload is the target schema.
 * Readers that cache answers over `trusted` (the dashboard) listen on it: a delta merged into a
 * table in place changes neither its file node nor, for up to a second, its row counters.
 */
export const modelsPublishedChannel = 'reelhouse_models_published';

/** Announces a publish into `schema`; inside the publish transaction, listeners hear it at commit. */
export async function notifyModelsPublished(
  // Any schema: the build's Kysely is untyped.
  db: Kysely<unknown>,
  schema: string,
): Promise<void> {
  await sql`select pg_notify(${modelsPublishedChannel}, ${schema})`.execute(db);
}

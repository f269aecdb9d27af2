import { sql } from 'kysely';

import { silentLogger, type Logger } from '@reelhouse/core';

import type { AnyKysely } from './any-kysely.ts';
import type { PublishStep } from './build-model.ts';
import { compileProject } from './compile-project.ts';
import type { AnyModel } from './define-model.ts';
import { ledgerKey } from './interval-ledger.ts';
import { readModelStates, recordModelStates } from './model-state.ts';
import { publishBuild } from './publish-build.ts';
import { relationExists } from './relation-exists.ts';
import { builtRelations } from './virtual-environment.ts';
import { withBuildLock } from './with-build-lock.ts';

export interface PromoteEnvironmentOptions {
  readonly models: readonly AnyModel[];
  /** The environment's schema, e.g. `trusted__dev`. */
  readonly from: string;
  /** Default `trusted`. */
  readonly to?: string;
  readonly grantSelectTo?: readonly string[];
  readonly logger?: Logger;
}

/**
 * Swaps what an environment built into the target in one transaction: its tables move (no copy),
 * its views are recreated over the target, their build state and interval ledger follow; virtual
 * models are already the target's. The environment is dropped once promoted.
 *
 * @example
 * await buildModels(db, { models, targetSchema: 'trusted__dev', virtualBase: 'trusted' });
 * await promoteEnvironment(db, { models, from: 'trusted__dev' }); // trusted now equals the dev build
 */
export async function promoteEnvironment(
  db: AnyKysely,
  options: PromoteEnvironmentOptions,
): Promise<{ readonly promoted: readonly string[] }> {
  const to = options.to ?? 'trusted';
  const logger = options.logger ?? silentLogger;
  const project = compileProject(options.models, { targetSchema: to });
  return withBuildLock(db, to, () =>
    withBuildLock(db, options.from, async () => {
      if (!(await schemaExists(db, options.from))) return { promoted: [] };
      const built = await builtRelations(db, options.from);
      const steps: PublishStep[] = project.models
        .filter((model) => built.has(model.name))
        .map((model) =>
          built.get(model.name) === 'v'
            ? { kind: 'create_view', model: model.name }
            : { kind: 'move_table', model: model.name },
        );
      const states = await readModelStates(db, options.from);
      await db.transaction().execute(async (trx) => {
        const outcome = await publishBuild(trx, {
          project,
          stagingSchema: options.from,
          steps,
          buildId: 'promote',
          grantSelectTo: options.grantSelectTo,
        });
        if (await relationExists(trx, 'ops.model_intervals'))
          for (const name of outcome.published) {
            await sql`delete from ops.model_intervals where model = ${ledgerKey(to, name)}`.execute(
              trx,
            );
            await sql`update ops.model_intervals set model = ${ledgerKey(to, name)} where model = ${ledgerKey(options.from, name)}`.execute(
              trx,
            );
          }
        await recordModelStates(trx, {
          targetSchema: to,
          // Fingerprints depend on the schema compiled against: record the target's.
          states: outcome.published.flatMap((name) => {
            const state = states.get(name);
            const fingerprint = project.models.find((model) => model.name === name)?.fingerprint;
            return state === undefined || fingerprint === undefined
              ? []
              : [{ ...state, fingerprint }];
          }),
        });
        if (await relationExists(trx, 'ops.model_state'))
          await sql`delete from ops.model_state where target_schema = ${options.from}`.execute(trx);
        await sql`drop schema ${sql.id(options.from)} cascade`.execute(trx);
      });
      const promoted = steps.map((step) => step.model);
      logger.info({ from: options.from, to, models: promoted }, 'environment promoted');
      return { promoted };
    }),
  );
}

async function schemaExists(db: AnyKysely, schema: string): Promise<boolean> {
  const { rows } = await sql<{
    found: boolean;
  }>`select exists (select 1 from pg_namespace where nspname = ${schema}) as "found"`.execute(db);
  return rows[0]?.found === true;
}

import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

import { z } from 'zod';

import { ReelhouseError } from '@reelhouse/core';

/** A persistent local MongoDB-wire server: what it runs, where its data is, how to reach it. */
export const persistentServerSchema = z.object({
  kind: z.enum(['ferretdb', 'mongod']),
  pid: z.number().int().positive(),
  port: z.number().int().min(1).max(65535),
  stateDir: z.string().min(1),
  binary: z.string().min(1),
  version: z.string().min(1),
  startedAt: z.iso.datetime(),
});
export type PersistentServer = z.infer<typeof persistentServerSchema>;

/** The one state file: the servers Reelhouse started and keeps running between commands. */
export const serviceStateSchema = z.object({
  mongodb: persistentServerSchema.optional(),
});
export type ServiceState = z.infer<typeof serviceStateSchema>;

/** `<cache>/services.json`: read by every command, written under the state lock. */
export function serviceStatePath(cache: string): string {
  return join(cache, 'services.json');
}

/** Where persistent servers keep their data: `<cache>/services/<kind>`. */
export function persistentDataDir(cache: string, kind: PersistentServer['kind']): string {
  return join(cache, 'services', kind);
}

/** The state file's content; an absent file is an empty state, a bad one is an error naming it. */
export function readServiceState(cache: string): ServiceState {
  const path = serviceStatePath(cache);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const parsed = serviceStateSchema.safeParse(json);
  if (!parsed.success) {
    throw new ReelhouseError({
      code: 'file_malformed',
      message: `${path} is not a valid services state file (${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ')}); stop its server by hand and delete the file`,
      context: { file: path },
    });
  }
  return parsed.data;
}

/** Replaces the state file atomically (write, then rename), or removes it when the state is empty. */
export function writeServiceState(cache: string, state: ServiceState): void {
  const path = serviceStatePath(cache);
  if (state.mongodb === undefined) {
    rmSync(path, { force: true });
    return;
  }
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(serviceStateSchema.parse(state), null, 2)}\n`);
  renameSync(temporary, path);
}

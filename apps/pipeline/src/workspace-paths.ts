import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';

function findWorkspaceRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'pnpm-workspace.yaml'))) {
    const parent = dirname(dir);
    if (parent === dir) return start;
    dir = parent;
  }
  return dir;
}

/**
 * The repository root: pnpm runs the CLI inside `apps/pipeline`, so relative paths (`data`,
 * `target`) are resolved against the root, where README says they live.
 */
export const workspaceRoot = findWorkspaceRoot(import.meta.dirname);

/** Resolves a path the user gave (or a default) against the repository root. */
export function fromRoot(path: string): string {
  return isAbsolute(path) ? path : resolve(workspaceRoot, path);
}

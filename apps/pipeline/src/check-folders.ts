import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { classifyError, ReelhouseError } from '@reelhouse/core';

/** A folder a command writes to, named as the user sets it. */
export interface NeededFolder {
  /** The flag or setting that chooses it: `--target-dir`, `REELHOUSE_DATA_DIR`... */
  readonly setting: string;
  readonly path: string;
}

/**
 * Creates each folder and writes and removes a probe file in it, so that a folder the run cannot
 * write fails the command before its first task rather than after minutes of work.
 */
export async function checkFolders(folders: readonly NeededFolder[]): Promise<void> {
  for (const folder of folders) {
    const probe = join(folder.path, `.reelhouse-write-check-${process.pid}`);
    try {
      await mkdir(folder.path, { recursive: true });
      await writeFile(probe, '');
      await rm(probe, { force: true });
    } catch (error) {
      const cause = classifyError(error);
      throw new ReelhouseError({
        code: 'file_access_denied',
        message: `${folder.setting} ${folder.path} is not a writable folder (${cause.message}): give it write permission or choose another folder`,
        context: { setting: folder.setting, path: folder.path, ...cause.context },
        cause: error,
      });
    }
  }
}

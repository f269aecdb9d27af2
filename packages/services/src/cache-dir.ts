import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where servers built or started by Reelhouse live: `$REELHOUSE_CACHE_DIR` or `~/.cache/reelhouse`. */
export function cacheDir(configured: string | undefined): string {
  return configured ?? join(homedir(), '.cache', 'reelhouse');
}

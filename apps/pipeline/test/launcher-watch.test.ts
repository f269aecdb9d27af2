import { describe, expect, it } from 'vitest';

import { isLauncherCommand } from '../src/launcher-watch.ts';

describe('isLauncherCommand', () => {
  it.each([
    [['node', '/usr/bin/pnpm', 'pipeline']],
    [['sh', '-c', 'pnpm --filter @reelhouse/pipeline run pipeline run']],
    [['sh', '-c', 'node --max-old-space-size=512 --import tsx src/cli.ts run']],
    [['/bin/sh', '/work/node_modules/.bin/node', '--import', 'tsx', 'src/cli.ts']],
    [['/work/node_modules/.bin/../node/bin/node', '/work/node_modules/tsx/dist/cli.mjs']],
  ])('knows the wrappers of `pnpm pipeline`: %j', (argv) => {
    expect(isLauncherCommand(argv)).toBe(true);
  });

  it.each([
    [['bash']],
    [['node', '/work/node_modules/.pnpm/vitest@4/node_modules/vitest/dist/workers/forks.js']],
    [['sh', '-c', './deploy.sh']],
  ])('stops at a caller that is not one: %j', (argv) => {
    expect(isLauncherCommand(argv)).toBe(false);
  });
});

import { loadConfig } from '@reelhouse/config';
import { generateOptionsSchema, scalePresets } from '@reelhouse/generators';
import { describe, expect, it } from 'vitest';

import { dataSetDir, resolvePipelineParams } from '../src/pipeline-params.ts';

const config = loadConfig({ REELHOUSE_SCALE: 'small', REELHOUSE_SEED: '42' });

describe('resolvePipelineParams', () => {
  it('takes the preset sizes and the config defaults', () => {
    expect(resolvePipelineParams({ flags: {}, config, fullRefresh: false })).toEqual({
      scale: 'small',
      preset: 'small',
      seed: 42,
      users: 20_000,
      sessions: 500_000,
      titles: 2_000,
      defectRate: 0,
      fullRefresh: false,
    });
  });

  it('labels explicit sizes and defects so different data sets never share a folder', () => {
    const params = resolvePipelineParams({
      flags: { scale: 'tiny', users: 200, defects: 0.01, seed: 3 },
      config,
      fullRefresh: true,
    });
    expect(params).toMatchObject({
      scale: 'tiny-u200-s10000-t200-d0p01',
      preset: 'tiny',
      users: 200,
      sessions: 10_000,
      fullRefresh: true,
    });
    expect(dataSetDir('/data', params)).toBe('/data/tiny-u200-s10000-t200-d0p01-seed3');
  });

  it('issue 16: a defect rate keeps the data-set name valid for the generator', () => {
    const params = resolvePipelineParams({
      flags: { scale: 'small', defects: 0.02, seed: 7 },
      config,
      fullRefresh: false,
    });
    expect(params.scale).toBe('small-d0p02');
    expect(
      generateOptionsSchema.safeParse({ outDir: '/d', ...scalePresets.small, ...params }).success,
    ).toBe(true);
  });

  it('refuses an unknown scale without explicit sizes', () => {
    expect(() =>
      resolvePipelineParams({ flags: { scale: 'huge' }, config, fullRefresh: false }),
    ).toThrow('--scale huge: not a preset (tiny, small, medium, large)');
  });
});

import type { DeviceType, Plan, Quality } from '@reelhouse/contracts';

import type { Random } from './random.ts';

/** Highest quality (index into SD, HD, FHD, UHD) each plan streams: only premium gets UHD. */
export const planQualityCap: Readonly<Record<Plan, number>> = {
  basic_ads: 1,
  standard: 2,
  premium: 3,
};

/** Highest quality each device class renders. */
export const deviceQualityCap: Readonly<Record<DeviceType, number>> = {
  smart_tv: 3,
  streaming_stick: 3,
  console: 3,
  mobile: 2,
  tablet: 2,
  desktop: 2,
};

/** Bitrate range (kbps) of each rung of the quality ladder. */
export const bitrateLadder: Readonly<Record<Quality, readonly [number, number]>> = {
  SD: [1_050, 1_750],
  HD: [2_700, 3_300],
  FHD: [5_200, 6_400],
  UHD: [13_500, 16_500],
};

/** Steps below the cap a session actually streams at (bandwidth, downloads): mostly at the cap. */
export function drawQuality(random: Random, cap: number): number {
  const roll = random.float();
  const drop = roll < 0.72 ? 0 : roll < 0.92 ? 1 : 2;
  return Math.max(0, cap - drop);
}

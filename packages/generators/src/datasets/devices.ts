import type { DeviceType } from '@reelhouse/contracts';

/** Operating systems per device class and the client app version lines they run. */
export const deviceOperatingSystems: Readonly<Record<DeviceType, readonly string[]>> = {
  smart_tv: ['Tizen', 'webOS', 'Android TV', 'Roku OS', 'Fire TV OS'],
  streaming_stick: ['Fire TV OS', 'Roku OS', 'Google TV', 'tvOS'],
  console: ['PlayStation', 'Xbox'],
  mobile: ['iOS', 'Android'],
  tablet: ['iPadOS', 'Android'],
  desktop: ['Windows', 'macOS', 'Linux', 'ChromeOS'],
};

export const appVersions = ['8.10.2', '8.11.0', '8.11.4', '8.12.0', '8.12.1', '8.13.0'];

/** Industry device mix of viewing sessions (percent). */
export const deviceMix: Readonly<Record<DeviceType, number>> = {
  smart_tv: 36,
  streaming_stick: 35,
  console: 7,
  mobile: 12,
  tablet: 4,
  desktop: 6,
};

import {
  countries,
  deviceTypes,
  plans,
  regions,
  type AcquisitionChannel,
  type DeviceType,
  type Gender,
  type Plan,
  type Region,
} from '@reelhouse/contracts';

import { deviceMix } from './datasets/devices.ts';
import { WeightedChoice, WeightedOptions } from './weighted-choice.ts';

/** Share of subscribers per region (industry figures; normalised when drawn). */
export const regionMix: Readonly<Record<Region, number>> = {
  UCAN: 32,
  EMEA: 34,
  LATAM: 18,
  APAC: 17,
};

/** Plan mix of sign-ups. */
export const planMix: Readonly<Record<Plan, number>> = { basic_ads: 45, standard: 35, premium: 20 };

/** Monthly churn probability per plan: cheaper plans churn more. */
export const monthlyChurn: Readonly<Record<Plan, number>> = {
  basic_ads: 0.05,
  standard: 0.03,
  premium: 0.02,
};

export const genderMix: Readonly<Record<Gender, number>> = {
  female: 49,
  male: 47,
  nonbinary: 1.5,
  undisclosed: 2.5,
};

export const channelMix: Readonly<Record<AcquisitionChannel, number>> = {
  organic: 38,
  paid_search: 18,
  social: 16,
  referral: 10,
  partner_bundle: 12,
  tv_ad: 6,
};

const regionTotals = new Map<Region, number>(
  regions.map((region) => [
    region,
    countries.filter((c) => c.region === region).reduce((sum, c) => sum + c.weight, 0),
  ]),
);

/** Countries weighted so that regions follow `regionMix` and countries their weight within it. */
export const countryChoice = new WeightedChoice(
  countries.map((c) => (regionMix[c.region] * c.weight) / (regionTotals.get(c.region) ?? 1)),
);

export const planChoice = new WeightedChoice(plans.map((plan) => planMix[plan]));
export const deviceChoice = new WeightedChoice(
  deviceTypes.map((device: DeviceType) => deviceMix[device]),
);
export const genderChoice = new WeightedOptions(genderMix);
export const channelChoice = new WeightedOptions(channelMix);

/** Closed vocabularies shared by the generators, the source checks and the warehouse tests. */
export const genders = ['female', 'male', 'nonbinary', 'undisclosed'] as const;
export const plans = ['basic_ads', 'standard', 'premium'] as const;
export const subscriptionStatuses = ['active', 'cancelled', 'paused'] as const;
export const acquisitionChannels = [
  'organic',
  'paid_search',
  'social',
  'referral',
  'partner_bundle',
  'tv_ad',
] as const;
export const deviceTypes = [
  'smart_tv',
  'streaming_stick',
  'console',
  'mobile',
  'tablet',
  'desktop',
] as const;
export const qualities = ['SD', 'HD', 'FHD', 'UHD'] as const;
export const exitReasons = ['completed', 'user_exit', 'next_episode', 'error', 'timeout'] as const;
export const contentTypes = ['movie', 'series'] as const;
export const maturityRatings = [
  'G',
  'PG',
  'PG-13',
  'R',
  'NC-17',
  'TV-Y',
  'TV-G',
  'TV-PG',
  'TV-14',
  'TV-MA',
] as const;
export const regions = ['UCAN', 'EMEA', 'LATAM', 'APAC'] as const;

export type Gender = (typeof genders)[number];
export type Plan = (typeof plans)[number];
export type SubscriptionStatus = (typeof subscriptionStatuses)[number];
export type AcquisitionChannel = (typeof acquisitionChannels)[number];
export type DeviceType = (typeof deviceTypes)[number];
export type Quality = (typeof qualities)[number];
export type ExitReason = (typeof exitReasons)[number];
export type ContentType = (typeof contentTypes)[number];
export type MaturityRating = (typeof maturityRatings)[number];
export type Region = (typeof regions)[number];

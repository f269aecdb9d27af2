import type { DimUserTable } from '@reelhouse/warehouse';
import type { Insertable } from 'kysely';

import {
  ageBands,
  channels,
  countries,
  dayKeyOf,
  dayMs,
  genders,
  pick,
  plans,
} from './fixture-values.ts';

export interface UserVersion {
  readonly row: Insertable<DimUserTable>;
  readonly fromMs: number;
  readonly toMs: number;
  /** When the subscription was cancelled: days before the warehouse saw it and opened the version. */
  readonly cancelledMs?: number;
}

export function buildUsers(next: () => number, count: number): UserVersion[] {
  const unknown: Insertable<DimUserTable> = {
    user_key: -1,
    user_id: 'unknown',
    email_sha256: null,
    age_band: 'unknown',
    gender: 'unknown',
    country_code: 'ZZ',
    region: 'unknown',
    preferred_language: null,
    plan: 'unknown',
    monthly_price_cents: null,
    currency: null,
    subscription_status: 'unknown',
    signup_date_key: -1,
    cancelled_date_key: null,
    acquisition_channel: 'unknown',
    valid_from: new Date(0),
    valid_to: null,
    is_current: true,
  };
  const versions: UserVersion[] = [{ row: unknown, fromMs: 0, toMs: Number.POSITIVE_INFINITY }];
  const end = Date.parse('2026-03-28T00:00:00Z');
  for (let index = 1; index <= count; index += 1) {
    const country = pick(next, countries);
    const signupMs =
      Date.parse('2025-10-01T00:00:00Z') +
      Math.floor(next() * 160) * dayMs +
      Math.floor(next() * dayMs);
    const base = {
      user_id: `u${String(index).padStart(4, '0')}`,
      email_sha256: null,
      age_band: pick(next, ageBands),
      gender: pick(next, genders),
      country_code: country.code,
      region: country.region,
      preferred_language: 'en',
      currency: country.currency,
      signup_date_key: dayKeyOf(signupMs),
      acquisition_channel: pick(next, channels),
    };
    let plan = pick(next, plans);
    const changes: {
      ms: number;
      plan: (typeof plans)[number];
      status: string;
      cancelledMs?: number;
    }[] = [{ ms: signupMs, plan, status: 'active' }];
    let lastMs = signupMs;
    if (index % 5 === 0) {
      lastMs += (20 + Math.floor(next() * 40)) * dayMs;
      plan = plans[(plans.indexOf(plan) + 1) % plans.length]!;
      if (lastMs < end) changes.push({ ms: lastMs, plan, status: 'active' });
    }
    // A pause keeps the subscription (a subscriber, no revenue change in the fixture).
    if (index % 11 === 6) {
      lastMs += 30 * dayMs;
      if (lastMs < end) changes.push({ ms: lastMs, plan, status: 'paused' });
    }
    if (index % 7 === 3) {
      lastMs += (15 + Math.floor(next() * 60)) * dayMs;
      const cancelledMs = lastMs - (2 + Math.floor(next() * 14)) * dayMs;
      if (lastMs < end) changes.push({ ms: lastMs, plan, status: 'cancelled', cancelledMs });
    }
    changes.forEach((change, position) => {
      const toMs = changes[position + 1]?.ms ?? Number.POSITIVE_INFINITY;
      versions.push({
        fromMs: change.ms,
        toMs,
        ...(change.cancelledMs === undefined ? {} : { cancelledMs: change.cancelledMs }),
        row: {
          ...base,
          user_key: index * 10 + position,
          plan: change.plan.plan,
          monthly_price_cents: change.plan.price,
          subscription_status: change.status,
          cancelled_date_key:
            change.cancelledMs === undefined ? null : dayKeyOf(change.cancelledMs),
          valid_from: new Date(change.ms),
          valid_to: Number.isFinite(toMs) ? new Date(toMs) : null,
          is_current: position === changes.length - 1,
        },
      });
    });
  }
  return versions;
}

import { countries, plans, userColumns } from '@reelhouse/contracts';

import { asciiSlug } from './ascii-slug.ts';
import { countryProfiles } from './datasets/country-profiles.ts';
import { namePools } from './datasets/person-names.ts';
import { planPrices } from './datasets/plan-prices.ts';
import { cancelled, erased, subscribed, type DayWorld, type UserChange } from './day-world.ts';
import { isoTimestamp } from './iso-timestamp.ts';
import type { Random } from './random.ts';
import { hourMs } from './timeline.ts';
import {
  channelChoice,
  countryChoice,
  deviceChoice,
  genderChoice,
  planChoice,
} from './user-mix.ts';
import { userIdWords } from './user-id.ts';
import { metaCountry, metaPlan, packUserMeta, userMeta, userStride } from './user-table.ts';
import { formatUuid } from './uuid.ts';

/** A count drawn around `mean`: its whole part, plus one with the chance of its fraction. */
export function countAround(random: Random, mean: number): number {
  const whole = Math.floor(mean);
  return whole + (random.chance(mean - whole) ? 1 : 0);
}

/** Daily rates of subscriber events, as shares of the users (monthly churn of 3-5% a month). */
export const userRates = {
  newUsers: 0.0011,
  planChanges: 0.001,
  cancellations: 0.0012,
  /** Of the cancelled users, per day: win-backs. */
  returns: 0.002,
  erasures: 0.0002,
} as const;

/** What the users of one day did, by user index. */
export interface DayUserEvents {
  readonly newUsers: number[];
  readonly planChanges: number[];
  readonly cancellations: number[];
  readonly returns: number[];
  readonly erasures: number[];
}

function priceOf(world: DayWorld, user: number, plan: number): number {
  const meta = world.users.records[user * userStride + userMeta]!;
  const currency = countries[metaCountry(meta)]!.currency;
  return planPrices[currency]?.[plans[plan]!] ?? 999;
}

/** A user index in `state` not touched today, by rejection sampling (none after a few tries). */
function pickUser(
  world: DayWorld,
  random: Random,
  wanted: { readonly state: number; readonly touched: ReadonlySet<number> },
): number | undefined {
  const { state, touched } = wanted;
  for (let attempt = 0; attempt < 40; attempt++) {
    const user = random.int(0, world.userCount - 1);
    if (world.userState[user] === state && !touched.has(user)) return user;
  }
  return undefined;
}

function newUserRow(world: DayWorld, random: Random, atMs: number): string[] {
  const countryIndex = countryChoice.draw(random);
  const country = countries[countryIndex]!;
  const profile = countryProfiles[country.code]!;
  const names = namePools[profile.culture];
  const first = random.pick(names.first);
  const last = random.pick(names.last);
  const planIndex = planChoice.draw(random);
  const plan = plans[planIndex]!;
  const age = Math.round(Math.min(85, Math.max(18, 37 + 13 * random.normal())));
  const index = world.addUser([
    atMs,
    Number.POSITIVE_INFINITY,
    Math.fround(random.logNormal(1, 0.9)),
    packUserMeta({ plan: planIndex, country: countryIndex, device: deviceChoice.draw(random) }),
  ]);
  const row = [
    formatUuid(userIdWords(world.seed, index, new Uint32Array(4)), 0),
    `${asciiSlug(first)}.${asciiSlug(last)}.${index + 1}@example.com`,
    first,
    last,
    random.chance(0.06) ? '' : String(2025 - age),
    random.chance(0.04) ? '' : genderChoice.draw(random),
    country.code,
    random.chance(0.08) ? '' : random.pick(profile.cities),
    random.chance(0.12) ? 'en-US' : country.language,
    isoTimestamp(atMs),
    plan,
    String(planPrices[country.currency]?.[plan] ?? 999),
    country.currency,
    'active',
    '',
    channelChoice.draw(random),
    random.chance(0.4) ? 'true' : 'false',
    isoTimestamp(atMs + Math.floor(random.exponential(hourMs / 4))),
  ];
  world.newUserRows.set(index, row);
  return row;
}

/**
 * Draws one day's subscriber events and applies them to the world: sign-ups, plan changes,
 * cancellations, returns (win-backs) and GDPR erasures. A user has at most one event a day.
 */
export function simulateDayUsers(
  world: DayWorld,
  random: Random,
  day: { readonly startMs: number },
): DayUserEvents {
  const users = world.userCount;
  const cancelledUsers = world.userState.subarray(0, users).filter((s) => s === cancelled).length;
  const at = (): number => day.startMs + Math.floor(random.float() * (24 * hourMs - 1000));
  const touched = new Set<number>();
  const events: DayUserEvents = {
    newUsers: [],
    planChanges: [],
    cancellations: [],
    returns: [],
    erasures: [],
  };
  for (let n = countAround(random, users * userRates.erasures + 0.3); n > 0; n--) {
    const user =
      pickUser(world, random, { state: subscribed, touched }) ??
      pickUser(world, random, { state: cancelled, touched });
    if (user === undefined) continue;
    touched.add(user);
    world.userState[user] = erased;
    world.userChanges.delete(user);
    events.erasures.push(user);
  }
  for (let n = countAround(random, users * userRates.planChanges); n > 0; n--) {
    const user = pickUser(world, random, { state: subscribed, touched });
    if (user === undefined) continue;
    touched.add(user);
    const record = user * userStride + userMeta;
    const meta = world.users.records[record]!;
    const from = metaPlan(meta);
    // Upgrades outnumber downgrades two to one.
    const to = from === 2 || (from === 1 && random.chance(0.35)) ? from - 1 : from + 1;
    world.users.records[record] = meta - from + to;
    const change = world.userChanges.get(user) ?? { updatedMs: 0 };
    world.userChanges.set(user, {
      ...change,
      plan: plans[to]!,
      monthlyPriceCents: priceOf(world, user, to),
      updatedMs: at(),
    });
    events.planChanges.push(user);
  }
  for (let n = countAround(random, users * userRates.cancellations); n > 0; n--) {
    const user = pickUser(world, random, { state: subscribed, touched });
    if (user === undefined) continue;
    touched.add(user);
    world.userState[user] = cancelled;
    const atMs = at();
    const change = world.userChanges.get(user) ?? { updatedMs: 0 };
    world.userChanges.set(user, {
      ...change,
      status: 'cancelled',
      cancelledAtMs: atMs,
      updatedMs: atMs,
    });
    events.cancellations.push(user);
  }
  for (let n = countAround(random, cancelledUsers * userRates.returns); n > 0; n--) {
    const user = pickUser(world, random, { state: cancelled, touched });
    if (user === undefined) continue;
    touched.add(user);
    world.userState[user] = subscribed;
    const change = world.userChanges.get(user) ?? { updatedMs: 0 };
    world.userChanges.set(user, {
      ...change,
      status: 'active',
      cancelledAtMs: null,
      updatedMs: at(),
    });
    events.returns.push(user);
  }
  for (let n = countAround(random, users * userRates.newUsers); n > 0; n--) {
    newUserRow(world, random, at());
    events.newUsers.push(world.userCount - 1);
  }
  return events;
}

const column = (name: (typeof userColumns)[number]): number => userColumns.indexOf(name);
const planColumn = column('plan');
const priceColumn = column('monthly_price_cents');
const statusColumn = column('subscription_status');
const cancelledColumn = column('cancelled_at');
const updatedColumn = column('updated_at');

/** A user's row as of a change: the row it had (base or new) with the changed fields applied. */
export function changedUserRow(row: readonly string[], change: UserChange | undefined): string[] {
  const next = [...row];
  if (change === undefined) return next;
  if (change.plan !== undefined) next[planColumn] = change.plan;
  if (change.monthlyPriceCents !== undefined) next[priceColumn] = String(change.monthlyPriceCents);
  if (change.status !== undefined) next[statusColumn] = change.status;
  if (change.cancelledAtMs !== undefined)
    next[cancelledColumn] = change.cancelledAtMs === null ? '' : isoTimestamp(change.cancelledAtMs);
  // A row's updated_at never goes back, even when a change lands within the row's own hour.
  if (change.updatedMs > Date.parse(next[updatedColumn]!))
    next[updatedColumn] = isoTimestamp(change.updatedMs);
  return next;
}

import { countries, plans, userColumns } from '@reelhouse/contracts';

import { asciiSlug } from './ascii-slug.ts';
import { csvRow } from './csv-row.ts';
import { countryProfiles } from './datasets/country-profiles.ts';
import { namePools } from './datasets/person-names.ts';
import { planPrices } from './datasets/plan-prices.ts';
import type { FileSink } from './file-sink.ts';
import { isoTimestamp } from './iso-timestamp.ts';
import { Random } from './random.ts';
import { dayMs, hourMs, timeline } from './timeline.ts';
import {
  channelChoice,
  countryChoice,
  deviceChoice,
  genderChoice,
  monthlyChurn,
  planChoice,
} from './user-mix.ts';
import { userIdWords } from './user-id.ts';
import {
  createUserTable,
  packUserMeta,
  userActivity,
  userCancel,
  userMeta,
  userSignup,
  userStride,
  type UserTable,
} from './user-table.ts';
import { formatUuid } from './uuid.ts';

const monthMs = 30.44 * dayMs;

/** The `users.csv` records in order, filling `table` with each user's compact state on the way. */
export function* userRows(options: {
  readonly seed: number;
  readonly table: UserTable;
}): Generator<string[]> {
  const { table } = options;
  const random = new Random(options.seed, 'users');
  const span = timeline.referenceMs - dayMs - timeline.signupsFromMs;
  const idWords = new Uint32Array(4);
  for (let i = 0; i < table.count; i++) {
    const countryIndex = countryChoice.draw(random);
    const country = countries[countryIndex]!;
    const profile = countryProfiles[country.code]!;
    const names = namePools[profile.culture];
    const first = random.pick(names.first);
    const last = random.pick(names.last);
    const planIndex = planChoice.draw(random);
    const plan = plans[planIndex]!;
    // Growth: sign-ups accelerate, so the density rises towards the reference time.
    const signupMs = timeline.signupsFromMs + Math.floor(Math.sqrt(random.float()) * span);
    const tenureMs = random.exponential(1 / monthlyChurn[plan]) * monthMs;
    const cancelled = signupMs + tenureMs < timeline.referenceMs - hourMs;
    const cancelMs = cancelled ? Math.floor(signupMs + tenureMs) : Number.POSITIVE_INFINITY;
    const status = cancelled ? 'cancelled' : random.chance(0.03) ? 'paused' : 'active';
    const lastChangeMs = cancelled ? cancelMs : signupMs;
    const updatedMs = random.chance(0.3)
      ? lastChangeMs + Math.floor(random.float() * (timeline.referenceMs - lastChangeMs))
      : Math.min(timeline.referenceMs, lastChangeMs + Math.floor(random.exponential(hourMs)));
    const age = Math.round(Math.min(85, Math.max(18, 37 + 13 * random.normal())));
    const record = i * userStride;
    table.records[record + userSignup] = signupMs;
    table.records[record + userCancel] = cancelMs;
    table.records[record + userMeta] = packUserMeta({
      plan: planIndex,
      country: countryIndex,
      device: deviceChoice.draw(random),
    });
    // Single precision, as the activity was first stored: the same seed keeps the same bytes.
    table.records[record + userActivity] = Math.fround(random.logNormal(1, 0.9));
    yield [
      formatUuid(userIdWords(table.seed, i, idWords), 0),
      `${asciiSlug(first)}.${asciiSlug(last)}.${i + 1}@example.com`,
      first,
      last,
      random.chance(0.06) ? '' : String(2025 - age),
      random.chance(0.04) ? '' : genderChoice.draw(random),
      country.code,
      random.chance(0.08) ? '' : random.pick(profile.cities),
      random.chance(0.12) ? 'en-US' : country.language,
      isoTimestamp(signupMs),
      plan,
      String(planPrices[country.currency]?.[plan] ?? 999),
      country.currency,
      status,
      cancelled ? isoTimestamp(cancelMs) : '',
      channelChoice.draw(random),
      random.chance(0.4) ? 'true' : 'false',
      isoTimestamp(updatedMs),
    ];
  }
}

/**
 * Writes `users.csv` (RFC 4180 quoting, `\n` endings) and returns the compact user state the
 * sessions are generated from. The hand-written `csvRow` writes the same bytes as fast-csv at
 * twice its speed and without its garbage (see `scripts/bench-users.ts` and the tests).
 */
export async function writeUsers(options: {
  readonly sink: FileSink;
  readonly seed: number;
  readonly users: number;
}): Promise<UserTable> {
  const table = createUserTable({ count: options.users, seed: options.seed });
  const { sink } = options;
  sink.append(`${userColumns.join(',')}\n`);
  for (const row of userRows({ seed: options.seed, table }))
    if (sink.append(csvRow(row))) await sink.flush();
  return table;
}

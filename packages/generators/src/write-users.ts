import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { format } from 'fast-csv';

import { countries, plans, userColumns } from '@reelhouse/contracts';

import { asciiSlug } from './ascii-slug.ts';
import { countryProfiles } from './datasets/country-profiles.ts';
import { namePools } from './datasets/person-names.ts';
import { planPrices } from './datasets/plan-prices.ts';
import type { FileSink } from './file-sink.ts';
import { isoTimestamp } from './iso-timestamp.ts';
import { Random } from './random.ts';
import { dayMs, hourMs, timeline } from './timeline.ts';
import { channelChoice, countryChoice, deviceChoice, genderChoice, monthlyChurn, planChoice } from './user-mix.ts';
import { createUserTable, type UserTable } from './user-table.ts';
import { formatUuid } from './uuid.ts';

const monthMs = 30.44 * dayMs;

/** The `users.csv` records in order, filling `table` with each user's compact state on the way. */
export function* userRows(options: { readonly seed: number; readonly table: UserTable }): Generator<string[]> {
  const { table } = options;
  const random = new Random(options.seed, 'users');
  const span = timeline.referenceMs - dayMs - timeline.signupsFromMs;
  for (let i = 0; i < table.count; i++) {
    for (let w = 0; w < 4; w++) table.idWords[i * 4 + w] = random.uint32();
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
    table.signupMs[i] = signupMs;
    table.cancelMs[i] = cancelMs;
    table.plan[i] = planIndex;
    table.country[i] = countryIndex;
    table.primaryDevice[i] = deviceChoice.draw(random);
    table.activity[i] = random.logNormal(1, 0.9);
    yield [
      formatUuid(table.idWords, i * 4),
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
 * Writes `users.csv` through fast-csv (RFC 4180 quoting, `\n` endings) and returns the compact
 * user state the sessions are generated from.
 */
export async function writeUsers(options: { readonly sink: FileSink; readonly seed: number; readonly users: number }): Promise<UserTable> {
  const table = createUserTable(options.users);
  const { sink } = options;
  const toSink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (sink.append(chunk.toString('utf8'))) sink.flush().then(() => callback(), callback);
      else callback();
    },
  });
  await pipeline(
    Readable.from(userRows({ seed: options.seed, table })),
    format({ headers: [...userColumns], includeEndRowDelimiter: true, rowDelimiter: '\n' }),
    toSink,
  );
  return table;
}

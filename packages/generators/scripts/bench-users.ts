// users.csv throughput: fast-csv (what writeUsers uses) vs the hand-written csvRow().
// `pnpm exec tsx scripts/bench-users.ts [users]`.
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { format } from 'fast-csv';

import { userColumns } from '@reelhouse/contracts';

import { csvRow } from '../src/csv-row.ts';
import { createUserTable } from '../src/user-table.ts';
import { userRows } from '../src/write-users.ts';

const users = Number(process.argv[2] ?? 500_000);

async function measure(name: string, run: () => Promise<number>): Promise<void> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const bytes = await run();
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  process.stdout.write(
    `${name.padEnd(34)} ${Math.round(users / seconds)
      .toLocaleString('en-US')
      .padStart(9)} rows/s wall, ${Math.round(users / cpuSeconds)
      .toLocaleString('en-US')
      .padStart(9)} rows/cpu-s (${(bytes / 1e6).toFixed(0)} MB)\n`,
  );
}

await measure('generate rows only', () => {
  let count = 0;
  for (const row of userRows({ seed: 1, table: createUserTable({ count: users, seed: 1 }) }))
    count += row.length;
  return Promise.resolve(count);
});

await measure('generate + fast-csv format()', async () => {
  let bytes = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      callback();
    },
  });
  await pipeline(
    Readable.from(userRows({ seed: 1, table: createUserTable({ count: users, seed: 1 }) })),
    format({ headers: [...userColumns], includeEndRowDelimiter: true }),
    sink,
  );
  return bytes;
});

await measure('generate + csvRow()', () => {
  let bytes = 0;
  for (const row of userRows({ seed: 1, table: createUserTable({ count: users, seed: 1 }) }))
    bytes += csvRow(row).length;
  return Promise.resolve(bytes);
});

import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

import { userColumns, viewingSessionColumns } from '@reelhouse/contracts';

// A tiny seeded PRNG (mulberry32): the bench file is the same on every run.
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function uuid(next: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(next() * 16).toString(16)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const devices = ['smart_tv', 'streaming_stick', 'console', 'mobile', 'tablet', 'desktop'];
const qualities = ['SD', 'HD', 'FHD', 'UHD'];

/** Writes a contract-valid `viewing_sessions.csv` of `rows` lines and a header-only `users.csv` into `dir`. */
export async function writeBenchCsv(options: { dir: string; rows: number }): Promise<void> {
  const next = random(42);
  const users = createWriteStream(`${options.dir}/users.csv`);
  users.end(`${userColumns.join(',')}\n`);
  await once(users, 'finish');
  const out = createWriteStream(`${options.dir}/viewing_sessions.csv`);
  let buffer = `${viewingSessionColumns.join(',')}\n`;
  const base = Date.UTC(2024, 0, 1);
  for (let row = 0; row < options.rows; row += 1) {
    const start = base + Math.floor(next() * 300 * 86_400_000);
    const duration = Math.floor(next() * 7200);
    const startIso = new Date(start).toISOString();
    const endIso = new Date(start + duration * 1000).toISOString();
    const bitrate = 1000 + Math.floor(next() * 14_000);
    buffer += `${uuid(next)},${uuid(next)},ep_s${1 + Math.floor(next() * 9)}_e${Math.floor(next() * 20)},${startIso},${endIso},${duration},0,${duration},${devices[row % 6]},tizen,8.12.${row % 10},US,${qualities[row % 4]},${bitrate},${bitrate * duration * 125},${Math.floor(next() * 3000)},${row % 3},${(row % 3) * 700},completed,${row % 7 === 0},${endIso}\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
}

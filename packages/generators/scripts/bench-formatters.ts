// CSV formatting throughput on 1M session rows: fast-csv vs the hand-written RFC 4180 formatter
// vs the byte-level line buffer of the hot path. `pnpm exec tsx scripts/bench-formatters.ts [rows]`.
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { format } from 'fast-csv';

import { viewingSessionColumns } from '@reelhouse/contracts';

import { AsciiLineBuffer, asciiBytes } from '../src/ascii-line-buffer.ts';
import { csvRow } from '../src/csv-row.ts';
import { isoTimestamp } from '../src/iso-timestamp.ts';
import { Random } from '../src/random.ts';
import { formatUuid } from '../src/uuid.ts';

const rows = Number(process.argv[2] ?? 1_000_000);
const random = new Random(1, 'bench');
const words = Uint32Array.from({ length: 8 }, () => random.uint32());
const startMs = Date.UTC(2025, 0, 1, 20, 15, 0, 123);

function sessionCells(n: number): string[] {
  return [
    formatUuid(words, 0),
    formatUuid(words, 4),
    'ep_000123_s01e03',
    isoTimestamp(startMs + n * 1000),
    isoTimestamp(startMs + n * 1000 + 1_500_000),
    '1440',
    String(n % 100),
    String(1440 + (n % 100)),
    'smart_tv',
    'Android TV',
    '8.12.0',
    'BR',
    'FHD',
    '5800',
    String(5800 * 125 * 1440),
    '850',
    '1',
    '420',
    'user_exit',
    'false',
    isoTimestamp(startMs + n * 1000 + 1_520_000),
  ];
}

async function measure(name: string, run: () => Promise<number>): Promise<void> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const bytes = await run();
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  const rate = (per: number): string =>
    Math.round(rows / per)
      .toLocaleString('en-US')
      .padStart(10);
  process.stdout.write(
    `${name.padEnd(40)} ${rate(seconds)} rows/s wall ${rate(cpuSeconds)} rows/cpu-s (${(bytes / 1e6).toFixed(0)} MB)\n`,
  );
}

const counter = (): { sink: Writable; bytes: () => number } => {
  let total = 0;
  return {
    sink: new Writable({
      write(chunk: Buffer, _encoding, callback) {
        total += chunk.length;
        callback();
      },
    }),
    bytes: () => total,
  };
};

// Formatting alone: 1,000 pre-built rows of cells, cycled.
const prebuilt = Array.from({ length: 1_000 }, (_, n) => sessionCells(n));

async function viaFastCsv(cells: (n: number) => string[]): Promise<number> {
  const { sink, bytes } = counter();
  const source = Readable.from(
    (function* () {
      for (let n = 0; n < rows; n++) yield cells(n);
    })(),
  );
  await pipeline(
    source,
    format({ headers: [...viewingSessionColumns], includeEndRowDelimiter: true }),
    sink,
  );
  return bytes();
}

function viaCsvRow(cells: (n: number) => string[]): Promise<number> {
  let bytes = 0;
  let batch = '';
  for (let n = 0; n < rows; n++) {
    batch += csvRow(cells(n));
    if (batch.length > 1 << 16) {
      bytes += Buffer.byteLength(batch);
      batch = '';
    }
  }
  return Promise.resolve(bytes + Buffer.byteLength(batch));
}

await measure('fast-csv, pre-built cells', () => viaFastCsv((n) => prebuilt[n % 1_000]!));
await measure('csvRow(), pre-built cells', () => viaCsvRow((n) => prebuilt[n % 1_000]!));
await measure('fast-csv, cells from values', () => viaFastCsv(sessionCells));
await measure('csvRow(), cells from values', () => viaCsvRow(sessionCells));

await measure('AsciiLineBuffer, from values (hot path)', () => {
  const lines = new AsciiLineBuffer(1 << 17);
  const texts = [
    'ep_000123_s01e03',
    'smart_tv',
    'Android TV',
    '8.12.0',
    'BR',
    'FHD',
    'user_exit',
    'false',
  ].map(asciiBytes);
  let bytes = 0;
  for (let n = 0; n < rows; n++) {
    lines.uuid(words, 0).byte(44).uuid(words, 4).byte(44).text(texts[0]!).byte(44);
    lines
      .timestamp(startMs + n * 1000)
      .byte(44)
      .timestamp(startMs + n * 1000 + 1_500_000)
      .byte(44);
    lines
      .int(1440)
      .byte(44)
      .int(n % 100)
      .byte(44)
      .int(1440 + (n % 100))
      .byte(44);
    lines
      .text(texts[1]!)
      .byte(44)
      .text(texts[2]!)
      .byte(44)
      .text(texts[3]!)
      .byte(44)
      .text(texts[4]!)
      .byte(44)
      .text(texts[5]!)
      .byte(44);
    lines
      .int(5800)
      .byte(44)
      .int(5800 * 125 * 1440)
      .byte(44)
      .int(850)
      .byte(44)
      .int(1)
      .byte(44)
      .int(420)
      .byte(44);
    lines
      .text(texts[6]!)
      .byte(44)
      .text(texts[7]!)
      .byte(44)
      .timestamp(startMs + n * 1000 + 1_520_000)
      .byte(10);
    if (lines.length > 1 << 16) {
      bytes += lines.length;
      lines.length = 0;
    }
  }
  return Promise.resolve(bytes + lines.length);
});

import { describe, expect, it } from 'vitest';

import { AsciiLineBuffer, asciiBytes } from '../src/ascii-line-buffer.ts';
import { csvField, csvRow, splitCsvLine } from '../src/csv-row.ts';
import { isoTimestamp } from '../src/iso-timestamp.ts';
import { Random } from '../src/random.ts';
import { userIdWords } from '../src/user-id.ts';
import { formatUuid, randomUuid } from '../src/uuid.ts';

const decoder = new TextDecoder();

function written(build: (line: AsciiLineBuffer) => void): string {
  const line = new AsciiLineBuffer(256);
  build(line);
  return decoder.decode(line.bytes.subarray(0, line.length));
}

describe('isoTimestamp', () => {
  it('writes the same text as Date#toISOString', () => {
    const random = new Random(5, 'timestamps');
    for (let i = 0; i < 2_000; i++) {
      const ms = Date.UTC(1975, 0, 1) + Math.floor(random.float() * 60 * 365 * 86_400_000);
      expect(isoTimestamp(ms)).toBe(new Date(ms).toISOString());
    }
  });
});

describe('UUIDs', () => {
  it('are lower-case version 4 UUIDs with the RFC 9562 variant', () => {
    const random = new Random(6, 'uuids');
    for (let i = 0; i < 500; i++)
      expect(randomUuid(random)).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
    expect(formatUuid(Uint32Array.of(0, 0, 0, 0), 0)).toBe('00000000-0000-4000-8000-000000000000');
    expect(formatUuid(Uint32Array.of(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff), 0)).toBe(
      'ffffffff-ffff-4fff-bfff-ffffffffffff',
    );
  });
});

describe('userIdWords', () => {
  it('derives distinct, repeatable ids from the seed and the user index', () => {
    const words = new Uint32Array(4);
    const ids = new Set<string>();
    for (let index = 0; index < 100_000; index++)
      ids.add(formatUuid(userIdWords(42, index, words), 0));
    expect(ids.size).toBe(100_000);
    expect(formatUuid(userIdWords(42, 7, words), 0)).toBe(
      formatUuid(userIdWords(42, 7, new Uint32Array(4)), 0),
    );
    expect(formatUuid(userIdWords(43, 7, words), 0)).not.toBe(
      formatUuid(userIdWords(42, 7, new Uint32Array(4)), 0),
    );
  });
});

describe('RFC 4180 fields', () => {
  it('quotes only fields with a comma, quote or line break, doubling quotes', () => {
    expect(csvField('plain text')).toBe('plain text');
    expect(csvField('Washington, D.C.')).toBe('"Washington, D.C."');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvRow(['a', '', 'b,c'])).toBe('a,,"b,c"\n');
  });

  it('splits a formatted line back into the same cells', () => {
    const cells = ['x', '', 'Washington, D.C.', "O'Brien", 'say "hi"', '"', ','];
    expect(splitCsvLine(csvRow(cells).slice(0, -1))).toEqual(cells);
  });
});

describe('AsciiLineBuffer', () => {
  it('writes integers, UUIDs and timestamps exactly as the string formatters do', () => {
    const random = new Random(7, 'bytes');
    for (let i = 0; i < 1_000; i++) {
      const words = Uint32Array.of(
        random.uint32(),
        random.uint32(),
        random.uint32(),
        random.uint32(),
      );
      const ms = Date.UTC(2024, 0, 1) + Math.floor(random.float() * 400 * 86_400_000);
      const n = Math.floor(random.float() * 2 ** 40);
      expect(
        written((line) =>
          line.uuid(words, 0).byte(44).timestamp(ms).byte(44).int(n).byte(44).int(0),
        ),
      ).toBe(`${formatUuid(words, 0)},${isoTimestamp(ms)},${n},0`);
    }
  });

  it('writes integers at every digit-count boundary', () => {
    for (const n of [
      0,
      1,
      9,
      10,
      11,
      99,
      100,
      101,
      999,
      1_000,
      65_535,
      999_999,
      1_000_000,
      2 ** 31,
      2 ** 32 + 7,
      2 ** 44 - 1,
    ]) {
      expect(written((line) => line.int(n))).toBe(String(n));
    }
  });

  it('copies pre-encoded text', () => {
    expect(written((line) => line.text(asciiBytes('smart_tv')).byte(10))).toBe('smart_tv\n');
  });
});

const dayMs = 86_400_000;
const hexDigits = new TextEncoder().encode('0123456789abcdef');
const digitPairs = new TextEncoder().encode(
  Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0')).join(''),
);

/** ASCII bytes of a string (ids, enum values, escaped dataset names); anything else is a bug. */
export function asciiBytes(text: string): Uint8Array {
  return Uint8Array.from(text, (char) => {
    const code = char.charCodeAt(0);
    if (code > 0x7f) throw new RangeError(`not ASCII: ${JSON.stringify(text)}`);
    return code;
  });
}

/** Many ASCII strings in one byte array (string `i` is `bytes[offsets[i]..offsets[i + 1])`). */
export interface PackedAscii {
  readonly bytes: Uint8Array;
  readonly offsets: Int32Array;
}

/** Packs strings into one array: no per-string object, for lists as long as the catalogue. */
export function packAscii(texts: readonly string[]): PackedAscii {
  const offsets = new Int32Array(texts.length + 1);
  texts.forEach((text, i) => (offsets[i + 1] = offsets[i]! + text.length));
  const bytes = new Uint8Array(offsets[texts.length]!);
  texts.forEach((text, i) => bytes.set(asciiBytes(text), offsets[i]));
  return { bytes, offsets };
}

/**
 * Builds ASCII CSV lines straight into bytes: integers, UUIDs and ISO timestamps are written
 * digit by digit, so the session hot path creates no strings and no garbage per row.
 */
export class AsciiLineBuffer {
  readonly bytes: Uint8Array;
  length = 0;
  readonly #datePrefixes = new Map<number, Uint8Array>();
  #lastDay = Number.NaN;
  #lastPrefix: Uint8Array | undefined;

  /** `capacity` must exceed the flush threshold by more than the longest line. */
  constructor(capacity: number) {
    this.bytes = new Uint8Array(capacity);
  }

  /** Appends pre-encoded bytes (an id, an enum value, a quoted free-text field). */
  text(value: Uint8Array): this {
    const bytes = this.bytes;
    let at = this.length;
    for (const byte of value) bytes[at++] = byte;
    this.length = at;
    return this;
  }

  /** Appends string `index` of a packed list. */
  packed(list: PackedAscii, index: number): this {
    const bytes = this.bytes;
    const source = list.bytes;
    let at = this.length;
    const end = list.offsets[index + 1]!;
    for (let i = list.offsets[index]!; i < end; i++) bytes[at++] = source[i]!;
    this.length = at;
    return this;
  }

  /** Appends one byte, e.g. `,` (44) or `\n` (10). */
  byte(code: number): this {
    this.bytes[this.length++] = code;
    return this;
  }

  /** Appends a non-negative integer below 2^44 (bytes of a session are far below) in decimal. */
  int(value: number): this {
    let n = Math.floor(value);
    let digits = 1;
    for (let limit = 10; limit <= n; limit *= 10) digits++;
    const bytes = this.bytes;
    let at = this.length + digits;
    this.length = at;
    // Two digits per division, written from the right.
    while (n >= 100) {
      const next = Math.floor(n / 100);
      const pair = (n - next * 100) * 2;
      bytes[--at] = digitPairs[pair + 1]!;
      bytes[--at] = digitPairs[pair]!;
      n = next;
    }
    if (n >= 10) {
      bytes[--at] = digitPairs[n * 2 + 1]!;
      bytes[--at] = digitPairs[n * 2]!;
    } else {
      bytes[--at] = 48 + n;
    }
    return this;
  }

  /** Appends four 32-bit words as a version 4 UUID (same text as `formatUuid`). */
  uuid(words: Uint32Array, offset: number): this {
    const a = words[offset]!;
    const b = ((words[offset + 1]! & 0xffff0fff) | 0x00004000) >>> 0;
    const c = ((words[offset + 2]! & 0x3fffffff) | 0x80000000) >>> 0;
    const d = words[offset + 3]!;
    this.#hex(a, 8)
      .byte(45)
      .#hex(b >>> 16, 4)
      .byte(45)
      .#hex(b & 0xffff, 4)
      .byte(45)
      .#hex(c >>> 16, 4)
      .byte(45)
      .#hex(c & 0xffff, 4)
      .#hex(d, 8);
    return this;
  }

  #hex(value: number, digits: number): this {
    const bytes = this.bytes;
    const end = this.length + digits;
    let v = value;
    for (let at = end - 1; at >= this.length; at--) {
      bytes[at] = hexDigits[v & 0xf]!;
      v >>>= 4;
    }
    this.length = end;
    return this;
  }

  /** Appends epoch milliseconds as `2024-05-01T20:15:00.123Z` (same text as `isoTimestamp`). */
  timestamp(epochMs: number): this {
    const ms = Math.floor(epochMs);
    const day = Math.floor(ms / dayMs);
    // A session's timestamps mostly share a day: check the last one before the map.
    let prefix = day === this.#lastDay ? this.#lastPrefix : this.#datePrefixes.get(day);
    if (prefix === undefined) {
      prefix = asciiBytes(new Date(day * dayMs).toISOString().slice(0, 11));
      this.#datePrefixes.set(day, prefix);
    }
    this.#lastDay = day;
    this.#lastPrefix = prefix;
    let rest = ms - day * dayMs;
    const hours = Math.floor(rest / 3_600_000);
    rest -= hours * 3_600_000;
    const minutes = Math.floor(rest / 60_000);
    rest -= minutes * 60_000;
    const seconds = Math.floor(rest / 1000);
    const millis = rest - seconds * 1000;
    this.text(prefix).#pair(hours).byte(58).#pair(minutes).byte(58).#pair(seconds).byte(46);
    const hundreds = Math.floor(millis / 100);
    return this.byte(48 + hundreds)
      .#pair(millis - hundreds * 100)
      .byte(90);
  }

  #pair(value: number): this {
    this.bytes[this.length++] = digitPairs[value * 2]!;
    this.bytes[this.length++] = digitPairs[value * 2 + 1]!;
    return this;
  }
}

import type { Random } from './random.ts';

// Four hex digits per lookup: two lookups per 32-bit word on the session hot path.
const hex4 = Array.from({ length: 65_536 }, (_, n) => n.toString(16).padStart(4, '0'));

/** Formats the four 32-bit words at `words[offset..offset+3]` as a lower-case version 4 UUID. */
export function formatUuid(words: Uint32Array, offset: number): string {
  const a = words[offset]!;
  const b = words[offset + 1]!;
  const c = words[offset + 2]!;
  const d = words[offset + 3]!;
  // Version nibble 4 and variant bits 10 overwrite the random bits RFC 9562 reserves for them.
  const version = ((b & 0x0fff) | 0x4000) >>> 0;
  const variant = (((c >>> 16) & 0x3fff) | 0x8000) >>> 0;
  return `${hex4[a >>> 16]}${hex4[a & 0xffff]}-${hex4[b >>> 16]}-${hex4[version]}-${hex4[variant]}-${hex4[c & 0xffff]}${hex4[d >>> 16]}${hex4[d & 0xffff]}`;
}

const scratch = new Uint32Array(4);

/** A version 4 UUID drawn from a seeded stream. */
export function randomUuid(random: Random): string {
  scratch[0] = random.uint32();
  scratch[1] = random.uint32();
  scratch[2] = random.uint32();
  scratch[3] = random.uint32();
  return formatUuid(scratch, 0);
}

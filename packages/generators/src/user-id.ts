/** murmur3's 32-bit finaliser: every input bit flips about half of the output bits. */
function mix(value: number): number {
  let h = value;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const lanes = [0x632be5ab, 0x85157af5, 0x2c1b3c6d, 0x297a2d39] as const;

/**
 * Writes the four UUID words of user `index` into `out`: a hash of (seed, index), so user ids
 * are recomputed when needed instead of stored (16 bytes a user saved at a million users).
 * Each word is a bijection of the index for a given seed, so ids never collide within a data set.
 */
export function userIdWords(seed: number, index: number, out: Uint32Array): Uint32Array {
  for (let w = 0; w < 4; w++) {
    const lane = lanes[w] ?? 0;
    out[w] = mix(mix((index ^ lane) >>> 0) ^ mix((seed + lane) >>> 0));
  }
  return out;
}

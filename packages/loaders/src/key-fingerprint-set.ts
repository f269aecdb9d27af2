// 32 bits from 8 lower-case hex digits: 4 at `a`, 4 at `b` (the dashes of a UUID sit between).
function hexWord(uuid: string, a: number, b: number): number {
  let word = 0;
  for (let i = 0; i < 8; i += 1) {
    const code = uuid.charCodeAt(i < 4 ? a + i : b + i - 4);
    word = (word << 4) | (code <= 57 ? code - 48 : code - 87);
  }
  return word >>> 0;
}

const maxLoad = 0.8;

export interface KeyFingerprintSetOptions {
  /** Keys expected, so the table is allocated once instead of grown. */
  readonly expectedKeys?: number;
  /** Keeps only these bits of the fingerprint: tests use a few bits to force collisions. */
  readonly fingerprintMask?: number;
}

/**
 * The UUID keys seen so far as 64-bit fingerprints, 8 bytes per slot (a `Set<string>` needs
 * about 100 bytes per key). A hit means "probably seen before": the caller verifies it.
 */
export class KeyFingerprintSet {
  readonly #mask: number;
  #capacity: number;
  // Two words per slot; both zero marks a free slot.
  #words: Uint32Array;
  #size = 0;

  constructor(options: KeyFingerprintSetOptions = {}) {
    this.#mask = options.fingerprintMask ?? 0xffff_ffff;
    this.#capacity = Math.max(1024, Math.ceil((options.expectedKeys ?? 0) / maxLoad));
    this.#words = new Uint32Array(this.#capacity * 2);
  }

  get size(): number {
    return this.#size;
  }

  /** Makes room for `keys` in total without further growth. */
  reserve(keys: number): void {
    if (keys / maxLoad > this.#capacity) this.#rehash(Math.ceil(keys / maxLoad));
  }

  /** Adds the fingerprint of `uuid` (lower-case, validated); true when it was there already. */
  addOrHit(uuid: string): boolean {
    const high = (hexWord(uuid, 0, 4) ^ hexWord(uuid, 19, 24)) & this.#mask;
    // Zero in both words marks a free slot: fold that one fingerprint onto another.
    const low = (hexWord(uuid, 9, 14) ^ hexWord(uuid, 28, 32)) & this.#mask || 1;
    const slot = this.#find(high >>> 0, low >>> 0);
    if (this.#words[slot * 2 + 1] !== 0) return true;
    this.#words[slot * 2] = high;
    this.#words[slot * 2 + 1] = low;
    this.#size += 1;
    if (this.#size > this.#capacity * maxLoad) this.#rehash(Math.ceil(this.#capacity * 1.5));
    return false;
  }

  #find(high: number, low: number): number {
    // Multiply-shift maps the mixed 32 bits onto any capacity, no power of two needed.
    let slot = Math.floor(
      ((Math.imul(high ^ low, 0x9e3779b1) >>> 0) / 4_294_967_296) * this.#capacity,
    );
    for (;;) {
      const base = slot * 2;
      if (
        this.#words[base + 1] === 0 ||
        (this.#words[base] === high && this.#words[base + 1] === low)
      )
        return slot;
      slot = slot + 1 === this.#capacity ? 0 : slot + 1;
    }
  }

  #rehash(capacity: number): void {
    const old = this.#words;
    this.#capacity = capacity;
    this.#words = new Uint32Array(capacity * 2);
    for (let base = 0; base < old.length; base += 2) {
      const low = old[base + 1] ?? 0;
      if (low === 0) continue;
      const high = old[base] ?? 0;
      const slot = this.#find(high, low);
      this.#words[slot * 2] = high;
      this.#words[slot * 2 + 1] = low;
    }
  }
}

const emptySlot = 0;

// 32 bits from 8 lower-case hex digits: 4 at `a`, 4 at `b` (the dashes of a UUID sit between).
function hexWord(uuid: string, a: number, b: number): number {
  let word = 0;
  for (let i = 0; i < 8; i += 1) {
    const code = uuid.charCodeAt(i < 4 ? a + i : b + i - 4);
    word = (word << 4) | (code <= 57 ? code - 48 : code - 87);
  }
  return word >>> 0;
}

/**
 * A set of UUID keys that remembers the line each was first seen on, in 20 bytes per slot:
 * a `Set<string>` would need about 100 bytes per key, too much for a 10M-row file.
 */
export class UuidKeySet {
  #capacity = 1 << 16;
  #words = new Uint32Array(this.#capacity * 4);
  // Line 0 never occurs (the header is line 1), so 0 marks a free slot.
  #lines = new Int32Array(this.#capacity);
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** Adds `uuid` (lower-case, validated) seen at `line`; returns the line it was first seen on, or 0 if new. */
  addOrGetFirstLine(uuid: string, line: number): number {
    const words = [hexWord(uuid, 0, 4), hexWord(uuid, 9, 14), hexWord(uuid, 19, 24), hexWord(uuid, 28, 32)] as const;
    const first = this.#find(words);
    const existing = this.#lines[first] ?? emptySlot;
    if (existing !== emptySlot) return existing;
    this.#store(first, words, line);
    this.#size += 1;
    if (this.#size * 10 > this.#capacity * 7) this.#grow();
    return 0;
  }

  #find([w0, w1, w2, w3]: readonly [number, number, number, number]): number {
    const mask = this.#capacity - 1;
    let slot = (Math.imul(w0 ^ w3, 0x9e3779b1) ^ Math.imul(w1 ^ w2, 0x85ebca6b)) & mask;
    for (;;) {
      if (this.#lines[slot] === emptySlot) return slot;
      const base = slot * 4;
      if (this.#words[base] === w0 && this.#words[base + 1] === w1 && this.#words[base + 2] === w2 && this.#words[base + 3] === w3) return slot;
      slot = (slot + 1) & mask;
    }
  }

  #store(slot: number, words: readonly [number, number, number, number], line: number): void {
    this.#words.set(words, slot * 4);
    this.#lines[slot] = line;
  }

  #grow(): void {
    const oldWords = this.#words;
    const oldLines = this.#lines;
    this.#capacity *= 2;
    this.#words = new Uint32Array(this.#capacity * 4);
    this.#lines = new Int32Array(this.#capacity);
    for (let slot = 0; slot < oldLines.length; slot += 1) {
      const line = oldLines[slot] ?? emptySlot;
      if (line === emptySlot) continue;
      const base = slot * 4;
      const words = [oldWords[base] ?? 0, oldWords[base + 1] ?? 0, oldWords[base + 2] ?? 0, oldWords[base + 3] ?? 0] as const;
      this.#store(this.#find(words), words, line);
    }
  }
}

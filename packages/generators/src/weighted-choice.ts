import type { Random } from './random.ts';

/**
 * Draws indices in proportion to fixed weights in O(1) with Vose's alias method: one uniform
 * draw picks a column and a threshold. Each column's threshold and alias sit side by side
 * (16 bytes), so a draw over a million users costs one cache miss, not two.
 */
export class WeightedChoice {
  /** Column `i` is `[threshold, alias]` at `2i`, `2i + 1`. */
  readonly #columns: Float64Array;
  readonly #size: number;

  constructor(weights: ArrayLike<number>) {
    const n = weights.length;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const weight = weights[i] ?? 0;
      if (!(weight >= 0 && Number.isFinite(weight)))
        throw new RangeError(`weight ${i} must be a finite non-negative number`);
      total += weight;
    }
    if (!(total > 0)) throw new RangeError('at least one weight must be positive');
    // Scaled weights are worked on in place in the threshold slots; one stack holds the small
    // items from the front and the large ones from the back.
    const columns = new Float64Array(2 * n);
    const stack = new Int32Array(n);
    let smallCount = 0;
    let largeStart = n;
    for (let i = 0; i < n; i++) {
      const scaled = ((weights[i] ?? 0) * n) / total;
      columns[2 * i] = scaled;
      if (scaled < 1) stack[smallCount++] = i;
      else stack[--largeStart] = i;
    }
    while (smallCount > 0 && largeStart < n) {
      const less = stack[--smallCount]!;
      const more = stack[largeStart]!;
      columns[2 * less + 1] = more;
      const rest = columns[2 * more]! + columns[2 * less]! - 1;
      columns[2 * more] = rest;
      if (rest < 1) {
        largeStart++;
        stack[smallCount++] = more;
      }
    }
    // What is left is 1 up to rounding error, except items of weight 0, which must never come up.
    let positive = 0;
    while (!((weights[positive] ?? 0) > 0)) positive++;
    while (largeStart < n) columns[2 * stack[largeStart++]!] = 1;
    while (smallCount > 0) {
      const item = stack[--smallCount]!;
      columns[2 * item] = (weights[item] ?? 0) > 0 ? 1 : 0;
      columns[2 * item + 1] = positive;
    }
    this.#columns = columns;
    this.#size = n;
  }

  get size(): number {
    return this.#size;
  }

  /** An index drawn with probability weight / total. */
  draw(random: Random): number {
    const x = random.float() * this.#size;
    const column = Math.floor(x);
    return x - column < this.#columns[2 * column]! ? column : this.#columns[2 * column + 1]!;
  }
}

/** A weighted choice over named options, e.g. `{ smart_tv: 36, mobile: 12 }`. */
export class WeightedOptions<T extends string> {
  readonly #values: readonly T[];
  readonly #choice: WeightedChoice;

  constructor(weights: Readonly<Record<T, number>>) {
    this.#values = Object.keys(weights) as T[];
    this.#choice = new WeightedChoice(this.#values.map((value) => weights[value]));
  }

  draw(random: Random): T {
    return this.#values[this.#choice.draw(random)]!;
  }

  /** The index of the drawn value in declaration order (for typed-array state). */
  drawIndex(random: Random): number {
    return this.#choice.draw(random);
  }

  get values(): readonly T[] {
    return this.#values;
  }
}

import type { Random } from './random.ts';

/**
 * Draws indices in proportion to fixed weights in O(1) with Vose's alias method: one uniform
 * draw picks a column and a threshold; memory is 12 bytes per item whatever the weights.
 */
export class WeightedChoice {
  readonly #threshold: Float64Array;
  readonly #alias: Int32Array;

  constructor(weights: ArrayLike<number>) {
    const n = weights.length;
    let total = 0;
    for (let i = 0; i < n; i++) {
      const weight = weights[i] ?? 0;
      if (!(weight >= 0 && Number.isFinite(weight))) throw new RangeError(`weight ${i} must be a finite non-negative number`);
      total += weight;
    }
    if (!(total > 0)) throw new RangeError('at least one weight must be positive');
    // Scaled weights are worked on in place in `threshold`; one stack holds the small items from
    // the front and the large ones from the back: 16 bytes per item at the peak, 12 after.
    const threshold = new Float64Array(n);
    const alias = new Int32Array(n);
    const stack = new Int32Array(n);
    let smallCount = 0;
    let largeStart = n;
    for (let i = 0; i < n; i++) {
      threshold[i] = ((weights[i] ?? 0) * n) / total;
      if (threshold[i]! < 1) stack[smallCount++] = i;
      else stack[--largeStart] = i;
    }
    while (smallCount > 0 && largeStart < n) {
      const less = stack[--smallCount]!;
      const more = stack[largeStart]!;
      alias[less] = more;
      threshold[more] = threshold[more]! + threshold[less]! - 1;
      if ((threshold[more] ?? 0) < 1) {
        largeStart++;
        stack[smallCount++] = more;
      }
    }
    // What is left is 1 up to rounding error, except items of weight 0, which must never come up.
    let positive = 0;
    while (!((weights[positive] ?? 0) > 0)) positive++;
    while (largeStart < n) threshold[stack[largeStart++]!] = 1;
    while (smallCount > 0) {
      const item = stack[--smallCount]!;
      threshold[item] = (weights[item] ?? 0) > 0 ? 1 : 0;
      alias[item] = positive;
    }
    this.#threshold = threshold;
    this.#alias = alias;
  }

  get size(): number {
    return this.#threshold.length;
  }

  /** An index drawn with probability weight / total. */
  draw(random: Random): number {
    const x = random.float() * this.#threshold.length;
    const column = Math.floor(x);
    return x - column < this.#threshold[column]! ? column : this.#alias[column]!;
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

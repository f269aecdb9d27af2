import { namePools, type NameCulture } from './datasets/person-names.ts';
import type { Random } from './random.ts';
import { WeightedChoice } from './weighted-choice.ts';

export interface Person {
  readonly person_id: string;
  readonly name: string;
}

/**
 * The people credited in the catalogue: a fixed pool where a few names recur in many titles
 * (Zipf-weighted), as stars and prolific directors do.
 */
export class PersonPool {
  readonly #people: readonly Person[];
  readonly #fame: WeightedChoice;

  constructor(options: { readonly random: Random; readonly size: number }) {
    const cultures = Object.keys(namePools) as NameCulture[];
    const people: Person[] = [];
    const weights: number[] = [];
    for (let i = 0; i < options.size; i++) {
      const pool = namePools[options.random.pick(cultures)];
      const name = `${options.random.pick(pool.first)} ${options.random.pick(pool.last)}`;
      people.push({ person_id: `per_${(i + 1).toString(36).padStart(5, '0')}`, name });
      weights.push(1 / Math.pow(i + 1, 0.7));
    }
    this.#people = people;
    this.#fame = new WeightedChoice(weights);
  }

  /** Distinct people for one title's credits. */
  draw(random: Random, count: number): Person[] {
    const chosen = new Map<number, Person>();
    for (let attempt = 0; chosen.size < count && attempt < count * 8; attempt++) {
      const index = this.#fame.draw(random);
      const person = this.#people[index];
      if (person !== undefined) chosen.set(index, person);
    }
    return [...chosen.values()];
  }
}

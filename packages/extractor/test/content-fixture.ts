/** A content document as the loaders store it in MongoDB: the contract's shape, dates as BSON dates. */
export type StoredDocument = Record<string, unknown> & { _id: string; updated_at: Date };

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

function base(n: number, updatedAt: Date) {
  return {
    title: `Title ${n}`,
    original_language: 'en',
    release_date: day('2020-05-01'),
    maturity_rating: 'PG-13',
    genres: ['drama', n % 2 === 0 ? 'comedy' : 'thriller'],
    production_countries: ['US', 'GB'],
    is_original: n % 3 === 0,
    available_qualities: ['HD', 'FHD'],
    audio_languages: ['en'],
    subtitle_languages: ['es', 'fr'],
    cast: [
      {
        person_id: `per_${n}a`,
        name: 'Ann "Tab"\tLee',
        role: 'actor',
        character: 'Lead\\One',
        billing_order: 1,
      },
      {
        person_id: `per_${n}b`,
        name: 'Bo Ray',
        role: 'voice',
        character: 'Narrator',
        billing_order: 2,
      },
    ],
    crew: [{ person_id: `per_${n}c`, name: 'Cy Dee', role: 'director' }],
    ratings: {
      internal: { avg: 3.5, count: 120 + n },
      imdb: n % 4 === 0 ? null : { score: 7.1, votes: 5400 },
    },
    licensing: {
      window_start: day('2021-01-01'),
      window_end: n % 5 === 0 ? null : day('2030-12-31'),
      regions: ['UCAN', 'EMEA'],
    },
    updated_at: updatedAt,
  };
}

/** Movie `n`. */
export function movie(n: number, updatedAt: Date): StoredDocument {
  return { _id: `mov_${n}`, type: 'movie', ...base(n, updatedAt), runtime_min: 90 + n };
}

/** Series `n` with `seasons` seasons of `episodes` episodes each. */
export function series(
  n: number,
  options: { updatedAt: Date; seasons: number; episodes: number },
): StoredDocument {
  const seasons = Array.from({ length: options.seasons }, (_, s) => ({
    season_number: s + 1,
    release_date: day(`202${s}-09-01`),
    episodes: Array.from({ length: options.episodes }, (_, e) => ({
      episode_id: `ep_${n}_${s + 1}_${e + 1}`,
      episode_number: e + 1,
      title: `Episode ${e + 1}`,
      runtime_min: 42,
      release_date: day(`202${s}-09-0${e + 1}`),
    })),
  }));
  return { _id: `ser_${n}`, type: 'series', ...base(n, options.updatedAt), seasons };
}

/** The number of elements of the nested arrays of `documents`, per child table. */
export function nestedCounts(documents: readonly StoredDocument[]): Record<string, number> {
  const lengthOf = (value: unknown) => (Array.isArray(value) ? value.length : 0);
  const seasons = documents.flatMap((doc) =>
    Array.isArray(doc['seasons']) ? (doc['seasons'] as { episodes: unknown[] }[]) : [],
  );
  return {
    genres: documents.reduce((sum, doc) => sum + lengthOf(doc['genres']), 0),
    cast: documents.reduce((sum, doc) => sum + lengthOf(doc['cast']), 0),
    crew: documents.reduce((sum, doc) => sum + lengthOf(doc['crew']), 0),
    seasons: seasons.length,
    episodes: seasons.reduce((sum, season) => sum + season.episodes.length, 0),
  };
}

let lastSeq = 0;

/** The document as the loader writes it: with the next change sequence number and time. */
export function stamped<T extends Record<string, unknown>>(
  document: T,
): T & { _change_seq: number; _changed_at: Date } {
  lastSeq += 1;
  return { ...document, _change_seq: lastSeq, _changed_at: new Date() };
}

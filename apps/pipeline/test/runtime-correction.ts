import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { Db } from 'mongodb';
import type pg from 'pg';

import { dayBatchFiles, type ContentDocument } from '@reelhouse/contracts';
import { loadJsonToMongo } from '@reelhouse/loaders';

/** The items whose runtime a correction changed, with their new runtime in seconds. */
export interface RuntimeCorrection {
  readonly movie: { readonly id: string; readonly runtimeS: number };
  readonly episode: { readonly id: string; readonly runtimeS: number };
}

/** The data set's catalogue as of `through`: content.json, then each day batch's documents over it. */
async function catalogueThrough(
  dataSetDir: string,
  through: string,
): Promise<Map<string, ContentDocument>> {
  const documents = new Map<string, ContentDocument>();
  const add = async (file: string) => {
    for (const doc of JSON.parse(await readFile(file, 'utf8')) as ContentDocument[])
      documents.set(doc._id, doc);
  };
  await add(join(dataSetDir, 'content.json'));
  const days = (await readdir(join(dataSetDir, 'days'))).filter((day) => day <= through).sort();
  for (const day of days) await add(join(dataSetDir, 'days', day, dayBatchFiles.content));
  return documents;
}

async function mostWatched(source: pg.Pool, prefix: 'mov' | 'ep'): Promise<string> {
  const { rows } = await source.query<{ content_id: string }>(
    `select content_id from public.viewing_sessions where content_id like $1
     group by content_id order by count(*) desc, content_id limit 1`,
    [`${prefix}\\_%`],
  );
  const id = rows[0]?.content_id;
  if (id === undefined) throw new Error(`no session of any ${prefix} item yet`);
  return id;
}

const shifted = (minutes: number, by: number) => (minutes > by + 10 ? minutes - by : minutes + by);

/**
 * A catalogue team's runtime fix, written as an application writes it: the most watched movie and
 * episode get a different runtime in a new version of their documents, upserted through the
 * loader (fresh change markers). The generator's own edits never touch runtimes.
 */
export async function correctRuntimes(facts: {
  readonly source: pg.Pool;
  readonly mongo: Db;
  /** The generated data set, read for the documents' current versions. */
  readonly dataSetDir: string;
  /** The last day batch applied. */
  readonly through: string;
  /** A folder for the correction's content.json. */
  readonly dir: string;
}): Promise<RuntimeCorrection> {
  const catalogue = await catalogueThrough(facts.dataSetDir, facts.through);
  const movieId = await mostWatched(facts.source, 'mov');
  const episodeId = await mostWatched(facts.source, 'ep');
  const movie = structuredClone(catalogue.get(movieId));
  if (movie?.type !== 'movie') throw new Error(`${movieId} is not a movie of the catalogue`);
  movie.runtime_min = shifted(movie.runtime_min, 35);
  const series = structuredClone(
    [...catalogue.values()].find(
      (doc) =>
        doc.type === 'series' &&
        doc.seasons.some((s) => s.episodes.some((e) => e.episode_id === episodeId)),
    ),
  );
  const episode =
    series?.type === 'series'
      ? series.seasons.flatMap((s) => s.episodes).find((e) => e.episode_id === episodeId)
      : undefined;
  if (series === undefined || episode === undefined)
    throw new Error(`no series of the catalogue lists ${episodeId}`);
  episode.runtime_min = shifted(episode.runtime_min, 12);
  const correctedAt = (doc: ContentDocument) =>
    new Date(Date.parse(doc.updated_at) + 3_600_000).toISOString();
  movie.updated_at = correctedAt(movie);
  series.updated_at = correctedAt(series);
  await mkdir(facts.dir, { recursive: true });
  await writeFile(
    join(facts.dir, 'content.json'),
    `[\n${[movie, series].map((doc) => JSON.stringify(doc)).join(',\n')}\n]\n`,
  );
  const report = await loadJsonToMongo(facts.mongo, { dataDir: facts.dir });
  if (report.rowsWritten !== 2 || report.rowsRejected !== 0)
    throw new Error(`the correction did not load: ${JSON.stringify(report)}`);
  return {
    movie: { id: movieId, runtimeS: movie.runtime_min * 60 },
    episode: { id: episodeId, runtimeS: episode.runtime_min * 60 },
  };
}

import { episode, movieDocument, season, seriesDocument } from '@reelhouse/contracts';
import { z } from 'zod';

// In MongoDB the contract's ISO date strings are BSON dates; everything else is the contract's own rule.
const bsonDate = z.date();

const storedEpisode = episode.extend({ release_date: bsonDate });
const storedSeason = season.extend({
  release_date: bsonDate,
  episodes: z.array(storedEpisode).min(1),
});
const storedLicensing = movieDocument.shape.licensing.extend({
  window_start: bsonDate,
  window_end: bsonDate.nullable(),
});
const storedDates = { release_date: bsonDate, licensing: storedLicensing, updated_at: bsonDate };

/** A content document as `streaming.content` stores it: the contract's shape with BSON dates. */
export const storedContentDocument = z.discriminatedUnion('type', [
  movieDocument.extend(storedDates),
  seriesDocument.extend({ ...storedDates, seasons: z.array(storedSeason).min(1) }),
]);

export type StoredContentDocument = z.output<typeof storedContentDocument>;
export type StoredSeason = z.output<typeof storedSeason>;

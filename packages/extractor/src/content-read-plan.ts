import type { Logger } from '@reelhouse/core';
import type { Db } from 'mongodb';

import { mongoFailure } from './content-collection.ts';

/**
 * How an incremental extract reads the catalogue:
 * - `indexed` (MongoDB): the reconciliation's ids and sequences from the `{_change_seq, _id}`
 *   index alone (a covered query), then the changed documents by the `_change_seq` index;
 * - `single_pass` (FerretDB): one read of every document, keeping the changed ones. FerretDB v1.24
 *   pushes no filter but an `_id` equality down to its backend and has no covered queries, so
 *   each of the two reads above would decode the whole collection.
 * A full refresh reads every document either way.
 */
export type ContentReadPlan = 'indexed' | 'single_pass';

/** The name of the index `indexed` reads; the source's collection set-up creates it. */
export const markerIndexName = '_change_seq_1__id_1';

/** `single_pass` on FerretDB (its buildInfo names its version), else `indexed`; says which, and why. */
export async function chooseContentReadPlan(mongo: Db, logger: Logger): Promise<ContentReadPlan> {
  const info = await mongo
    .admin()
    .command({ buildInfo: 1 })
    .catch((error: unknown) => {
      throw mongoFailure(error);
    });
  const ferretdb: unknown = info['ferretdbVersion'];
  if (typeof ferretdb !== 'string') return 'indexed';
  logger.info(
    { stream: 'content', server: `FerretDB ${ferretdb}` },
    'stream content: FerretDB decodes every document for any query but an _id equality and has no covered queries, so the change cursor and the reconciliation share one read of the whole collection (MongoDB reads both from indexes)',
  );
  return 'single_pass';
}

/** True when the collection has the reconciliation's covering index. */
export async function hasMarkerIndex(mongo: Db): Promise<boolean> {
  const indexes = await mongo
    .collection('content')
    .listIndexes()
    .toArray()
    .catch((error: unknown) => {
      throw mongoFailure(error);
    });
  return indexes.some((index: { name?: unknown }) => index.name === markerIndexName);
}

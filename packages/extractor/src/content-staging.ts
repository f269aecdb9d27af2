import type pg from 'pg';

import { contentRows, type ContentLoad, type ContentRows } from './content-rows.ts';
import { contentChildTables, contentTable, type AnyContentTable } from './content-tables.ts';
import { copyRowsInto } from './copy-text-rows.ts';
import type { ValidatedContentDocument } from './validate-content-document.ts';

/** Every table of the content stream, parent first. */
export const allContentTables: readonly AnyContentTable[] = [contentTable, ...contentChildTables];

/** Rows waiting for the next COPY, per table part. */
type Pending = {
  [Part in keyof ContentRows]: ContentRows[Part] extends readonly unknown[]
    ? ContentRows[Part]
    : ContentRows[Part][];
};

function emptyPending(): Pending {
  return { content: [], genres: [], cast: [], crew: [], seasons: [], episodes: [] };
}

/**
 * Turns validated documents into rows and writes them in COPY batches, into the temp staging
 * tables (merge) or straight into the raw tables (replace), so memory holds one batch at most.
 */
export class ContentStaging {
  readonly #client: pg.ClientBase;
  readonly #intoRaw: boolean;
  readonly #batchSize: number;
  readonly #load: ContentLoad;
  readonly #seen = new Set<string>();
  #pending = emptyPending();
  #maxSeq = -1;
  /** Fields outside the contract, with the number of documents that have each. */
  readonly unknownFields = new Map<string, number>();
  documents = 0;
  childRows = 0;

  constructor(options: {
    client: pg.ClientBase;
    intoRaw: boolean;
    batchSize: number;
    load: ContentLoad;
  }) {
    this.#client = options.client;
    this.#intoRaw = options.intoRaw;
    this.#batchSize = options.batchSize;
    this.#load = options.load;
  }

  /** Adds a document's rows; `false` (nothing added) for an `_id` already added in this load. */
  add(
    raw: Readonly<Record<string, unknown>>,
    validated: ValidatedContentDocument,
    markers: { readonly seq: number; readonly changedAt: Date },
  ): boolean {
    const { document } = validated;
    if (this.#seen.has(document._id)) return false;
    this.#seen.add(document._id);
    for (const field of validated.unknownFields)
      this.unknownFields.set(field, (this.unknownFields.get(field) ?? 0) + 1);
    const rows = contentRows(raw, { document, load: this.#load, markers });
    this.#pending.content.push(rows.content);
    for (const table of contentChildTables) {
      const childRows: readonly object[] = rows[table.part];
      (this.#pending[table.part] as object[]).push(...childRows);
      this.childRows += childRows.length;
    }
    this.documents += 1;
    this.#maxSeq = Math.max(this.#maxSeq, markers.seq);
    return true;
  }

  /** Writes the pending rows when a batch is full; `true` when it wrote. */
  async flushIfFull(): Promise<boolean> {
    if (this.#pending.content.length < this.#batchSize) return false;
    await this.flush();
    return true;
  }

  /** Writes every pending row, one COPY per table. */
  async flush(): Promise<void> {
    const pending = this.#pending;
    this.#pending = emptyPending();
    for (const table of allContentTables) {
      const rows: readonly object[] = pending[table.part];
      await copyRowsInto(this.#client, {
        table: this.#intoRaw ? table.rawTable : table.stage,
        columns: table.columns,
        rows: rows as readonly Record<string, unknown>[],
      });
    }
  }

  /** The highest change sequence added, or `null` when nothing was added. */
  get maxSeq(): number | null {
    return this.#maxSeq < 0 ? null : this.#maxSeq;
  }
}

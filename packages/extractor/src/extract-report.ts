import type { StepReport } from '@reelhouse/core';
import type { LoadStatus, WriteDisposition } from '@reelhouse/warehouse';

import type { StreamName } from './stream-name.ts';

/** What one stream's load did: the same facts as its `raw._loads` ledger row. */
export interface StreamLoadReport extends StepReport {
  readonly stream: StreamName;
  readonly loadId: string;
  readonly status: LoadStatus;
  readonly disposition: WriteDisposition;
  readonly rowsExtracted: number;
  readonly rowsInserted: number;
  readonly rowsUpdated: number;
  /** Current rows removed by tombstones (or tombstones new to the history). */
  readonly rowsDeleted: number;
  /** Cursor the load read from (`null`: from the beginning) and the one it saved. */
  readonly cursorFrom: string | null;
  readonly cursorTo: string | null;
}

/** The extract step's report: totals over its streams, and each stream's own report. */
export interface ExtractReport extends StepReport {
  readonly streams: readonly StreamLoadReport[];
}

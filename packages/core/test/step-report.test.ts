import { describe, expect, it } from 'vitest';

import { combineReports, createMemoryLogger } from '../src/index.ts';

describe('combineReports', () => {
  it('sums counts and keeps each part under details', () => {
    const a = {
      step: 'a',
      rowsRead: 3,
      rowsWritten: 2,
      rowsRejected: 1,
      durationMs: 10,
      warnings: ['w1'],
    };
    const b = {
      step: 'b',
      rowsRead: 5,
      rowsWritten: 5,
      rowsRejected: 0,
      durationMs: 5,
      warnings: [],
    };
    const combined = combineReports('both', [a, b]);
    expect(combined).toMatchObject({
      step: 'both',
      rowsRead: 8,
      rowsWritten: 7,
      rowsRejected: 1,
      durationMs: 15,
      warnings: ['w1'],
    });
    expect(combined.details).toEqual({ a, b });
  });
});

describe('createMemoryLogger', () => {
  it('records lines with the bindings of its children', () => {
    const logger = createMemoryLogger({ run: 'r1' });
    logger.child({ task: 't' }).warn({ rows: 3 }, 'slow');
    expect(logger.records).toEqual([
      { level: 'warn', message: 'slow', fields: { run: 'r1', task: 't', rows: 3 } },
    ]);
  });
});

import { describe, expect, it } from 'vitest';

import { PhysicalLineSplitter, type LineEnding } from '../src/physical-line-splitter.ts';

describe('PhysicalLineSplitter', () => {
  it('numbers physical lines across chunk borders and reports each ending', () => {
    const lines: [string, number, LineEnding][] = [];
    const splitter = new PhysicalLineSplitter((text, line, ending) =>
      lines.push([text, line, ending]),
    );
    for (const chunk of ['head', 'er\nab', 'c\r', '\n"x\n', '\ntail']) splitter.push(chunk);
    splitter.end();
    expect(lines).toEqual([
      ['header', 1, 'lf'],
      ['abc', 2, 'crlf'],
      ['"x', 3, 'lf'],
      ['', 4, 'lf'],
      ['tail', 5, 'none'],
    ]);
  });
});

describe('PhysicalLineSplitter over-long lines (issue 16)', () => {
  it('reports a line over the limit with its number and length, and goes on with the next', () => {
    const lines: [string, number][] = [];
    const long: [number, number, string][] = [];
    const splitter = new PhysicalLineSplitter((text, line) => lines.push([text, line]), {
      maxLineChars: 10,
      onLongLine: (line, chars, head) => long.push([line, chars, head.slice(0, 3)]),
    });
    // Line 2 spans three chunks (skipped, never held); line 4 is long inside one chunk.
    for (const chunk of ['a\nxxxxxxxx', 'xxxxxxxxxxxx', 'xxxx\nb\nyyyyyyyyyyyy\nc', '\n'])
      splitter.push(chunk);
    splitter.end();
    expect(lines).toEqual([
      ['a', 1],
      ['b', 3],
      ['c', 5],
    ]);
    expect(long).toEqual([
      [2, 24, 'xxx'],
      [4, 12, 'yyy'],
    ]);
  });

  it('reports an over-long last line without a newline', () => {
    const long: number[] = [];
    const splitter = new PhysicalLineSplitter(() => undefined, {
      maxLineChars: 4,
      onLongLine: (line, chars) => long.push(line, chars),
    });
    splitter.push('ok\n123456789');
    splitter.end();
    expect(long).toEqual([2, 9]);
  });
});

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

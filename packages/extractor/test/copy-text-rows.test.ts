import { describe, expect, it } from 'vitest';

import { copyField } from '../src/copy-text-rows.ts';

describe('copyField: values as COPY text fields', () => {
  it('writes null as \\N and booleans as t/f', () => {
    expect([copyField(null), copyField(undefined), copyField(true), copyField(false)]).toEqual([
      '\\N',
      '\\N',
      't',
      'f',
    ]);
  });

  it('escapes the characters that delimit fields and rows', () => {
    expect(copyField('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
  });

  it('writes text arrays as quoted array literals, escaped once more for COPY', () => {
    expect(copyField(['US', 'a"b', 'c\\d'])).toBe('{"US","a\\\\"b","c\\\\\\\\d"}');
  });

  it('writes dates as ISO text and objects as JSON', () => {
    expect(copyField(new Date('2025-01-02T03:04:05.678Z'))).toBe('2025-01-02T03:04:05.678Z');
    expect(copyField({ a: 'x\ty' })).toBe('{"a":"x\\\\ty"}');
  });
});

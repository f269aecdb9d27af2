import { describe, expect, it } from 'vitest';

import { formatChange, formatValue } from '../src/format-value.ts';
import { escapeHtml, html, jsonScript } from '../src/html.ts';

describe('formatValue', () => {
  it('formats each unit for people', () => {
    expect([
      formatValue(83582, 'count'),
      formatValue(56825.4, 'hours'),
      formatValue(40.84, 'minutes'),
      formatValue(0.3401, 'ratio'),
      formatValue(0.00061, 'ratio'),
      formatValue(5750, 'kbps'),
      formatValue(1234.5, 'milliseconds'),
      formatValue(15.6, 'currency'),
      formatValue(null, 'count'),
    ]).toEqual([
      '83,582',
      '56,825 h',
      '40.8 min',
      '34.0%',
      '0.06%',
      '5.75 Mbps',
      '1,235 ms',
      '15.60',
      '–',
    ]);
  });
});

describe('formatChange', () => {
  it('gives percentages for amounts and points for ratios, toned by what is good news', () => {
    expect(
      formatChange({ current: 120, previous: 100, unit: 'count', higherIsBetter: true }),
    ).toEqual({ text: '+20.0%', tone: 'up' });
    expect(
      formatChange({ current: 120, previous: 100, unit: 'milliseconds', higherIsBetter: false }),
    ).toEqual({ text: '+20.0%', tone: 'down' });
    expect(
      formatChange({ current: 0.33, previous: 0.35, unit: 'ratio', higherIsBetter: true }),
    ).toEqual({ text: '−2.0 pts', tone: 'down' });
    expect(formatChange({ current: 5, previous: 0, unit: 'count', higherIsBetter: true })).toEqual({
      text: 'new',
      tone: 'flat',
    });
    expect(
      formatChange({ current: 5, previous: null, unit: 'count', higherIsBetter: true }),
    ).toEqual({ text: 'no previous data', tone: 'flat' });
  });
});

describe('html', () => {
  it('escapes every interpolated value and keeps JSON scripts unbreakable', () => {
    const title = `<script>alert("x")</script>`;
    expect(html`<h2 title="${title}">${title}</h2>`.toString()).toBe(
      `<h2 title="${escapeHtml(title)}">&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</h2>`,
    );
    expect(jsonScript('spec', { name: '</script><script>alert(1)</script>' }).toString()).toBe(
      '<script type="application/json" id="spec">{"name":"\\u003c/script>\\u003cscript>alert(1)\\u003c/script>"}</script>',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { makeStyle } from './style.js';
import { cell, formatBytes, renderTable } from './table.js';

describe('renderTable', () => {
  it('aligns columns by visible width, so coloured cells line up with plain ones', () => {
    const green = makeStyle(true).green;
    const plain = renderTable(['NAME', 'STATE'], [['a', 'ready'], ['longer', 'failed']]);
    const coloured = renderTable(['NAME', 'STATE'], [['a', green('ready')], ['longer', 'failed']]);
    // eslint-disable-next-line no-control-regex -- stripping the escapes is the point
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toBe(plain);
    expect(plain.split('\n')).toEqual(['NAME    STATE', 'a       ready', 'longer  failed']);
  });

  it('formats cells and sizes for reading', () => {
    expect([cell(null), cell(3), cell(0.123456), cell('x'), cell({ a: 1 })]).toEqual(['-', '3', '0.1235', 'x', '{"a":1}']);
    expect([formatBytes(12), formatBytes(2048), formatBytes(5 * 1024 * 1024)]).toEqual(['12 B', '2.0 KiB', '5.0 MiB']);
  });
});

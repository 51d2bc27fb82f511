/** Special signs: read as flags with null values (never 0), strongest flag wins. */
import { describe, expect, it } from 'vitest';
import { parseCell, strongestFlag } from './flags.ts';

describe('parseCell', () => {
  it('reads German numbers', () => {
    expect(parseCell('2560')).toEqual({ value: 2560, flag: null });
    expect(parseCell('6,8')).toEqual({ value: 6.8, flag: null });
    expect(parseCell('-0,3')).toEqual({ value: -0.3, flag: null });
  });
  it('keeps special signs as flags with null values', () => {
    for (const s of ['-', '.', 'x', '/', '...'])
      expect(parseCell(s)).toEqual({ value: null, flag: s });
  });
  it('reads qualified values', () => {
    expect(parseCell('(12)')).toEqual({ value: 12, flag: '()' });
    expect(parseCell('136,6 p')).toEqual({ value: 136.6, flag: 'p' });
    expect(parseCell('0')).toEqual({ value: 0, flag: '0' });
  });
  it('refuses everything else', () => {
    for (const s of ['1.234', '12a', 'abc', '1,2,3', '']) expect(parseCell(s)).toBeNull();
  });
});

describe('strongestFlag', () => {
  it('lets a secret cell win over everything', () => {
    expect(strongestFlag(['-', '.', null, 'p'])).toBe('.');
    expect(strongestFlag(['p', '-'])).toBe('-');
    expect(strongestFlag([null, null])).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { UNIT_SEPARATOR, formatNumber, formatPercent, formatTick, formatValue } from './format.ts';

describe('formatNumber', () => {
  it('uses a decimal comma and rounds to the given decimals', () => {
    expect(formatNumber(5.855, 2)).toBe('5,86');
    expect(formatNumber(5.86, 2)).toBe('5,86');
    expect(formatNumber(6, 2)).toBe('6,00');
    expect(formatNumber(0.5, 0)).toBe('1');
  });

  it('groups thousands with a dot', () => {
    expect(formatNumber(24550, 0)).toBe('24.550');
    expect(formatNumber(1234, 0)).toBe('1.234');
    expect(formatNumber(183830.25, 1)).toBe('183.830,3');
  });

  it('formats negative numbers and never prints -0', () => {
    expect(formatNumber(-1234.5, 1)).toBe('-1.234,5');
    expect(formatNumber(-0.4, 2)).toBe('-0,40');
    expect(formatNumber(-0.001, 2)).toBe('0,00');
  });

  it('refuses non-finite values and bad decimals', () => {
    expect(() => formatNumber(Number.NaN, 1)).toThrow(RangeError);
    expect(() => formatNumber(Number.POSITIVE_INFINITY, 1)).toThrow(RangeError);
    expect(() => formatNumber(1, -1)).toThrow(RangeError);
    expect(() => formatNumber(1, 1.5)).toThrow(RangeError);
  });
});

describe('formatValue', () => {
  it('shows the sign alone when the value is missing', () => {
    expect(formatValue(null, '.', 2, '%')).toBe('.');
    expect(formatValue(null, 'x', 2)).toBe('x');
    expect(formatValue(null, '-', 0)).toBe('-');
    expect(formatValue(null, null, 2)).toBe('.');
  });

  it('shows the number with its unit', () => {
    expect(formatValue(5.86, null, 2, '%')).toBe(`5,86${UNIT_SEPARATOR}%`);
    expect(formatValue(24550, null, 0, 'Personen')).toBe('24.550 Personen');
    expect(formatValue(5.86, null, 2)).toBe('5,86');
    expect(formatValue(5.86, null, 2, '')).toBe('5,86');
  });

  it('keeps qualifying signs next to the number', () => {
    expect(formatValue(5.86, '()', 2, '%')).toBe('(5,86) %');
    expect(formatValue(5.86, 'p', 2, '%')).toBe('5,86 % p');
    expect(formatValue(0, '0', 1)).toBe('0');
  });
});

describe('formatPercent and formatTick', () => {
  it('formats percent values with one decimal by default', () => {
    expect(formatPercent(5.86)).toBe('5,9 %');
    expect(formatPercent(41.1, 1)).toBe('41,1 %');
    expect(formatPercent(-2.25, 2)).toBe('-2,25 %');
  });

  it('gives ticks only the decimals they need', () => {
    expect(formatTick(0, 2)).toBe('0');
    expect(formatTick(2.5, 2)).toBe('2,5');
    expect(formatTick(0.1 + 0.2, 2)).toBe('0,3');
    expect(formatTick(12000, 0)).toBe('12.000');
    expect(formatTick(1.234, 1)).toBe('1,2');
  });
});

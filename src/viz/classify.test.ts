import { describe, expect, it } from 'vitest';
import {
  SEQUENTIAL_PALETTE,
  classBreaks,
  classOf,
  classRanges,
  equalIntervalBreaks,
  jenksBreaks,
  paletteFor,
  quantileBreaks,
} from './classify.ts';

/** Sum of squared deviations within the classes the breaks define. */
function withinSsd(values: number[], breaks: number[]): number {
  const groups = new Map<number, number[]>();
  for (const v of values)
    groups.set(classOf(v, breaks), [...(groups.get(classOf(v, breaks)) ?? []), v]);
  let sum = 0;
  for (const g of groups.values()) {
    const mean = g.reduce((a, b) => a + b, 0) / g.length;
    sum += g.reduce((a, b) => a + (b - mean) ** 2, 0);
  }
  return sum;
}

/** Least SSD over every split of the sorted distinct values into k contiguous classes. */
function bruteForceSsd(values: number[], k: number): number {
  const distinct = [...new Set(values)].sort((a, b) => a - b);
  let best = Number.POSITIVE_INFINITY;
  const choose = (from: number, left: number, starts: number[]): void => {
    if (left === 0) {
      const breaks = [...starts.map((i) => distinct[i] ?? 0), distinct[distinct.length - 1] ?? 0];
      best = Math.min(best, withinSsd(values, breaks));
      return;
    }
    for (let i = from; i <= distinct.length - left; i++) choose(i + 1, left - 1, [...starts, i]);
  };
  choose(1, k - 1, [0]);
  return best;
}

describe('quantileBreaks', () => {
  it('puts about the same number of values in each class', () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const breaks = quantileBreaks(values, 5);
    expect(breaks).toHaveLength(6);
    expect(breaks[0]).toBe(1);
    expect(breaks[5]).toBe(10);
    expect(classRanges(values, breaks).map((r) => r.count)).toEqual([2, 2, 2, 2, 2]);
  });

  it('works on a small set and ignores non-finite values', () => {
    const breaks = quantileBreaks([4.1, 9.17, 6.08, 5.86, 4.57, 6.53, 6.76, Number.NaN], 3);
    expect(breaks).toHaveLength(4);
    expect(
      classRanges([4.1, 9.17, 6.08, 5.86, 4.57, 6.53, 6.76], breaks).map((r) => r.count),
    ).toEqual([2, 2, 3]);
  });

  it('merges classes that repeated values would leave empty', () => {
    const values = [1, 1, 1, 1, 1, 1, 1, 1, 2, 3, 4, 5, 6];
    const breaks = quantileBreaks(values, 4);
    expect(breaks).toEqual([1, 3, 6]);
    expect(classRanges(values, breaks).map((r) => r.count)).toEqual([9, 4]);
  });
});

describe('equalIntervalBreaks', () => {
  it('splits the range into equal widths', () => {
    expect(equalIntervalBreaks([0, 3, 7, 10, 2, 8], 5)).toEqual([0, 2, 4, 6, 8, 10]);
  });
});

describe('jenksBreaks', () => {
  it('finds the natural groups of a known example (as ckmeans in simple-statistics)', () => {
    const values = [-1, 2, -1, 2, 4, 5, 6, -1, 2, -1];
    expect(jenksBreaks(values, 3)).toEqual([-1, 2, 4, 6]);
  });

  it('separates clearly clustered values', () => {
    expect(jenksBreaks([1, 2, 3, 10, 11, 12, 20, 21, 22], 3)).toEqual([1, 10, 20, 22]);
  });

  it('reaches the least within-class variance (checked by brute force)', () => {
    let seed = 42;
    const rnd = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let run = 0; run < 20; run++) {
      const values = Array.from({ length: 12 }, () => Math.round(rnd() * 1000) / 10);
      for (const k of [2, 3, 4]) {
        const breaks = jenksBreaks(values, k);
        expect(breaks).toHaveLength(k + 1);
        expect(withinSsd(values, breaks)).toBeCloseTo(bruteForceSsd(values, k), 6);
      }
    }
  });
});

describe('degenerate inputs', () => {
  const methods = ['quantile', 'equal', 'jenks'] as const;

  it.each(methods)('%s: no values give no classes', (method) => {
    expect(classBreaks([], 5, method)).toEqual([]);
    expect(classOf(3, [])).toBe(-1);
  });

  it.each(methods)('%s: one repeated value gives one class', (method) => {
    const breaks = classBreaks([5.86, 5.86, 5.86], 5, method);
    expect(breaks).toEqual([5.86, 5.86]);
    expect(classOf(5.86, breaks)).toBe(0);
  });

  it.each(methods)('%s: fewer distinct values than classes give a class per value', (method) => {
    const values = [3, 1, 3, 2];
    const breaks = classBreaks(values, 5, method);
    expect(breaks).toEqual([1, 2, 3, 3]);
    expect(values.map((v) => classOf(v, breaks))).toEqual([2, 0, 2, 1]);
  });

  it('rejects a class count below 1', () => {
    expect(() => quantileBreaks([1, 2], 0)).toThrow(RangeError);
  });
});

describe('classOf and classRanges', () => {
  const breaks = [1, 4, 7, 10];

  it('includes the lower bound and the maximum, and clamps outliers', () => {
    expect(classOf(1, breaks)).toBe(0);
    expect(classOf(3.99, breaks)).toBe(0);
    expect(classOf(4, breaks)).toBe(1);
    expect(classOf(10, breaks)).toBe(2);
    expect(classOf(-5, breaks)).toBe(0);
    expect(classOf(50, breaks)).toBe(2);
    expect(classOf(Number.NaN, breaks)).toBe(-1);
  });

  it('reports the actual range per class and the bounds of an empty class', () => {
    expect(classRanges([1.5, 2, 9], breaks)).toEqual([
      { lower: 1.5, upper: 2, count: 2 },
      { lower: 4, upper: 7, count: 0 },
      { lower: 9, upper: 9, count: 1 },
    ]);
  });
});

describe('palette', () => {
  const luminance = (hex: string): number => {
    const [r, g, b] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
  };

  it('gets darker from class to class with a luminance ratio of at least 1.5', () => {
    for (let i = 1; i < SEQUENTIAL_PALETTE.length; i++) {
      const lighter = luminance(SEQUENTIAL_PALETTE[i - 1] ?? '');
      const darker = luminance(SEQUENTIAL_PALETTE[i] ?? '');
      expect((lighter + 0.05) / (darker + 0.05)).toBeGreaterThanOrEqual(1.5);
    }
  });

  it('offers 1 to 5 classes', () => {
    for (let k = 1; k <= 5; k++) expect(paletteFor(k)).toHaveLength(k);
    expect(() => paletteFor(6)).toThrow(RangeError);
  });
});

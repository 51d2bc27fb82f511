/**
 * Class breaks and colours for choropleth maps. Breaks are ascending boundaries, one more than
 * there are classes: class i holds v with breaks[i] <= v < breaks[i + 1] ("von … bis unter …",
 * as in official size classes); the last class also holds its upper bound.
 */

export type ClassMethod = 'quantile' | 'equal' | 'jenks';

/** Method names as the legend and the map description call them. */
export const CLASS_METHOD_LABELS_DE: Record<ClassMethod, string> = {
  quantile: 'Quantile (gleich viele Regionen je Klasse)',
  equal: 'gleiche Intervalle',
  jenks: 'natürliche Brüche (Jenks)',
};

/**
 * ColorBrewer YlGnBu, 5 classes: colour-blind safe, print friendly, and light to dark, so the
 * order survives greyscale printing. Neighbouring classes differ in luminance by a ratio of at
 * least 1.5 (tested), the most a 5-step sequence can give while keeping the light end readable.
 */
export const SEQUENTIAL_PALETTE = ['#ffffcc', '#a1dab4', '#41b6c4', '#2c7fb8', '#253494'] as const;

/** "No value (sign)": a neutral grey, hatched in maps so it never reads as a low class. */
export const NO_VALUE_FILL = '#e0e0e0';
export const NO_VALUE_HATCH = '#8c8c8c';

/** Which palette entries to use for fewer classes: spread out, so neighbours stay distinct. */
const PALETTE_PICKS: Record<number, readonly number[]> = {
  1: [2],
  2: [1, 4],
  3: [0, 2, 4],
  4: [0, 1, 3, 4],
  5: [0, 1, 2, 3, 4],
};

export const MAX_CLASSES = SEQUENTIAL_PALETTE.length;

/** The colours for `classes` classes (1 to 5), light to dark. */
export function paletteFor(classes: number): string[] {
  const picks = PALETTE_PICKS[classes];
  if (picks === undefined) {
    throw new RangeError(`paletteFor: 1 to ${MAX_CLASSES} classes are supported, got ${classes}`);
  }
  return picks.map((i) => SEQUENTIAL_PALETTE[i] ?? NO_VALUE_FILL);
}

function sortedFinite(values: Iterable<number>): number[] {
  const out: number[] = [];
  for (const v of values) if (Number.isFinite(v)) out.push(v);
  return out.sort((a, b) => a - b);
}

function distinctSorted(sorted: readonly number[]): number[] {
  return sorted.filter((v, i) => i === 0 || v !== sorted[i - 1]);
}

function checkClasses(k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`class count must be ≥ 1, got ${k}`);
}

/**
 * With no more distinct values than classes, every distinct value gets a class of its own; any
 * method would otherwise produce empty classes or classes that split equal values.
 */
function perValueBreaks(distinct: readonly number[]): number[] {
  const last = distinct[distinct.length - 1];
  return last === undefined ? [] : [...distinct, last];
}

/** Removes repeated boundaries (they would make empty classes); a single value keeps [v, v]. */
function uniqueBreaks(breaks: readonly number[]): number[] {
  const out = distinctSorted(breaks);
  const only = out[0];
  return out.length === 1 && only !== undefined ? [only, only] : out;
}

/** Linear interpolation between order statistics (R-7, as in d3 and spreadsheets). */
function quantileOfSorted(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const a = sorted[lo] ?? Number.NaN;
  const b = sorted[Math.min(lo + 1, sorted.length - 1)] ?? a;
  return a + (h - lo) * (b - a);
}

/** Classes with (about) the same number of regions each. */
export function quantileBreaks(values: Iterable<number>, k: number): number[] {
  checkClasses(k);
  const sorted = sortedFinite(values);
  const distinct = distinctSorted(sorted);
  if (distinct.length <= k) return perValueBreaks(distinct);
  const breaks = [sorted[0] ?? 0];
  for (let i = 1; i < k; i++) breaks.push(quantileOfSorted(sorted, i / k));
  breaks.push(sorted[sorted.length - 1] ?? 0);
  return uniqueBreaks(breaks);
}

/** Classes of equal width between minimum and maximum. */
export function equalIntervalBreaks(values: Iterable<number>, k: number): number[] {
  checkClasses(k);
  const distinct = distinctSorted(sortedFinite(values));
  if (distinct.length <= k) return perValueBreaks(distinct);
  const min = distinct[0] ?? 0;
  const max = distinct[distinct.length - 1] ?? 0;
  const breaks = [min];
  for (let i = 1; i < k; i++) breaks.push(min + ((max - min) * i) / k);
  breaks.push(max); // exact, not min + k·step, so the maximum always falls in the last class
  return uniqueBreaks(breaks);
}

/**
 * Natural breaks: Fisher's exact optimisation (the algorithm behind "Jenks"), minimising the sum
 * of squared deviations within classes by dynamic programming. It runs over distinct values
 * with their counts as weights, so 11,000 Gemeinden with repeated rates stay fast:
 * O(k · m²) for m distinct values.
 */
export function jenksBreaks(values: Iterable<number>, k: number): number[] {
  checkClasses(k);
  const sorted = sortedFinite(values);
  const distinct = distinctSorted(sorted);
  const m = distinct.length;
  if (m <= k) return perValueBreaks(distinct);

  // Centre the values first: the prefix sums of squares then lose no precision to large means.
  const mean = sorted.reduce((s, v) => s + v, 0) / sorted.length;
  const weights = new Float64Array(m);
  for (let i = 0, j = 0; i < sorted.length; i++) {
    if (i > 0 && sorted[i] !== sorted[i - 1]) j++;
    weights[j] = (weights[j] ?? 0) + 1;
  }
  const W = new Float64Array(m + 1);
  const S = new Float64Array(m + 1);
  const Q = new Float64Array(m + 1);
  for (let i = 0; i < m; i++) {
    const x = (distinct[i] ?? 0) - mean;
    const w = weights[i] ?? 0;
    W[i + 1] = (W[i] ?? 0) + w;
    S[i + 1] = (S[i] ?? 0) + w * x;
    Q[i + 1] = (Q[i] ?? 0) + w * x * x;
  }
  // Sum of squared deviations of distinct[i..j] (inclusive), with weights.
  const ssd = (i: number, j: number): number => {
    const w = (W[j + 1] ?? 0) - (W[i] ?? 0);
    const s = (S[j + 1] ?? 0) - (S[i] ?? 0);
    return (Q[j + 1] ?? 0) - (Q[i] ?? 0) - (s * s) / w;
  };

  // cost[c][j]: least SSD for distinct[0..j] in c + 1 classes; start[c][j]: where its last class begins.
  const cost: Float64Array[] = [];
  const start: Int32Array[] = [];
  const first = new Float64Array(m);
  for (let j = 0; j < m; j++) first[j] = ssd(0, j);
  cost.push(first);
  start.push(new Int32Array(m));
  for (let c = 1; c < k; c++) {
    const prev = cost[c - 1] ?? first;
    const row = new Float64Array(m).fill(Number.POSITIVE_INFINITY);
    const from = new Int32Array(m);
    for (let j = c; j < m; j++) {
      for (let i = c; i <= j; i++) {
        const v = (prev[i - 1] ?? 0) + ssd(i, j);
        if (v < (row[j] ?? 0)) {
          row[j] = v;
          from[j] = i;
        }
      }
    }
    cost.push(row);
    start.push(from);
  }

  const lowerBounds: number[] = [];
  let end = m - 1;
  for (let c = k - 1; c >= 1; c--) {
    const s = start[c]?.[end] ?? 0;
    lowerBounds.unshift(distinct[s] ?? 0);
    end = s - 1;
  }
  return [distinct[0] ?? 0, ...lowerBounds, distinct[m - 1] ?? 0];
}

export function classBreaks(values: Iterable<number>, k: number, method: ClassMethod): number[] {
  switch (method) {
    case 'quantile':
      return quantileBreaks(values, k);
    case 'equal':
      return equalIntervalBreaks(values, k);
    case 'jenks':
      return jenksBreaks(values, k);
  }
}

/** The number of classes the breaks describe (0 when there were no values). */
export function classCount(breaks: readonly number[]): number {
  return Math.max(0, breaks.length - 1);
}

/**
 * The class index of a value, or -1 when there are no classes or the value is not finite.
 * Values outside the breaks go to the first or last class, so breaks fixed across years
 * still colour a new extreme.
 */
export function classOf(value: number, breaks: readonly number[]): number {
  const classes = classCount(breaks);
  if (classes === 0 || !Number.isFinite(value)) return -1;
  let c = 0;
  for (let i = 1; i < classes; i++) if (value >= (breaks[i] ?? 0)) c = i;
  return c;
}

/** What a class actually holds: its values' minimum, maximum and count (the bounds if empty). */
export interface ClassRange {
  lower: number;
  upper: number;
  count: number;
}

/**
 * Per class, the range of the values in it. Legends show these rather than the raw breaks:
 * neighbouring ranges then never share a boundary, which a reader could not assign.
 */
export function classRanges(values: Iterable<number>, breaks: readonly number[]): ClassRange[] {
  const ranges: ClassRange[] = [];
  for (let i = 0; i < classCount(breaks); i++) {
    ranges.push({ lower: Number.POSITIVE_INFINITY, upper: Number.NEGATIVE_INFINITY, count: 0 });
  }
  for (const v of values) {
    const r = ranges[classOf(v, breaks)];
    if (r === undefined) continue;
    r.lower = Math.min(r.lower, v);
    r.upper = Math.max(r.upper, v);
    r.count++;
  }
  return ranges.map((r, i) =>
    r.count > 0 ? r : { lower: breaks[i] ?? 0, upper: breaks[i + 1] ?? 0, count: 0 },
  );
}

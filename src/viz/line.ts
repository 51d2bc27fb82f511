/**
 * Time-series line chart as a standalone SVG string: one line per region, a marker per value
 * (with a <title> for hover), gaps where a value is missing (never drawn as 0), a y axis from
 * zero (or the minimum, when negative) and a legend. Hand-written, not ECharts: it renders in
 * well under a millisecond, which keeps the indicator page inside its time budget.
 */
import type { Flag } from '../domain/flags.ts';
import { formatTick, formatValue } from './format.ts';
import {
  MUTED_TEXT_COLOUR,
  TEXT_COLOUR,
  checkIdPrefix,
  defaultIdPrefix,
  el,
  escapeXml,
  textBlock,
  wrapText,
  rootAttrs,
} from './svg.ts';

export interface LinePoint {
  period: string;
  value: number | null;
  flag: Flag | null;
}

export interface LineSeries {
  label: string;
  points: readonly LinePoint[];
}

export interface LineChartInput {
  series: readonly LineSeries[];
  /** The x axis, ascending; points of other periods are ignored. */
  periods: readonly string[];
  /** How a period is written on the axis, e.g. '2023' → '2022/23'; default as given. */
  periodLabel?: (period: string) => string;
  title: string;
  /** The map-like description in words (for screen readers); default: built from the series. */
  desc?: string;
  unit: string;
  decimals: number;
  width?: number;
  height?: number;
  idPrefix?: string;
}

/** Dark enough for 3:1 against white; told apart by dash and marker too, not by hue alone. */
export const LINE_STYLES = [
  { colour: '#08306b', dash: undefined, marker: 'circle' },
  { colour: '#b2182b', dash: '6 3', marker: 'square' },
  { colour: '#1b7837', dash: '2 2', marker: 'diamond' },
  { colour: '#5e3c99', dash: '8 3 2 3', marker: 'circle' },
  { colour: '#8c510a', dash: '4 4', marker: 'square' },
  { colour: '#1a1a1a', dash: '1 3', marker: 'diamond' },
] as const;

const PAD = 12;
const TITLE_SIZE = 16;
const FONT_SIZE = 11;
const LEFT = 56;
const LEGEND_ROW = 18;

/**
 * About five round steps from lo to hi (1, 2, 2.5 or 5 times a power of ten), never finer than
 * `maxDecimals` allow: with 0 decimals, 0–2 gets steps of 1, not 0,5 (which would print as the
 * labels 0, 1, 1, 2, 2), and with 1 decimal a step of 0,25 becomes 0,5.
 */
export function niceTicks(lo: number, hi: number, maxDecimals = 20): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) {
    // A NaN or Infinity means a broken computation upstream (and would never find a step).
    throw new RangeError(`niceTicks: ${lo} to ${hi} is not a finite range`);
  }
  if (hi <= lo) hi = lo + 1;
  const raw = (hi - lo) / 5;
  const decimals = Math.max(0, maxDecimals);
  let step = 0;
  for (let exp = Math.floor(Math.log10(raw)); step === 0; exp++) {
    // Decimals a tick of m × 10^exp needs: 2.5 has one more than the power of ten.
    const m = [1, 2, 2.5, 5].find(
      (k) => k * 10 ** exp >= raw && Math.max(0, (k === 2.5 ? 1 : 0) - exp) <= decimals,
    );
    if (m !== undefined) step = m * 10 ** exp;
  }
  const first = Math.floor(lo / step) * step;
  const ticks: number[] = [];
  for (let t = first; t < hi + step * 0.999; t += step) ticks.push(Math.round(t / step) * step);
  return ticks;
}

function marker(kind: string, x: number, y: number, colour: string, label: string): string {
  const title = el('title', {}, escapeXml(label));
  if (kind === 'square') {
    return el('rect', { x: x - 3.5, y: y - 3.5, width: 7, height: 7, fill: colour }, title);
  }
  if (kind === 'diamond') {
    return el(
      'path',
      { d: `M${x} ${y - 4.5}L${x + 4.5} ${y}L${x} ${y + 4.5}L${x - 4.5} ${y}Z`, fill: colour },
      title,
    );
  }
  return el('circle', { cx: x, cy: y, r: 3.5, fill: colour }, title);
}

export function renderLineChart(input: LineChartInput): string {
  const width = input.width ?? 640;
  const label = input.periodLabel ?? ((p: string) => p);
  const prefix = checkIdPrefix(input.idPrefix ?? defaultIdPrefix('line', input.title));
  const ids = { title: `${prefix}-title`, desc: `${prefix}-desc` };
  const titleLines = wrapText(input.title, width - 2 * PAD, TITLE_SIZE);
  const top = PAD + titleLines.length * Math.round(TITLE_SIZE * 1.25) + 12;
  const plotH = input.height ?? 240;
  const legendTop = top + plotH + 36;
  const height = legendTop + input.series.length * LEGEND_ROW + PAD;
  const right = width - PAD - 8;

  const column = new Map(input.periods.map((p, i) => [p, i]));
  // The points on the axis, in its order. Scale, lines and description use only these: a value
  // of a period off the axis must not stretch the scale.
  const onAxis = input.series.map((s) =>
    s.points
      .map((p) => ({ ...p, i: column.get(p.period) }))
      .filter((p): p is LinePoint & { i: number } => p.i !== undefined)
      .sort((a, b) => a.i - b.i),
  );

  const values = onAxis.flatMap((pts) => pts.flatMap((p) => (p.value === null ? [] : [p.value])));
  const lo = Math.min(0, ...values);
  const hi = Math.max(0, ...values);
  const ticks = niceTicks(lo, hi, input.decimals);
  const y0 = ticks[0] ?? 0;
  const y1 = ticks[ticks.length - 1] ?? 1;
  const y = (v: number): number => top + plotH - ((v - y0) / (y1 - y0 || 1)) * plotH;
  const n = input.periods.length;
  const x = (i: number): number =>
    n <= 1 ? (LEFT + right) / 2 : LEFT + ((right - LEFT) * i) / (n - 1);

  const grid = ticks
    .map(
      (t) =>
        el('line', {
          x1: LEFT,
          x2: right,
          y1: y(t),
          y2: y(t),
          stroke: t === 0 ? '#767676' : '#dddddd',
          'stroke-width': 1,
        }) +
        el(
          'text',
          {
            x: LEFT - 6,
            y: y(t) + 4,
            'text-anchor': 'end',
            'font-size': FONT_SIZE,
            fill: MUTED_TEXT_COLOUR,
          },
          escapeXml(formatTick(t, input.decimals)),
        ),
    )
    .join('');
  const every = Math.max(1, Math.ceil(n / 10));
  const xAxis = input.periods
    .map((p, i) =>
      i % every === 0 || i === n - 1
        ? el(
            'text',
            {
              x: x(i),
              y: top + plotH + 18,
              'text-anchor': 'middle',
              'font-size': FONT_SIZE,
              fill: TEXT_COLOUR,
            },
            escapeXml(label(p)),
          )
        : '',
    )
    .join('');

  const lines = input.series.map((s, si) => {
    const style = LINE_STYLES[si % LINE_STYLES.length] ?? LINE_STYLES[0];
    const pts = onAxis[si] ?? [];
    // A missing value breaks the line: "M" again after a gap, so no slope is invented.
    let d = '';
    let prev = -2;
    for (const p of pts) {
      if (p.value === null) continue;
      d += `${p.i === prev + 1 ? 'L' : 'M'}${Math.round(x(p.i) * 10) / 10} ${Math.round(y(p.value) * 10) / 10}`;
      prev = p.i;
    }
    const marks = pts
      .filter((p) => p.value !== null)
      .map((p) =>
        marker(
          style.marker,
          x(p.i),
          y(p.value ?? 0),
          style.colour,
          `${s.label}, ${label(p.period)}: ${formatValue(p.value, p.flag, input.decimals, input.unit)}`,
        ),
      )
      .join('');
    return el(
      'g',
      { 'data-series': s.label },
      (d === ''
        ? ''
        : el('path', {
            d,
            fill: 'none',
            stroke: style.colour,
            'stroke-width': 2,
            'stroke-dasharray': style.dash,
          })) + marks,
    );
  });

  const legend = input.series
    .map((s, si) => {
      const style = LINE_STYLES[si % LINE_STYLES.length] ?? LINE_STYLES[0];
      const ly = legendTop + si * LEGEND_ROW;
      return (
        el('line', {
          x1: LEFT,
          x2: LEFT + 28,
          y1: ly - 4,
          y2: ly - 4,
          stroke: style.colour,
          'stroke-width': 2,
          'stroke-dasharray': style.dash,
        }) +
        marker(style.marker, LEFT + 14, ly - 4, style.colour, s.label) +
        el(
          'text',
          { x: LEFT + 36, y: ly, 'font-size': FONT_SIZE + 1, fill: TEXT_COLOUR },
          escapeXml(s.label),
        )
      );
    })
    .join('');

  const desc =
    input.desc ??
    (input.series
      .map(
        (s, si) =>
          `${s.label}: ${(onAxis[si] ?? []).map((p) => `${label(p.period)} ${formatValue(p.value, p.flag, input.decimals, input.unit)}`).join(', ') || '–'}`,
      )
      .join('. ') ||
      '–');
  return el(
    'svg',
    rootAttrs(width, height, ids),
    [
      el('title', { id: ids.title }, escapeXml(input.title)),
      el('desc', { id: ids.desc }, escapeXml(desc)),
      el('rect', { width, height, fill: '#ffffff' }),
      textBlock(titleLines, PAD, PAD + TITLE_SIZE, TITLE_SIZE, {
        'font-weight': 'bold',
        'aria-hidden': 'true',
      }),
      el('g', { 'aria-hidden': 'true' }, grid + xAxis),
      ...lines,
      el('g', { 'aria-hidden': 'true' }, legend),
    ].join(''),
  );
}

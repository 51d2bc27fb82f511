/**
 * A sparkline: one region's time series as a tiny line, without axes. DOM-free SVG with
 * presentation attributes only (the portal's CSP forbids inline styles), an accessible name
 * and a text alternative listing every value, so the line never carries information alone.
 * Missing values break the line instead of being drawn as zero.
 */
import { attrs, el, escapeXml, num } from './svg.ts';

export interface SparkPoint {
  /** The period as the reader sees it, e.g. '2023'. */
  label: string;
  value: number | null;
  /** The value as text (formatted with unit and sign), e.g. '5,9 %' or '.'. */
  text: string;
}

export interface SparklineInput {
  points: SparkPoint[];
  /** The accessible name, e.g. 'Verlauf D6, Düren, Kreis'. */
  title: string;
  width?: number;
  height?: number;
  colour?: string;
}

export const SPARK_COLOUR = '#0b4f8a';

/** The text alternative: '2019: 5,1 %; 2020: 4,8 %; …'. */
export function sparklineText(points: readonly SparkPoint[]): string {
  return points.map((p) => `${p.label}: ${p.text}`).join('; ');
}

/** Runs of consecutive present values, as [index, value] pairs. */
function segments(points: readonly SparkPoint[]): [number, number][][] {
  const out: [number, number][][] = [];
  let run: [number, number][] = [];
  points.forEach((p, i) => {
    if (p.value === null || !Number.isFinite(p.value)) {
      if (run.length > 0) out.push(run);
      run = [];
    } else run.push([i, p.value]);
  });
  if (run.length > 0) out.push(run);
  return out;
}

export function renderSparkline(input: SparklineInput): string {
  const width = input.width ?? 96;
  const height = input.height ?? 24;
  const colour = input.colour ?? SPARK_COLOUR;
  const pad = 3;
  const values = input.points
    .map((p) => p.value)
    .filter((v): v is number => v !== null && Number.isFinite(v));
  const name = `${input.title}. ${sparklineText(input.points) || '–'}`;
  const root = attrs({
    xmlns: 'http://www.w3.org/2000/svg',
    viewBox: `0 0 ${width} ${height}`,
    width,
    height,
    role: 'img',
    'aria-label': name,
    class: 'sparkline',
  });
  if (values.length === 0) return `<svg${root}><title>${escapeXml(name)}</title></svg>`;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const n = input.points.length;
  const x = (i: number) => (n === 1 ? width / 2 : pad + (i * (width - 2 * pad)) / (n - 1));
  const y = (v: number) =>
    max === min ? height / 2 : height - pad - ((v - min) * (height - 2 * pad)) / (max - min);
  const parts: string[] = [`<title>${escapeXml(name)}</title>`];
  for (const run of segments(input.points)) {
    if (run.length === 1) continue;
    parts.push(
      el('polyline', {
        points: run.map(([i, v]) => `${num(x(i))},${num(y(v))}`).join(' '),
        fill: 'none',
        stroke: colour,
        'stroke-width': 1.5,
        'stroke-linejoin': 'round',
        'stroke-linecap': 'round',
      }),
    );
  }
  // Every present point as a small dot (isolated ones would be invisible otherwise); the last one larger.
  const last = segments(input.points).flat().pop();
  for (const [i, v] of segments(input.points).flat()) {
    parts.push(el('circle', { cx: x(i), cy: y(v), r: i === last?.[0] ? 2.5 : 1.2, fill: colour }));
  }
  return `<svg${root}>${parts.join('')}</svg>`;
}

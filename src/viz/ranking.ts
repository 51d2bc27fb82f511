/**
 * Ranking chart: one horizontal bar per region, sorted descending, highlighted group members
 * in a stronger colour, reference lines (NRW, Revier) and the official sign in place of a
 * missing value. ECharts server-side SVG, post-processed to be accessible and CSP-safe.
 */
import type { Flag } from '../domain/flags.ts';
import { renderEchartsSvg } from './echarts-svg.ts';
import { formatTick, formatValue } from './format.ts';
import {
  FONT_FAMILY,
  MUTED_TEXT_COLOUR,
  TEXT_COLOUR,
  checkIdPrefix,
  defaultIdPrefix,
  wrapText,
} from './svg.ts';

export interface RankingRow {
  code: string;
  name: string;
  value: number | null;
  flag: Flag | null;
  highlight?: boolean;
}

export interface ReferenceLine {
  /** Shown as given, e.g. 'NRW 6,44': include the value when the reader should see it. */
  label: string;
  value: number;
}

export interface RankingInput {
  rows: readonly RankingRow[];
  references: readonly ReferenceLine[];
  title: string;
  unit: string;
  decimals: number;
  width?: number;
  /** Legend text for highlighted bars, e.g. 'Rheinisches Revier'; no legend without it. */
  highlightLabel?: string;
  /** Prefix for the ids inside the SVG; default: 'rank-' and a hash of the title. */
  idPrefix?: string;
}

/** Bars pass 3:1 against white (WCAG 1.4.11); highlighted bars pass 3:1 against normal ones. */
export const BAR_COLOUR = '#5b92c4';
export const HIGHLIGHT_COLOUR = '#08306b';
/** Reference lines and their labels: dark enough for 4.5:1 text, distinct in hue and dash. */
const REFERENCE_STYLES = [
  { color: '#b2182b', type: 'dashed' },
  { color: '#1a1a1a', type: 'dotted' },
  { color: '#5e3c99', type: [8, 3, 2, 3] },
] as const;

const ROW_HEIGHT = 16;
const FONT_SIZE = 11;
const TITLE_SIZE = 16;
const PAD = 12;
const REF_LABEL_ROW = 15;

/** Descending by value; ties and missing values (listed last) by name, for a stable order. */
export function sortRows(rows: readonly RankingRow[]): RankingRow[] {
  return [...rows].sort((a, b) => {
    if (a.value === null || b.value === null) {
      if (a.value !== b.value) return a.value === null ? 1 : -1;
    } else if (a.value !== b.value) {
      return b.value - a.value;
    }
    return a.name.localeCompare(b.name, 'de') || a.code.localeCompare(b.code);
  });
}

/** Axis labels use ECharts rich text; its markup characters cannot be escaped. */
function plainLabel(name: string): string {
  return name.replace(/[{}|]/g, ' ');
}

function describe(rows: readonly RankingRow[], input: RankingInput): string {
  const items = rows.map((r, i) => {
    const shown = formatValue(r.value, r.flag, input.decimals, input.unit);
    return `${i + 1}. ${r.name}: ${r.value === null ? `keine Angabe (${shown})` : shown}`;
  });
  const refs = input.references.map((r) => r.label).join('; ');
  const highlighted = rows.filter((r) => r.highlight === true).map((r) => r.name);
  return [
    `Balkendiagramm, absteigend sortiert, ${rows.length} Regionen.`,
    refs === '' ? '' : `Referenzlinien: ${refs}.`,
    highlighted.length === 0
      ? ''
      : `Hervorgehoben${input.highlightLabel === undefined ? '' : ` (${input.highlightLabel})`}: ${highlighted.join('; ')}.`,
    `Rangfolge: ${items.join('; ')}`,
  ]
    .filter((s) => s !== '')
    .join(' ');
}

/**
 * Rendered charts by their whole input. ECharts' server-side rendering costs ~30 ms per chart,
 * most of a page's budget; the output is a pure function of the input (deterministic ids), and
 * the input only changes with a new release, so repeated views cost a lookup.
 */
const rendered = new Map<string, string>();
const RENDERED_MAX = 200;

export function renderRankingChart(input: RankingInput): string {
  const key = JSON.stringify(input);
  const hit = rendered.get(key);
  if (hit !== undefined) {
    // Map order is recency: move the hit to the end, evict from the front.
    rendered.delete(key);
    rendered.set(key, hit);
    return hit;
  }
  const svg = renderRankingChartUncached(input);
  rendered.set(key, svg);
  if (rendered.size > RENDERED_MAX) rendered.delete(rendered.keys().next().value ?? '');
  return svg;
}

function renderRankingChartUncached(input: RankingInput): string {
  const width = input.width ?? 640;
  const prefix = checkIdPrefix(input.idPrefix ?? defaultIdPrefix('rank', input.title));
  const rows = sortRows(input.rows);
  const values = rows.flatMap((r) => (r.value === null ? [] : [r.value]));
  // A lone '.' beside an empty row is easy to miss; the words make the gap visible.
  const labels = rows.map((r) =>
    r.value === null
      ? `keine Angabe (${formatValue(null, r.flag, input.decimals)})`
      : formatValue(r.value, r.flag, input.decimals),
  );
  const hasHighlight = input.highlightLabel !== undefined && rows.some((r) => r.highlight === true);

  // Layout is computed here rather than left to ECharts' automatic bounds, so the row height
  // stays fixed (53 Kreise → 53 × 16 px) and long names or labels are never cut off.
  const titleLines = wrapText(input.title, width - 2 * PAD, TITLE_SIZE);
  let top = PAD + titleLines.length * Math.round(TITLE_SIZE * 1.3);
  const legendTop = top + 6;
  if (hasHighlight) top += 24;
  top += input.references.length * REF_LABEL_ROW + 10;
  const charWidth = FONT_SIZE * 0.56;
  const longestName = Math.max(0, ...rows.map((r) => plainLabel(r.name).length));
  const longestLabel = Math.max(0, ...labels.map((l) => l.length));
  const left = Math.min(Math.ceil(longestName * charWidth) + 16, Math.round(width * 0.45));
  const right = Math.ceil(longestLabel * charWidth) + 20;
  const bottom = 52;
  const height = top + Math.max(1, rows.length) * ROW_HEIGHT + bottom;

  const min = Math.min(0, ...values, ...input.references.map((r) => r.value));
  const max = Math.max(min, ...values, ...input.references.map((r) => r.value));
  const textStyle = { fontFamily: FONT_FAMILY, fontSize: FONT_SIZE, color: TEXT_COLOUR };

  const option = {
    animation: false,
    aria: { enabled: true, decal: { show: false } },
    textStyle,
    title: {
      text: titleLines.join('\n'),
      left: PAD,
      top: PAD,
      textStyle: { ...textStyle, fontSize: TITLE_SIZE, fontWeight: 'bold', lineHeight: 21 },
    },
    graphic: hasHighlight
      ? [
          {
            type: 'group',
            left: PAD,
            top: legendTop,
            children: [
              {
                type: 'rect',
                shape: { x: 0, y: 2, width: 14, height: 10 },
                style: { fill: HIGHLIGHT_COLOUR },
              },
              {
                type: 'text',
                x: 20,
                y: 0,
                style: { ...textStyle, text: input.highlightLabel, fill: TEXT_COLOUR },
              },
            ],
          },
        ]
      : [],
    grid: { left, right, top, bottom, outerBoundsMode: 'none' },
    xAxis: {
      type: 'value',
      min,
      name: input.unit === '' ? 'Wert' : `Wert in ${input.unit}`,
      nameLocation: 'middle',
      nameGap: 28,
      nameTextStyle: { ...textStyle, color: MUTED_TEXT_COLOUR },
      axisLabel: { ...textStyle, formatter: (v: number) => formatTick(v, input.decimals) },
      splitLine: { lineStyle: { color: '#e6e6e6' } },
    },
    yAxis: {
      type: 'category',
      inverse: true, // first row (highest value) on top
      data: rows.map((r) => plainLabel(r.name)),
      axisTick: { show: false },
      // Names stay at the left edge even when negative bars push zero to the right.
      axisLine: { onZero: false, lineStyle: { color: '#767676' } },
      axisLabel: {
        ...textStyle,
        interval: 0, // every region gets its name, however tight
        formatter: (name: string, index: number) =>
          rows[index]?.highlight === true ? `{h|${name}}` : name,
        rich: {
          h: {
            fontFamily: FONT_FAMILY,
            fontSize: FONT_SIZE,
            fontWeight: 'bold',
            color: HIGHLIGHT_COLOUR,
          },
        },
      },
    },
    series: [
      {
        type: 'bar',
        barCategoryGap: '25%',
        silent: true,
        emphasis: { disabled: true },
        data: rows.map((r) => ({
          // A missing value has no bar: an invisible bar of 0 carries the sign as its label.
          value: r.value ?? 0,
          itemStyle: {
            // Transparent rather than opacity 0: the label inherits opacity and would vanish too.
            color:
              r.value === null
                ? 'rgba(0,0,0,0)'
                : r.highlight === true
                  ? HIGHLIGHT_COLOUR
                  : BAR_COLOUR,
          },
        })),
        label: {
          show: true,
          // Right of the bar; for a negative bar that is just right of zero, clear of the names.
          position: 'right',
          ...textStyle,
          // A white halo keeps value labels readable where a reference line crosses them.
          textBorderColor: '#ffffff',
          textBorderWidth: 3,
          formatter: (p: { dataIndex: number }) => labels[p.dataIndex] ?? '',
        },
        markLine: {
          silent: true,
          symbol: 'none',
          animation: false,
          data: input.references.map((ref, i) => {
            // Labels grow away from the plot's nearer edge so they are never cut off.
            const align = ref.value > (min + max) / 2 ? 'right' : 'left';
            const style = REFERENCE_STYLES[i % REFERENCE_STYLES.length] ?? REFERENCE_STYLES[0];
            return {
              xAxis: ref.value,
              name: ref.label,
              lineStyle: { color: style.color, type: style.type, width: 1.5 },
              label: {
                ...textStyle,
                color: style.color,
                fontWeight: 'bold',
                // With the inverted category axis the line starts at the top of the plot.
                position: 'start',
                align,
                // A function, not the string: ECharts would read '{…}' in a label as a template.
                formatter: () => ref.label,
                // Stacked above the plot, one row each, so close values never overlap.
                distance: 4 + (input.references.length - 1 - i) * REF_LABEL_ROW,
              },
            };
          }),
        },
      },
    ],
  };

  return renderEchartsSvg(option, {
    width,
    height,
    idPrefix: prefix,
    title: input.title,
    desc: describe(rows, input),
  });
}

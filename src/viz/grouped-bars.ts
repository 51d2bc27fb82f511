/**
 * Grouped horizontal bars as a standalone SVG string: one group per region, one bar per
 * breakdown item (e.g. weiblich, männlich), the value written at the bar's end and the official
 * sign in place of a missing value. Used for the breakdown view of the indicator page.
 */
import type { Flag } from '../domain/flags.ts';
import { formatValue } from './format.ts';
import { LINE_STYLES } from './line.ts';
import {
  TEXT_COLOUR,
  checkIdPrefix,
  defaultIdPrefix,
  el,
  escapeXml,
  estimateTextWidth,
  textBlock,
  wrapText,
  rootAttrs,
} from './svg.ts';

export interface GroupedBarsInput {
  /** Labels of the bars within a group, in order (the breakdown items). */
  items: readonly string[];
  groups: readonly {
    label: string;
    values: readonly { value: number | null; flag: Flag | null }[];
  }[];
  title: string;
  unit: string;
  decimals: number;
  width?: number;
  idPrefix?: string;
}

const PAD = 12;
const TITLE_SIZE = 16;
const FONT_SIZE = 11;
const BAR = 14;
const GAP = 10;

export function renderGroupedBars(input: GroupedBarsInput): string {
  const width = input.width ?? 640;
  const prefix = checkIdPrefix(input.idPrefix ?? defaultIdPrefix('bars', input.title));
  const ids = { title: `${prefix}-title`, desc: `${prefix}-desc` };
  const titleLines = wrapText(input.title, width - 2 * PAD, TITLE_SIZE);
  let y = PAD + titleLines.length * Math.round(TITLE_SIZE * 1.25) + 8;
  const labelW = Math.min(
    220,
    Math.max(80, ...input.groups.map((g) => estimateTextWidth(g.label, FONT_SIZE) + 8)),
  );
  const left = PAD + labelW;
  const right = width - PAD - 70;
  const all = input.groups.flatMap((g) =>
    g.values.flatMap((v) => (v.value === null ? [] : [v.value])),
  );
  const max = Math.max(0, ...all) || 1;
  const min = Math.min(0, ...all);
  const scale = (v: number): number => left + ((v - min) / (max - min)) * (right - left);
  const zero = scale(0);

  // Legend first: item colours, in the order of the bars.
  const legend: string[] = [];
  let lx = left;
  input.items.forEach((item, i) => {
    const colour = (LINE_STYLES[i % LINE_STYLES.length] ?? LINE_STYLES[0]).colour;
    legend.push(el('rect', { x: lx, y, width: 12, height: 12, fill: colour }));
    legend.push(
      el(
        'text',
        { x: lx + 16, y: y + 10, 'font-size': FONT_SIZE + 1, fill: TEXT_COLOUR },
        escapeXml(item),
      ),
    );
    lx += 16 + estimateTextWidth(item, FONT_SIZE + 1) + 18;
  });
  y += 26;
  const barsTop = y;

  const bars: string[] = [];
  const described: string[] = [];
  for (const g of input.groups) {
    const groupTop = y;
    bars.push(
      el(
        'text',
        {
          x: PAD,
          y: groupTop + (g.values.length * (BAR + 2)) / 2 + 4,
          'font-size': FONT_SIZE,
          fill: TEXT_COLOUR,
        },
        escapeXml(g.label),
      ),
    );
    g.values.forEach((v, i) => {
      const colour = (LINE_STYLES[i % LINE_STYLES.length] ?? LINE_STYLES[0]).colour;
      const shown = formatValue(v.value, v.flag, input.decimals, input.unit);
      const item = input.items[i] ?? '';
      const by = groupTop + i * (BAR + 2);
      if (v.value !== null) {
        const x1 = scale(v.value);
        bars.push(
          el(
            'rect',
            {
              x: Math.min(zero, x1),
              y: by,
              width: Math.max(0.5, Math.abs(x1 - zero)),
              height: BAR,
              fill: colour,
            },
            el('title', {}, escapeXml(`${g.label}, ${item}: ${shown}`)),
          ),
        );
        bars.push(
          el(
            'text',
            {
              x: Math.max(zero, x1) + 4,
              y: by + BAR - 3,
              'font-size': FONT_SIZE,
              fill: TEXT_COLOUR,
            },
            escapeXml(shown),
          ),
        );
      } else {
        bars.push(
          el(
            'text',
            { x: zero + 4, y: by + BAR - 3, 'font-size': FONT_SIZE, fill: TEXT_COLOUR },
            escapeXml(shown),
          ),
        );
      }
      described.push(`${g.label}, ${item}: ${shown}`);
    });
    y += g.values.length * (BAR + 2) + GAP;
  }
  const height = y + PAD;
  // The zero line spans the bars only (not the legend, however many lines the title takes).
  if (input.groups.length > 0) {
    bars.push(
      el('line', {
        x1: zero,
        x2: zero,
        y1: barsTop - 4,
        y2: y - GAP + 4,
        stroke: '#767676',
        'stroke-width': 1,
      }),
    );
  }

  return el(
    'svg',
    rootAttrs(width, height, ids),
    [
      el('title', { id: ids.title }, escapeXml(input.title)),
      el('desc', { id: ids.desc }, escapeXml(described.join('; ') || '–')),
      el('rect', { width, height, fill: '#ffffff' }),
      textBlock(titleLines, PAD, PAD + TITLE_SIZE, TITLE_SIZE, {
        'font-weight': 'bold',
        'aria-hidden': 'true',
      }),
      el('g', { 'aria-hidden': 'true' }, legend.join('')),
      el('g', {}, bars.join('')),
    ].join(''),
  );
}

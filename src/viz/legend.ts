/**
 * The map legend as SVG: a heading, one swatch per class, the "keine Angabe" swatch and the
 * outline of a region group. Placed by the caller; reports its own height.
 */
import { NO_VALUE_FILL, NO_VALUE_HATCH } from './classify.ts';
import { FONT_FAMILY, MUTED_TEXT_COLOUR, TEXT_COLOUR, el, escapeXml, wrapText } from './svg.ts';

export type LegendEntry =
  { kind: 'fill'; fill: string; label: string } | { kind: 'outline'; label: string };

export interface Legend {
  markup: string;
  height: number;
}

const FONT_SIZE = 12;
const ROW = 22;
const SWATCH_W = 22;
const SWATCH_H = 14;

/** Halo under the group outline: keeps the dark line visible on the darkest class too. */
export const OUTLINE_HALO = { stroke: '#ffffff', width: 5 } as const;
export const OUTLINE_LINE = { stroke: '#000000', width: 2.2 } as const;

/** The hatch pattern for "no value": grey alone could read as a pale class, stripes cannot. */
export function hatchPattern(id: string): string {
  return el(
    'pattern',
    {
      id,
      patternUnits: 'userSpaceOnUse',
      width: 6,
      height: 6,
      patternTransform: 'rotate(45)',
    },
    el('rect', { width: 6, height: 6, fill: NO_VALUE_FILL }) +
      el('line', { x1: 0, y1: 0, x2: 0, y2: 6, stroke: NO_VALUE_HATCH, 'stroke-width': 2 }),
  );
}

function swatch(entry: LegendEntry, x: number, y: number): string {
  if (entry.kind === 'fill') {
    return el('rect', {
      x,
      y,
      width: SWATCH_W,
      height: SWATCH_H,
      fill: entry.fill,
      stroke: '#767676',
      'stroke-width': 0.5,
    });
  }
  const box = { x, y, width: SWATCH_W, height: SWATCH_H, fill: 'none' };
  return (
    el('rect', { ...box, stroke: OUTLINE_HALO.stroke, 'stroke-width': OUTLINE_HALO.width }) +
    el('rect', { ...box, stroke: OUTLINE_LINE.stroke, 'stroke-width': OUTLINE_LINE.width })
  );
}

/**
 * Heading, entries, then an optional note in smaller muted type. Entries are spaced
 * ROW apart; a note wraps to the legend width.
 */
export function renderLegend(
  x: number,
  y: number,
  width: number,
  heading: string,
  entries: readonly LegendEntry[],
  note?: string,
): Legend {
  const parts: string[] = [];
  let cy = y;
  for (const line of wrapText(heading, width, FONT_SIZE)) {
    cy += FONT_SIZE + 4;
    parts.push(
      el(
        'text',
        {
          x,
          y: cy,
          'font-family': FONT_FAMILY,
          'font-size': FONT_SIZE,
          'font-weight': 'bold',
          fill: TEXT_COLOUR,
        },
        escapeXml(line),
      ),
    );
  }
  cy += 8;
  for (const entry of entries) {
    parts.push(swatch(entry, x + 1, cy));
    parts.push(
      el(
        'text',
        {
          x: x + SWATCH_W + 8,
          y: cy + SWATCH_H - 2,
          'font-family': FONT_FAMILY,
          'font-size': FONT_SIZE,
          fill: TEXT_COLOUR,
        },
        escapeXml(entry.label),
      ),
    );
    cy += ROW;
  }
  if (note !== undefined) {
    const noteSize = 10;
    cy += 4;
    for (const line of wrapText(note, width, noteSize)) {
      cy += noteSize + 3;
      parts.push(
        el(
          'text',
          {
            x,
            y: cy,
            'font-family': FONT_FAMILY,
            'font-size': noteSize,
            fill: MUTED_TEXT_COLOUR,
          },
          escapeXml(line),
        ),
      );
    }
  }
  return { markup: el('g', { 'aria-hidden': 'true' }, parts.join('')), height: cy - y };
}

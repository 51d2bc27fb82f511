/**
 * Small helpers to write SVG as strings: escaping, attributes, text wrapping and the accessible
 * root element. Output uses presentation attributes only (no `style`, no <style>), because pages
 * served with a strict Content-Security-Policy drop inline styles.
 */

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for element content and double-quoted attribute values alike. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c);
}

export type AttrValue = string | number | undefined;

/** ` name="value"` pairs in the given order (stable output); undefined values are left out. */
export function attrs(values: Record<string, AttrValue>): string {
  let out = '';
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) continue;
    out += ` ${name}="${escapeXml(typeof value === 'number' ? num(value) : value)}"`;
  }
  return out;
}

/** An element; `children` is already-serialised markup. */
export function el(name: string, values: Record<string, AttrValue>, children?: string): string {
  return children === undefined
    ? `<${name}${attrs(values)}/>`
    : `<${name}${attrs(values)}>${children}</${name}>`;
}

/** A coordinate rounded to 0.1 px: sharp enough on screen and in print, and keeps files small. */
export function num(value: number): string {
  const r = Math.round(value * 10) / 10;
  return String(Object.is(r, -0) ? 0 : r);
}

export const FONT_FAMILY = 'sans-serif';
/** Text colour with 7:1 contrast on white (WCAG AAA for small text). */
export const TEXT_COLOUR = '#1a1a1a';
/** Secondary text, still 7:1 on white. */
export const MUTED_TEXT_COLOUR = '#555555';

/**
 * Rough width of a text in a sans-serif font. Server-side there is no font to measure with;
 * 0.56 em per character is the average of Arial/DejaVu Sans for German text, a bit generous so
 * wrapped lines stay inside their box.
 */
export function estimateTextWidth(text: string, fontSize: number): number {
  return text.length * fontSize * 0.56;
}

/** Splits text into lines that fit `maxWidth` (estimated); a single over-long word stays whole. */
export function wrapText(text: string, maxWidth: number, fontSize: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (line !== '' && estimateTextWidth(candidate, fontSize) > maxWidth) {
      lines.push(line);
      line = word;
    } else {
      line = candidate;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

/** Multi-line text as <text> with one <tspan> per line. */
export function textBlock(
  lines: readonly string[],
  x: number,
  y: number,
  fontSize: number,
  extra: Record<string, AttrValue> = {},
): string {
  const lineHeight = Math.round(fontSize * 1.25);
  const spans = lines
    .map((line, i) => el('tspan', { x, dy: i === 0 ? undefined : lineHeight }, escapeXml(line)))
    .join('');
  return el(
    'text',
    { x, y, 'font-family': FONT_FAMILY, 'font-size': fontSize, fill: TEXT_COLOUR, ...extra },
    spans,
  );
}

/**
 * A default id prefix from the chart title (FNV-1a, base 36): stable across renders, and
 * different for each chart of a page as long as their titles differ.
 */
export function defaultIdPrefix(kind: string, title: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < title.length; i++) {
    hash ^= title.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `${kind}-${hash.toString(36)}`;
}

/** Ids must be unique on a page that shows several charts; callers may pass a prefix per chart. */
export function checkIdPrefix(prefix: string): string {
  if (!/^[A-Za-z][\w-]*$/.test(prefix)) {
    throw new Error(
      `idPrefix "${prefix}" is not a valid id start: use letters, digits, '-' and '_', starting with a letter`,
    );
  }
  return prefix;
}

/** The attributes of a chart's root `<svg>`: size, view box, its role and accessible name. */
export function rootAttrs(
  width: number,
  height: number,
  ids: { title: string; desc: string },
  role = 'img',
): Record<string, AttrValue> {
  return {
    xmlns: 'http://www.w3.org/2000/svg',
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    role,
    'aria-labelledby': ids.title,
    'aria-describedby': ids.desc,
    'font-family': FONT_FAMILY,
  };
}

/**
 * A small, tolerant scanner for the portal's own server-rendered HTML: start tags with their
 * attributes and positions, so the export can read every link and id and rewrite links in place
 * without reformatting the page. Comments are skipped and the bodies of <script> and <style> are
 * not read as markup. (No HTML parser is a dependency; the markup scanned is our own.)
 */

export interface Attr {
  /** Lower-cased. */
  name: string;
  /** Entity-decoded. */
  value: string;
  /** Offsets of the raw value in the document (inside the quotes); -1 for a bare attribute. */
  start: number;
  end: number;
  /** Offsets of the whole attribute, name to closing quote (to drop or replace it). */
  nameStart: number;
  rawEnd: number;
}

export interface Tag {
  /** Lower-cased. */
  name: string;
  start: number;
  /** Offset just after `>`. */
  end: number;
  attrs: Attr[];
}

/** Attributes whose value is one URL. */
export const URL_ATTRS = new Set(['href', 'src', 'action', 'poster', 'data', 'xlink:href']);

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : Number(e.slice(1));
      return Number.isFinite(code) ? String.fromCodePoint(code) : m;
    }
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

export function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

const ATTR = /\s*([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/y;

/** Every start tag of `html`, in document order. */
export function* tags(html: string): Generator<Tag> {
  let i = 0;
  while ((i = html.indexOf('<', i)) >= 0) {
    if (html.startsWith('<!--', i)) {
      const close = html.indexOf('-->', i + 4);
      i = close < 0 ? html.length : close + 3;
      continue;
    }
    const nameMatch = /^<([a-zA-Z][a-zA-Z0-9:-]*)/.exec(html.slice(i, i + 64));
    if (!nameMatch) {
      // An end tag, a doctype or a stray `<` in text.
      i += 1;
      continue;
    }
    const name = nameMatch[1]!.toLowerCase();
    const start = i;
    let p = i + nameMatch[0].length;
    const attrs: Attr[] = [];
    for (;;) {
      ATTR.lastIndex = p;
      const m = ATTR.exec(html);
      if (!m || m[0].length === 0) break;
      const raw = m[2] ?? m[3] ?? m[4];
      let vStart = -1;
      let vEnd = -1;
      if (raw !== undefined) {
        vEnd = ATTR.lastIndex - (m[4] === undefined ? 1 : 0);
        vStart = vEnd - raw.length;
      }
      attrs.push({
        name: m[1]!.toLowerCase(),
        value: decodeEntities(raw ?? ''),
        start: vStart,
        end: vEnd,
        nameStart: p + (m[0].length - m[0].trimStart().length),
        rawEnd: ATTR.lastIndex,
      });
      p = ATTR.lastIndex;
    }
    const close = html.indexOf('>', p);
    const end = close < 0 ? html.length : close + 1;
    yield { name, start, end, attrs };
    i = end;
    if (name === 'script' || name === 'style') {
      const closing = html.toLowerCase().indexOf(`</${name}`, i);
      i = closing < 0 ? html.length : closing;
    }
  }
}

export function attr(tag: Tag, name: string): string | undefined {
  return tag.attrs.find((a) => a.name === name)?.value;
}

/** One link-valued attribute occurrence: the URL as written (decoded) and where it sits. */
export interface LinkRef {
  tag: string;
  attr: string;
  url: string;
  start: number;
  end: number;
}

/** Every URL in link attributes (href, src, srcset candidates, action, …) and CSS `url()`. */
export function linksOf(html: string): LinkRef[] {
  const out: LinkRef[] = [];
  for (const tag of tags(html)) {
    for (const a of tag.attrs) {
      if (a.start < 0) continue;
      if (URL_ATTRS.has(a.name)) {
        out.push({ tag: tag.name, attr: a.name, url: a.value, start: a.start, end: a.end });
      } else if (a.name === 'srcset') {
        // Candidates are "url [descriptor]" separated by commas; rewritten as a whole.
        for (const candidate of a.value.split(',')) {
          const url = candidate.trim().split(/\s+/)[0];
          if (url) out.push({ tag: tag.name, attr: 'srcset', url, start: a.start, end: a.end });
        }
      }
    }
  }
  return out;
}

/** URLs in a stylesheet's `url(...)` (none today; followed so a future background image works). */
export function cssUrls(css: string): { url: string; start: number; end: number }[] {
  const out: { url: string; start: number; end: number }[] = [];
  for (const m of css.matchAll(/url\(\s*(['"]?)([^'")]+)\1\s*\)/g)) {
    const start = m.index + m[0].indexOf(m[2]!);
    out.push({ url: m[2]!, start, end: start + m[2]!.length });
  }
  return out;
}

/** The ids a fragment can point at: `id` on any element, `name` on <a>. */
export function idsOf(html: string): Set<string> {
  const ids = new Set<string>();
  for (const tag of tags(html)) {
    for (const a of tag.attrs) {
      if (a.name === 'id' || (a.name === 'name' && tag.name === 'a')) ids.add(a.value);
    }
  }
  return ids;
}

/** Applies non-overlapping replacements of [start, end) ranges. */
export function applyEdits(
  text: string,
  edits: { start: number; end: number; text: string }[],
): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    if (e.start < at) continue; // the same srcset attribute listed once per candidate
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at);
}

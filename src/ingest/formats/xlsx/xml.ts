/**
 * Event-wise XML reading of the parts of an .xlsx package with `saxes` (a strict, non-validating
 * SAX parser). No DTD is ever processed: saxes knows only the five builtin entities and character
 * references, and a document with a DOCTYPE is refused outright (spreadsheets never have one),
 * which rules out external entities (XXE) and entity expansion ("billion laughs"). The bytes are
 * decoded and fed in chunks, so even a large sheet never becomes one huge string.
 */
import { SaxesParser } from 'saxes';
import { BimoError } from '../../../domain/index.ts';

export interface XmlHandlers {
  /** An element opens; `name` without its namespace prefix. */
  open?(name: string, attrs: Record<string, string>): void;
  close?(name: string): void;
  text?(text: string): void;
}

const CHUNK = 1 << 20;

/** Local name of a qualified name: `x:sheet` → `sheet`. */
export function localName(name: string): string {
  const i = name.indexOf(':');
  return i < 0 ? name : name.slice(i + 1);
}

/** The value of an attribute by local name (`r:id` is found as `id` with prefix wanted). */
export function attr(
  attrs: Record<string, string>,
  name: string,
  prefixed = false,
): string | undefined {
  for (const [k, v] of Object.entries(attrs)) {
    const colon = k.indexOf(':');
    if (prefixed ? colon > 0 && k.slice(colon + 1) === name : k === name) return v;
  }
  return undefined;
}

function encodingOf(bytes: Uint8Array): { label: string; skip: number } {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { label: 'utf-16le', skip: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { label: 'utf-16be', skip: 2 };
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    return { label: 'utf-8', skip: 3 };
  return { label: 'utf-8', skip: 0 };
}

/** Parses one part, calling the handlers; any malformation becomes a BimoError naming the part. */
export function parseXml(bytes: Uint8Array, file: string, part: string, h: XmlHandlers): void {
  const parser = new SaxesParser<{ xmlns: false; position: true }>({
    xmlns: false,
    position: true,
  });
  const failure = (what: string) =>
    new BimoError(
      'BIMO_E_PARSE',
      `${file}: ${part} is not well-formed XML (line ${parser.line}, column ${parser.column + 1}): ${what}`,
      'The workbook is damaged: download it again, or open it in Excel or LibreOffice and save it again.',
      { file, part, format: 'xlsx' },
    );
  parser.on('error', (err) => {
    throw failure(err.message.replace(/^.*?\d+:\d+: /, ''));
  });
  parser.on('doctype', () => {
    throw new BimoError(
      'BIMO_E_PARSE',
      `${file}: ${part} contains a DOCTYPE declaration, which spreadsheets never have; refused (it could hide XML entity attacks)`,
      'Open the workbook in Excel or LibreOffice and save it again.',
      { file, part, format: 'xlsx' },
    );
  });
  if (h.open) {
    const open = h.open;
    parser.on('opentag', (tag) => open(localName(tag.name), tag.attributes));
  }
  if (h.close) {
    const close = h.close;
    parser.on('closetag', (tag) => close(localName(tag.name)));
  }
  if (h.text) {
    parser.on('text', h.text);
    parser.on('cdata', h.text);
  }
  const { label, skip } = encodingOf(bytes);
  const decoder = new TextDecoder(label, { fatal: true });
  try {
    for (let at = skip; at < bytes.length; at += CHUNK) {
      const end = Math.min(at + CHUNK, bytes.length);
      parser.write(decoder.decode(bytes.subarray(at, end), { stream: end < bytes.length }));
    }
    parser.close();
  } catch (err) {
    if (err instanceof BimoError) throw err;
    throw failure(err instanceof Error ? err.message : String(err));
  }
}

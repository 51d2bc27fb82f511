/**
 * Text decoding for official files: UTF-8 (with or without BOM) when the bytes are valid UTF-8,
 * otherwise Windows-1252 (the Latin-1 superset GENESIS web downloads use).
 */

export type Encoding = 'utf-8-bom' | 'utf-8' | 'windows-1252';

export interface DecodedText {
  text: string;
  encoding: Encoding;
}

export function decodeText(bytes: Uint8Array): DecodedText {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8-bom' };
  }
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: windows1252(bytes), encoding: 'windows-1252' };
  }
}

/** Splits into lines, accepting LF, CRLF and CR line ends. */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\n|\r/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** windows-1252 at 0x80–0x9F (0 = unassigned, kept as the C1 control character). */
const CP1252_HIGH = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152,
  0, 0x017d, 0, 0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161,
  0x203a, 0x0153, 0, 0x017e, 0x0178,
];

const latin1 = new TextDecoder('latin1');

/**
 * windows-1252 by table: Node 20's TextDecoder('windows-1252') decodes 0x80–0x9F as ISO-8859-1
 * control characters, which would lose `€`, `„`, `“` and `–`. Single-byte, so chunks of a stream
 * can be decoded one by one.
 */
export function windows1252(bytes: Uint8Array): string {
  return latin1.decode(bytes).replace(/[\x80-\x9f]/g, (c) => {
    const code = CP1252_HIGH[c.charCodeAt(0) - 0x80] ?? 0;
    return code === 0 ? c : String.fromCharCode(code);
  });
}

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
    return { text: new TextDecoder('windows-1252').decode(bytes), encoding: 'windows-1252' };
  }
}

/** Splits into lines, accepting LF, CRLF and CR line ends. */
export function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|\n|\r/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

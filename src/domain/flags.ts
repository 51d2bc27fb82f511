/**
 * Official special signs (Zeichenerklärung, domain.md §3.5) and our own suppression, as value flags.
 * A flag travels with every value from the file row to the chart; derived values take the
 * strongest flag of their inputs.
 */

/** Signs that replace a value: the value is null. */
export const NULL_SIGNS = ['.', 'x', '/', '...', '-'] as const;
/** Signs that qualify a value that is still present. */
export const VALUE_SIGNS = ['()', 's', 'p', 'r', '0'] as const;

export type NullSign = (typeof NULL_SIGNS)[number];
export type ValueSign = (typeof VALUE_SIGNS)[number];
export type Flag = NullSign | ValueSign;

/** Strongest first: a secret cell outweighs everything, a plain correction weighs least. */
const STRENGTH: readonly Flag[] = ['.', 'x', '/', '...', '-', '()', 's', 'p', 'r', '0'];

export const FLAG_LABELS_DE: Record<Flag, string> = {
  '.': 'Zahlenwert unbekannt oder geheim zu halten',
  x: 'Tabellenfach gesperrt, weil Aussage nicht sinnvoll',
  '/': 'keine Angabe, da Zahlenwert nicht sicher genug',
  '...': 'Angabe fällt später an',
  '-': 'nichts vorhanden (genau null) oder zur Geheimhaltung auf null gesetzt',
  '()': 'Aussagewert eingeschränkt',
  s: 'geschätzt',
  p: 'vorläufig',
  r: 'berichtigt',
  '0': 'weniger als die Hälfte von 1 in der letzten besetzten Stelle, jedoch mehr als nichts',
};

export function isFlag(value: string): value is Flag {
  return (STRENGTH as readonly string[]).includes(value);
}

export function isNullSign(flag: Flag | null): flag is NullSign {
  return flag !== null && (NULL_SIGNS as readonly string[]).includes(flag);
}

/** The strongest of the given flags, or null when none is set. */
export function strongestFlag(flags: Iterable<Flag | null>): Flag | null {
  let best: Flag | null = null;
  for (const f of flags) {
    if (f === null) continue;
    if (best === null || STRENGTH.indexOf(f) < STRENGTH.indexOf(best)) best = f;
  }
  return best;
}

/** A parsed cell: either a number (maybe qualified) or a sign that stands for the value. */
export interface Cell {
  value: number | null;
  flag: Flag | null;
}

const NUMBER_RE = /^-?\d+(,\d+)?$/;

/**
 * Reads one official table cell: German decimal comma, no thousands separator,
 * special signs as flags. Returns null for text that is neither.
 */
export function parseCell(raw: string): Cell | null {
  const text = raw.trim();
  if (text === '') return null;
  if (isFlag(text) && text !== '0' && text !== '()') return { value: null, flag: text };
  // A bare `0` is the official sign for "less than half the smallest unit"; true zero is `-`.
  if (text === '0') return { value: 0, flag: '0' };
  if (NUMBER_RE.test(text)) return { value: Number(text.replace(',', '.')), flag: null };
  const limited = /^\((-?\d+(?:,\d+)?)\)$/.exec(text);
  if (limited?.[1] !== undefined)
    return { value: Number(limited[1].replace(',', '.')), flag: '()' };
  const suffixed = /^(-?\d+(?:,\d+)?)\s*([psr])$/.exec(text);
  if (suffixed?.[1] !== undefined && suffixed[2] !== undefined) {
    return { value: Number(suffixed[1].replace(',', '.')), flag: suffixed[2] as ValueSign };
  }
  return null;
}

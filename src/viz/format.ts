/**
 * German number formatting for every figure a chart, map or report shows: decimal comma,
 * '.' as thousands separator, a fixed number of decimals per indicator, and the official
 * special sign in place of a value that is missing or suppressed.
 */
import type { Flag } from '../domain/flags.ts';

/**
 * The one separator between a number and its unit ('5,9 %', '24.550 Personen'). A plain space:
 * every font has it, it survives copy-and-paste into spreadsheets, and SVG text never wraps;
 * HTML callers that must not break the line wrap the text in `white-space: nowrap`.
 */
export const UNIT_SEPARATOR = ' ';

const formatters = new Map<number, Intl.NumberFormat>();

function formatterFor(decimals: number): Intl.NumberFormat {
  let f = formatters.get(decimals);
  if (f === undefined) {
    f = new Intl.NumberFormat('de-DE', {
      minimumFractionDigits: decimals,
      maximumFractionDigits: decimals,
      // 'negative' keeps a value that rounds to zero from printing as '-0,0'.
      signDisplay: 'negative',
    });
    formatters.set(decimals, f);
  }
  return f;
}

/** 5.855 → '5,86' (2 decimals), 24550 → '24.550' (0 decimals), -1234.5 → '-1.234,5'. */
export function formatNumber(value: number, decimals: number): string {
  if (!Number.isFinite(value)) {
    // A NaN or Infinity here means a broken computation upstream; printing it would hide the bug.
    throw new RangeError(`formatNumber: ${value} is not a finite number`);
  }
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 20) {
    throw new RangeError(`formatNumber: decimals must be an integer 0–20, got ${decimals}`);
  }
  return formatterFor(decimals).format(value);
}

function withUnit(text: string, unit: string | undefined): string {
  return unit === undefined || unit === '' ? text : `${text}${UNIT_SEPARATOR}${unit}`;
}

/**
 * A value as the reader sees it. Without a value the official sign stands alone ('.', 'x', '-');
 * a missing value without any sign is shown as '.' ("Zahlenwert unbekannt"), never as 0.
 * Signs that qualify a present value follow the Zeichenerklärung: '(5,86)', '5,86 p', and the
 * sign '0' ("mehr als nichts, aber weniger als die Hälfte der kleinsten Einheit") replaces the digits.
 */
export function formatValue(
  value: number | null,
  flag: Flag | null,
  decimals: number,
  unit?: string,
): string {
  if (value === null) return flag ?? '.';
  if (flag === '0' && value === 0) return withUnit('0', unit);
  const text = formatNumber(value, decimals);
  switch (flag) {
    case '()':
      return withUnit(`(${text})`, unit);
    case 's':
    case 'p':
    case 'r':
      return `${withUnit(text, unit)} ${flag}`;
    default:
      return withUnit(text, unit);
  }
}

/** A value already in percent (5.86, not 0.0586): 5.86 → '5,9 %'. */
export function formatPercent(value: number, decimals = 1): string {
  return withUnit(formatNumber(value, decimals), '%');
}

/**
 * Axis ticks need only as many decimals as the tick has (0 → '0', 2.5 → '2,5'), capped at the
 * indicator's own precision so ticks never look more precise than the data.
 */
export function formatTick(value: number, maxDecimals: number): string {
  for (let d = 0; d < maxDecimals; d++) {
    const scaled = value * 10 ** d;
    if (Math.abs(Math.round(scaled) - scaled) < 1e-6) {
      return formatNumber(value, d);
    }
  }
  return formatNumber(value, maxDecimals);
}

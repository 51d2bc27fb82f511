/**
 * Periods with explicit semantics: a Stichtag (date), a school year reported in the year it
 * ends, a calendar year, or a university semester (start month + duration, as GENESIS writes
 * it: `2023-10P6M` = winter semester 2023/24). Stored as a stable text key; the kind says how
 * to read it.
 */

export type PeriodKind = 'stichtag' | 'schuljahr' | 'jahr' | 'semester';

export interface Period {
  kind: PeriodKind;
  /** Stable key: `2023-12-31` for a Stichtag, `2023` for a year or a school year's reporting year. */
  key: string;
  /** Reporting year (Berichtsjahr) used to align periods across tables. */
  year: number;
}

/** Reads the period cell of a classic GENESIS table (`2023` or `31.12.2023`). */
export function parsePeriodCell(raw: string, kind: PeriodKind): Period | null {
  const text = raw.trim();
  if (/^\d{4}$/.test(text)) return { kind, key: text, year: Number(text) };
  const m = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(text);
  if (m) {
    const [, d, mo, y] = m;
    return { kind: 'stichtag', key: `${y}-${mo}-${d}`, year: Number(y) };
  }
  return null;
}

/** German label: `31.12.2023`, `Schuljahr 2022/23`, `WS 2023/24`, `2023`. */
export function periodLabel(p: Pick<Period, 'kind' | 'key' | 'year'>): string {
  if (p.kind === 'stichtag') {
    const [y, m, d] = p.key.split('-');
    return `${d}.${m}.${y}`;
  }
  if (p.kind === 'schuljahr') return `Schuljahr ${p.year - 1}/${String(p.year).slice(2)}`;
  if (p.kind === 'semester') {
    // Winter semesters start in October and run into the next year; summer semesters in April.
    const month = Number(p.key.slice(5, 7));
    return month >= 9 ? `WS ${p.year}/${String(p.year + 1).slice(2)}` : `SS ${p.year}`;
  }
  return p.key;
}

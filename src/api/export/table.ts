/**
 * The download table shared by the CSV and the XLSX writer: one row per value with German
 * headers and labels, numbers already rounded to what the portal shows. Both formats render the
 * same cells, so a CSV and a workbook of the same request never disagree on a number.
 */
import { FLAG_LABELS_DE, type Flag } from '../../domain/index.ts';
import type { Indicator } from '../../indicators/index.ts';
import type { Suppression } from '../../store/index.ts';
import type { ValueRow } from '../values.ts';

/** A cell: text, a number with its display style, or empty. */
export type Cell =
  | { t: 'text'; v: string }
  /** `dec`: the indicator's decimals; `gen`: shown as stored (counts, years). */
  | { t: 'num'; v: number; style: 'dec' | 'gen' }
  | null;

export interface Table {
  headers: string[];
  rows: Cell[][];
}

export const HEADERS = [
  'Regionalschlüssel',
  'Region',
  'Ebene',
  'Zeitraum',
  'Berichtsjahr',
  'Wert',
  'Einheit',
  'Zähler',
  'Nenner',
  'Zeichen',
  'Fehlerschranke',
  'Berechnung',
  'Geheimhaltung',
] as const;

export const LEVEL_LABELS_DE: Record<ValueRow['level'], string> = {
  bund: 'Bund',
  land: 'Land',
  rb: 'Regierungsbezirk',
  kreis: 'Kreis',
  gemeinde: 'Gemeinde',
  sozialraum: 'Sozialraum',
  group: 'Gruppe',
};

export const METHOD_LABELS_DE: Record<ValueRow['method'], string> = {
  published: 'amtlich',
  aggregated: 'summiert',
  harmonised: 'umgerechnet',
  group: 'Gruppensumme',
};

/** What each Berechnung label means, for the legend of the Quelle sheet. */
export const METHOD_LEGEND_DE: Record<ValueRow['method'], string> = {
  published: 'amtlich veröffentlichter Wert',
  aggregated:
    'aus den Werten der Teilgebiete summiert (kein amtlicher Gesamtwert in den importierten Tabellen)',
  harmonised: 'auf den heutigen Gebietsstand umgerechnet',
  group: 'aus den Werten der Mitgliedsregionen der Gruppe summiert',
};

export const SUPPRESSION_LABELS_DE: Record<Suppression, string> = {
  primary: 'geheim (kleine Fallzahl)',
  secondary: 'geheim (Rückrechnung)',
};

export const SUPPRESSION_LEGEND_DE: Record<Suppression, string> = {
  primary:
    'Der Wert beruht auf einer kleinen Fallzahl und wird zum Schutz von Einzelangaben nicht veröffentlicht.',
  secondary:
    'Der Wert wird nicht veröffentlicht, weil sich sonst ein geheimer Wert aus Summen zurückrechnen ließe.',
};

/** Counts can be fractional after a territorial Umrechnung; two decimals carry that, not float noise. */
const COUNT_DECIMALS = 2;

export function roundTo(v: number, decimals: number): number {
  if (!Number.isFinite(v)) {
    // A NaN here is a broken computation upstream; writing it would hide the bug in a download.
    throw new RangeError(`export: ${v} is not a finite number`);
  }
  const f = 10 ** decimals;
  const r = Math.round(v * f) / f;
  // -0 would print as "-0" in some readers; a rounded zero has no sign.
  return r === 0 ? 0 : r;
}

/**
 * "Schuljahr 2022/23", "31.12.2024", "Jahr 2024": the period phrase of the portal (periodPhrase
 * in src/web/text.ts) without its preposition. Written out here because importing the web text
 * module would load the chart libraries into the API (1.5 s at start); a test keeps both equal.
 */
export function periodLabel(
  indicator: Pick<Indicator, 'period_kind' | 'stichtag'>,
  period: string,
): string {
  const year = Number(period.slice(0, 4));
  switch (indicator.period_kind) {
    case 'schuljahr':
      return `Schuljahr ${year - 1}/${String(year).slice(2)}`;
    case 'stichtag':
      return `${indicator.stichtag}${year}`;
    case 'semester':
      return `Wintersemester ${year}/${String(year + 1).slice(2)}`;
    default:
      return `Jahr ${year}`;
  }
}

const num = (v: number | null, decimals: number, style: 'dec' | 'gen'): Cell =>
  v === null ? null : { t: 'num', v: roundTo(v, decimals), style };
const text = (v: string | null | undefined): Cell =>
  v === null || v === undefined || v === '' ? null : { t: 'text', v };

export function buildTable(indicator: Indicator, rows: ValueRow[]): Table {
  const d = indicator.decimals;
  return {
    headers: [...HEADERS],
    rows: rows.map((r) => {
      // Suppressed rows never show counts or a bound, even if a caller forgot to blank them:
      // the counts are exactly what disclosure control hides.
      const secret = r.suppressed !== undefined;
      const value = secret ? null : r.value;
      return [
        text(r.region),
        text(r.name),
        text(LEVEL_LABELS_DE[r.level] ?? r.level),
        text(periodLabel(indicator, r.period)),
        /^\d{4}$/.test(r.period) ? num(Number(r.period), 0, 'gen') : text(r.period),
        num(value, d, 'dec'),
        text(indicator.unit),
        num(secret ? null : r.numerator, COUNT_DECIMALS, 'gen'),
        num(secret ? null : r.denominator, COUNT_DECIMALS, 'gen'),
        text(secret ? '.' : r.flag),
        // A bound belongs to a value; next to an empty Wert it would read like a measurement.
        value === null ? null : num(r.error_bound, d, 'dec'),
        text(METHOD_LABELS_DE[r.method] ?? r.method),
        r.suppressed ? text(SUPPRESSION_LABELS_DE[r.suppressed]) : null,
      ];
    }),
  };
}

/** The flags that occur in the rows, in the order of the official Zeichenerklärung. */
export function flagsIn(rows: ValueRow[]): Flag[] {
  const seen = new Set(rows.map((r) => (r.suppressed ? '.' : r.flag)));
  return (Object.keys(FLAG_LABELS_DE) as Flag[]).filter((f) => seen.has(f));
}

/** Sorted distinct periods of the rows. */
export function periodsOf(rows: ValueRow[]): string[] {
  return [...new Set(rows.map((r) => r.period))].sort();
}

/** `bimo_D6_2023.csv`, `bimo_D6_2019-2023.xlsx`: only characters every file system accepts. */
export function exportFileName(indicatorId: string, periods: string[], ext: string): string {
  const first = periods[0];
  const last = periods[periods.length - 1];
  const span =
    first === undefined || last === undefined
      ? 'ohne-Werte'
      : first === last
        ? first
        : `${first}-${last}`;
  return `bimo_${indicatorId}_${span}.${ext}`.replace(/[^A-Za-z0-9_.-]/g, '_');
}

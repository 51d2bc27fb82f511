/**
 * Generated German text: rule-based sentences that state what the numbers show. A difference
 * is only claimed when it is larger than the rounding error of both values.
 */
import type { ValueRow } from '../api/values.ts';
import type { Flag } from '../domain/index.ts';
import type { Indicator } from '../indicators/index.ts';
import { formatNumber } from '../viz/index.ts';

export function periodPhrase(
  indicator: Pick<Indicator, 'period_kind' | 'stichtag'>,
  period: string,
): string {
  const year = Number(period.slice(0, 4));
  if (indicator.period_kind === 'schuljahr')
    return `im Schuljahr ${year - 1}/${String(year).slice(2)}`;
  if (indicator.period_kind === 'stichtag') return `am ${indicator.stichtag}${year}`;
  if (indicator.period_kind === 'semester')
    return `im Wintersemester ${year}/${String(year + 1).slice(2)}`;
  return `im Jahr ${year}`;
}

const unitText = (unit: string): string => (unit === '%' ? ' %' : ` ${unit}`);
const diffUnit = (unit: string): string => (unit === '%' ? 'Prozentpunkte' : unit);

/** "in der Region X" with the right preposition for groups and regions. */
function inRegion(row: ValueRow): string {
  if (row.region === 'rheinisches-revier') return 'im Rheinischen Revier';
  if (row.level === 'group') return `in der Region ${row.name}`;
  return `in ${row.name}`;
}

export interface SentenceInput {
  indicator: Indicator;
  period: string;
  focus: ValueRow;
  reference: ValueRow | undefined;
  /** Member regions of the focus, for the range sentence. */
  members: ValueRow[];
}

export function describeIndicator(input: SentenceInput): string {
  const { indicator, focus, reference } = input;
  const d = indicator.decimals;
  const u = unitText(indicator.unit);
  const when = periodPhrase(indicator, input.period);
  const subject = indicator.short_de.replace(/^Anteil/, 'der Anteil');
  if (focus.value === null) {
    return `Für ${focus.name} liegt ${when} kein Wert vor (Zeichen „${focus.flag ?? '.'}“).`;
  }
  const counts =
    focus.numerator !== null && focus.denominator !== null
      ? ` (${formatNumber(focus.numerator, 0)} von ${formatNumber(focus.denominator, 0)})`
      : '';
  let sentence = `${capitalise(when)} lag ${subject} ${inRegion(focus)} bei ${formatNumber(focus.value, d)}${u}${counts}`;
  if (reference && reference.value !== null) {
    const diff = focus.value - reference.value;
    const tolerance = focus.error_bound + reference.error_bound + 0.5 * 10 ** -d;
    const refText = `${reference.name} (${formatNumber(reference.value, d)}${u})`;
    if (Math.abs(diff) <= tolerance) {
      sentence += ` und damit etwa gleich hoch wie in ${refText}; der Unterschied liegt innerhalb der Rundungsungenauigkeit`;
    } else {
      sentence += ` und damit ${formatNumber(Math.abs(diff), d)} ${diffUnit(indicator.unit)} ${diff < 0 ? 'unter' : 'über'} dem Wert für ${refText}`;
    }
  }
  sentence += '.';
  const ranked = input.members
    .filter((m) => m.value !== null)
    .sort((a, b) => (a.value ?? 0) - (b.value ?? 0));
  const low = ranked[0];
  const high = ranked[ranked.length - 1];
  if (low && high && ranked.length > 2) {
    sentence += ` Unter den Kreisen und kreisfreien Städten reichte der Wert von ${formatNumber(low.value ?? 0, d)}${u} (${low.name}) bis ${formatNumber(high.value ?? 0, d)}${u} (${high.name}).`;
  }
  return sentence;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The Zeichenerklärung in English (the German original is FLAG_LABELS_DE in src/domain). */
export const FLAG_LABELS_EN: Record<Flag, string> = {
  '.': 'value unknown or to be kept secret',
  x: 'cell blocked, statement not meaningful',
  '/': 'no value, not reliable enough',
  '...': 'value available later',
  '-': 'nothing (exactly zero) or set to zero for confidentiality',
  '()': 'value of limited reliability',
  s: 'estimated',
  p: 'provisional',
  r: 'corrected',
  '0': 'less than half of the smallest unit shown, but more than nothing',
};

/** Breakdown dimensions and items as readers call them. */
const DIM_WORDS: Record<string, { de: string; en: string }> = {
  geschlecht: { de: 'Geschlecht', en: 'Sex' },
  nationalitaet: { de: 'Staatsangehörigkeit', en: 'Nationality' },
  weiblich: { de: 'weiblich', en: 'female' },
  maennlich: { de: 'männlich', en: 'male' },
  deutsch: { de: 'deutsch', en: 'German' },
  auslaendisch: { de: 'ausländisch', en: 'foreign' },
};

export function dimWord(code: string, lang: 'de' | 'en'): string {
  return DIM_WORDS[code]?.[lang] ?? code;
}

/** The period in English: "school year 2022/23", "on 31.12.2023", "2023". */
export function periodPhraseEn(
  indicator: Pick<Indicator, 'period_kind' | 'stichtag'>,
  period: string,
): string {
  const year = Number(period.slice(0, 4));
  if (indicator.period_kind === 'schuljahr')
    return `school year ${year - 1}/${String(year).slice(2)}`;
  if (indicator.period_kind === 'stichtag') return `on ${indicator.stichtag}${year}`;
  if (indicator.period_kind === 'semester')
    return `winter semester ${year}/${String(year + 1).slice(2)}`;
  return `${year}`;
}

/** The short axis label of a period: 2023 → '2022/23' for school years, else the year. */
export function periodLabel(indicator: Pick<Indicator, 'period_kind'>, period: string): string {
  const year = Number(period.slice(0, 4));
  return indicator.period_kind === 'schuljahr' ? `${year - 1}/${String(year).slice(2)}` : `${year}`;
}

/** A plain English sentence: the focus value and the reference, no claim of a difference. */
export function describeIndicatorEn(input: SentenceInput): string {
  const { indicator, focus, reference } = input;
  const d = indicator.decimals;
  const u = unitText(indicator.unit);
  const when = periodPhraseEn(indicator, input.period);
  if (focus.value === null)
    return `No value for ${focus.name} (${when}; sign “${focus.flag ?? '.'}”).`;
  const counts =
    focus.numerator !== null && focus.denominator !== null
      ? ` (${formatNumber(focus.numerator, 0)} of ${formatNumber(focus.denominator, 0)})`
      : '';
  let sentence = `${indicator.title_en}, ${when}: ${formatNumber(focus.value, d)}${u} in the Rhenish mining area (Rheinisches Revier)${counts}`;
  if (reference && reference.value !== null) {
    sentence += `, compared with ${formatNumber(reference.value, d)}${u} in North Rhine-Westphalia`;
  }
  return `${sentence}.`;
}

/**
 * Generated German text: rule-based sentences that state what the numbers show. A difference
 * is only claimed when it is larger than the rounding error of both values.
 */
import type { ValueRow } from '../api/values.ts';
import type { Flag } from '../domain/index.ts';
import type { Indicator } from '../indicators/index.ts';
import { levelSentence, periodPhrase, rangeSentence, regionWords } from '../report/text/index.ts';
import { formatNumber } from '../viz/index.ts';

// The German period phrase lives with the sentence generator; re-exported for existing importers.
export { periodPhrase };

const unitText = (unit: string): string => (unit === '%' ? ' %' : ` ${unit}`);

export interface SentenceInput {
  indicator: Indicator;
  period: string;
  focus: ValueRow;
  reference: ValueRow | undefined;
  /** Member regions of the focus, for the range sentence. */
  members: ValueRow[];
}

/** Members as the reader calls them, in the dative plural: "den Kreisen und kreisfreien Städten". */
const MEMBER_FIELD: Partial<Record<ValueRow['level'], string>> = {
  kreis: 'den Kreisen und kreisfreien Städten',
  gemeinde: 'den Gemeinden',
  sozialraum: 'den Sozialräumen',
};

/**
 * The portal's lead sentence: the focus (the Revier) against the reference (NRW), with the
 * judgement where the indicator has a polarity, and the range across the members. Built by the
 * report text generator (src/report/text/), so portal and reports word the same numbers alike.
 */
export function describeIndicator(input: SentenceInput): string {
  const { indicator, focus, reference } = input;
  const level = levelSentence({
    indicator,
    period: input.period,
    focus,
    references: reference ? [reference] : [],
  });
  if (focus.value === null) return level;
  const memberLevel = input.members[0]?.level;
  const field = `${MEMBER_FIELD[memberLevel ?? 'kreis'] ?? 'den Mitgliedern'} ${regionWords(focus.name, focus.level).in}`;
  const range = rangeSentence(indicator, input.members, field);
  return range ? `${level} ${range}` : level;
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

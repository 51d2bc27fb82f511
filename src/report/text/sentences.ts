/**
 * Rule-based German sentences from the numbers: level against references, change over time,
 * rank, gaps between groups. Data in, plain text out (the caller escapes). The rules that keep
 * the text honest:
 * - a difference is claimed only beyond the rounding error of both values (`beyondRounding`);
 * - values of limited reliability ('()') or with small counts are shown, but no difference,
 *   change or rank is drawn from them;
 * - a missing value says why it is missing, in the words of the Zeichenerklärung;
 * - "günstiger/ungünstiger" only for indicators with a polarity, otherwise "höher/niedriger";
 * - counts of different-sized regions are not compared with each other by difference.
 */
import type { Flag } from '../../domain/index.ts';
import {
  bracketValue,
  capitalise,
  countWord,
  diffWithUnit,
  isCountUnit,
  listOf,
  num,
  periodAccusative,
  periodDative,
  periodPhrase,
  regionWords,
  signed,
  subjectOf,
  valueWithNote,
  valueWords,
  type RegionWords,
  type TextIndicator,
  type TextValue,
} from './words.ts';

/** Below these counts a share moves a lot with a few cases: numerator persons, denominator. */
export const SMALL_COUNT = { numerator: 20, denominator: 100 } as const;

/** A difference counts when it exceeds both rounding bounds and half a unit of the last place. */
export function roundingTolerance(a: TextValue, b: TextValue, decimals: number): number {
  return (a.error_bound ?? 0) + (b.error_bound ?? 0) + 0.5 * 10 ** -decimals;
}

export function beyondRounding(a: TextValue, b: TextValue, decimals: number): boolean {
  if (a.value === null || b.value === null) return false;
  return Math.abs(a.value - b.value) > roundingTolerance(a, b, decimals);
}

/** '()' marks a value whose reliability is limited: show it, but draw no finding from it. */
const limited = (v: TextValue): boolean => v.flag === '()';

/** "17 Personen" / "17 von 80 Personen" when the counts behind a share are small, else null. */
export function smallCounts(v: TextValue, noun = 'Personen'): string | null {
  const n = v.numerator ?? null;
  const d = v.denominator ?? null;
  if (n === null) return null;
  if (d !== null && d < SMALL_COUNT.denominator) return `${num(n, 0)} von ${num(d, 0)} ${noun}`;
  if (n < SMALL_COUNT.numerator) return `${num(n, 0)} ${noun}`;
  return null;
}

/** Why a value is missing, per sign (consistent with FLAG_LABELS_DE in src/domain/flags.ts). */
export function noValueSentence(
  indicator: TextIndicator,
  period: string,
  v: TextValue,
  where: RegionWords = regionWords(v.name, v.level),
): string {
  const when = periodPhrase(indicator, period);
  const forWhom = capitalise(where.for);
  const sign = (f: Flag): string => `(Zeichen „${f}“)`;
  switch (v.flag) {
    case '.':
      return v.suppressed
        ? `${forWhom} wird ${when} aus Gründen der Geheimhaltung kein Wert ausgewiesen ${sign('.')}.`
        : `${forWhom} wird ${when} kein Wert ausgewiesen, weil der Zahlenwert unbekannt oder geheim zu halten ist ${sign('.')}.`;
    case 'x':
      return `${forWhom} wird ${when} kein Wert ausgewiesen, weil eine Aussage hier nicht sinnvoll ist ${sign('x')}.`;
    case '/':
      return `${forWhom} wird ${when} kein Wert ausgewiesen, weil der Zahlenwert nicht sicher genug ist ${sign('/')}.`;
    case '...':
      return `${forWhom} liegt der Wert ${when} noch nicht vor; die Angabe fällt später an ${sign('...')}.`;
    case '-':
      return `${forWhom} wird ${when} kein Wert ausgewiesen: Es ist nichts vorhanden, oder der Wert wurde zur Geheimhaltung auf null gesetzt ${sign('-')}.`;
    default:
      return `${forWhom} liegt ${when} kein Wert vor.`;
  }
}

// ---------------------------------------------------------------- level

/** A reference to compare with; `label` replaces the default "dem Wert für Nordrhein-Westfalen". */
export type Reference = TextValue & {
  /** Dative phrase starting with "dem": "dem Landeswert", "dem Wert der Vergleichsgruppe". */
  label?: string | undefined;
  /** Nominative name for the judgement: "die Vergleichsgruppe". */
  nominative?: string | undefined;
};

export interface LevelInput {
  indicator: TextIndicator;
  period: string;
  focus: TextValue;
  references?: Reference[] | undefined;
  /** The subject with article when short_de reads badly: "der Anteil der Schulabgänger …". */
  subject?: string | undefined;
  /** What the numerator counts, plural: "Personen" (default), "Kinder". */
  countNoun?: string | undefined;
}

function refLabel(r: Reference): string {
  return r.label ?? `dem Wert ${regionWords(r.name, r.level).for}`;
}

/**
 * "Im Kreis Düren lag der Anteil … im Schuljahr 2022/23 bei 7,1 % und damit 1,1 Prozentpunkte
 * über dem Landeswert (6,0 %)." plus, where needed, the judgement, a caution on small counts and
 * the references that could not be compared.
 */
export function levelSentence(input: LevelInput): string {
  const { indicator, focus, period } = input;
  const d = indicator.decimals;
  const where = regionWords(focus.name, focus.level);
  const subject = subjectOf(indicator, input.subject);
  if (focus.value === null) return noValueSentence(indicator, period, focus, where);
  const refs = input.references ?? [];
  const small = smallCounts(focus, input.countNoun);
  const counts = isCountUnit(indicator.unit);
  const verb = subject.genus === 'pl' ? 'lagen' : 'lag';
  let text = `${capitalise(where.in)} ${verb} ${subject.full} ${periodPhrase(indicator, period)} bei ${valueWithNote(focus, indicator, true)}`;

  const clauses: string[] = [];
  const better: string[] = [];
  const worse: string[] = [];
  const after: string[] = [];
  for (const r of refs) {
    if (counts) continue; // a Kreis and the Land differ in size, not in level
    if (r.value === null) {
      after.push(`Ein Vergleichswert ${regionWords(r.name, r.level).for} liegt nicht vor.`);
      continue;
    }
    const label = refLabel(r);
    if (limited(focus) || limited(r)) {
      after.push(
        `Ein Vergleich mit ${label} (${bracketValue(r, indicator)}) ist wegen der eingeschränkten Aussagekraft nicht belastbar.`,
      );
      continue;
    }
    if (!beyondRounding(focus, r, d)) {
      clauses.push(
        `etwa so hoch wie ${label.replace(/^dem /, 'der ')} (${bracketValue(r, indicator)})`,
      );
      continue;
    }
    const diff = focus.value - r.value;
    clauses.push(
      `${diffWithUnit(diff, indicator)} ${diff > 0 ? 'über' : 'unter'} ${label} (${bracketValue(r, indicator)})`,
    );
    if (indicator.polarity !== 'neutral' && small === null) {
      const good = diff > 0 === (indicator.polarity === 'higher_is_better');
      (good ? better : worse).push(r.nominative ?? regionWords(r.name, r.level).nominative);
    }
  }
  if (clauses.length > 0) text += ` und damit ${listOf(clauses)}`;
  text += '.';
  if (better.length + worse.length > 0) {
    const [firstWord, firstList, secondWord, secondList] =
      worse.length > 0
        ? (['ungünstiger', worse, 'günstiger', better] as const)
        : (['günstiger', better, 'ungünstiger', worse] as const);
    const stands = subject.genus === 'pl' ? 'stehen' : 'steht';
    const rest = secondList.length > 0 ? `, aber ${secondWord} als ${listOf(secondList)}` : '';
    text += ` ${capitalise(where.nominative)} ${stands} damit ${firstWord} da als ${listOf(firstList)}${rest}.`;
  }
  if (small !== null) {
    text += ` Die Zahlen sind klein (${small}); schon wenige Fälle verändern ${subject.shortAccusative} deutlich.`;
  }
  if (limited(focus) && refs.length === 0) {
    text += ' Der Wert hat nur eingeschränkte Aussagekraft.';
  }
  return [text, ...after].join(' ');
}

// ---------------------------------------------------------------- change

export interface ChangeInput {
  indicator: TextIndicator;
  /** The earlier value; its `period` names the starting point. */
  from: TextValue & { period: string };
  /** The later value (the focus period). */
  to: TextValue & { period: string };
  /**
   * The series is broken between the two periods (other table, changed definition): true, or
   * the reason as a sentence ("Seit 2020 zählt die Statistik auch Schulen in freier Trägerschaft.").
   */
  seriesBreak?: boolean | string | undefined;
  subject?: string | undefined;
  countNoun?: string | undefined;
}

/**
 * "Gegenüber dem Schuljahr 2017/18 (6,3 %) ist der Anteil um 0,8 Prozentpunkte auf 7,1 %
 * gestiegen." Counts also give the change in percent: "um 312 (+4,3 %) auf 7.650 gestiegen".
 */
export function changeSentence(input: ChangeInput): string {
  const { indicator, from, to } = input;
  const d = indicator.decimals;
  const subject = subjectOf(indicator, input.subject);
  const since = periodDative(indicator, from.period);
  const plural = subject.genus === 'pl';
  if (input.seriesBreak) {
    const why =
      typeof input.seriesBreak === 'string'
        ? input.seriesBreak
        : 'Die Daten sind seitdem anders abgegrenzt (Zeitreihenbruch).';
    return `Mit ${since} lässt sich der Wert nicht vergleichen: ${why}`;
  }
  if (to.value === null)
    return `Eine Veränderung lässt sich nicht angeben, weil ${periodPhrase(indicator, to.period)} kein Wert vorliegt.`;
  if (from.value === null)
    return `Für ${periodAccusative(indicator, from.period)} liegt kein Vergleichswert vor.`;
  const earlier = `${capitalise(periodPhrase(indicator, from.period))} hatte ${subject.short} bei ${valueWithNote(from, indicator, true)} gelegen`;
  const small = smallCounts(from, input.countNoun) ?? smallCounts(to, input.countNoun);
  if (small !== null)
    return `${earlier}; wegen der kleinen Zahlen (${small}) ist die Veränderung nicht belastbar.`;
  if (limited(from) || limited(to))
    return `${earlier}; wegen der eingeschränkten Aussagekraft ist die Veränderung nicht belastbar.`;
  const aux = plural ? 'sind' : 'ist';
  const head = `Gegenüber ${since} (${bracketValue(from, indicator)}) ${aux} ${subject.short}`;
  if (!beyondRounding(from, to, d)) return `${head} nahezu unverändert geblieben.`;
  const diff = to.value - from.value;
  let amount = diffWithUnit(diff, indicator);
  if (isCountUnit(indicator.unit) && from.value !== 0) {
    amount += ` (${signed((diff / Math.abs(from.value)) * 100, 1)} %)`;
  }
  return `${head} um ${amount} auf ${valueWithNote(to, indicator)} ${diff > 0 ? 'gestiegen' : 'gesunken'}.`;
}

// ---------------------------------------------------------------- rank

export interface RankInput {
  indicator: TextIndicator;
  focus: TextValue;
  /** All regions ranked, the focus among them (matched by `region`, else by `name`). */
  regions: TextValue[];
  /** Dative plural of the field: "Kreisen und kreisfreien Städten" (default from the level). */
  field?: string | undefined;
  /** Where the field lies: "in Nordrhein-Westfalen". */
  within?: string | undefined;
  countNoun?: string | undefined;
}

const FIELD_WORDS: Record<string, string> = {
  kreis: 'Kreisen und kreisfreien Städten',
  gemeinde: 'Gemeinden',
  rb: 'Regierungsbezirken',
  land: 'Ländern',
  sozialraum: 'Sozialräumen',
};

/** "höchster Anteil" / "höchste Quote": the superlative agrees with the head noun. */
function superlative(base: 'höchst' | 'niedrigst' | 'günstigst', genus: string): string {
  return `${base}${genus === 'f' || genus === 'pl' ? 'e' : genus === 'n' ? 'es' : 'er'}`;
}

/**
 * "Unter den 53 Kreisen und kreisfreien Städten in Nordrhein-Westfalen liegt der Kreis Düren auf
 * Rang 12 (Rang 1 = niedrigster und damit günstigster Anteil)." Rank 1 is the most favourable
 * value when the indicator has a polarity, else the highest. Regions whose values are equal as
 * shown share a rank.
 */
export function rankSentence(input: RankInput): string {
  const { indicator, focus } = input;
  const d = indicator.decimals;
  const where = regionWords(focus.name, focus.level);
  const subject = subjectOf(indicator);
  const who = where.nominative;
  if (focus.value === null)
    return `${capitalise(where.for)} lässt sich kein Rang angeben, weil kein Wert vorliegt.`;
  const small = smallCounts(focus, input.countNoun);
  if (small !== null)
    return `Wegen der kleinen Zahlen (${small}) wird ${where.for} kein Rang ausgewiesen.`;
  if (limited(focus))
    return `Weil der Wert nur eingeschränkte Aussagekraft hat, wird ${where.for} kein Rang ausgewiesen.`;
  const ascending = indicator.polarity === 'lower_is_better';
  const rounded = (v: number): number => Number(v.toFixed(d));
  const mine = rounded(focus.value);
  const withValue = input.regions.filter(
    (r): r is TextValue & { value: number } => r.value !== null,
  );
  const ahead = withValue.filter((r) =>
    ascending ? rounded(r.value) < mine : rounded(r.value) > mine,
  ).length;
  const isFocus = (r: TextValue): boolean =>
    focus.region !== undefined ? r.region === focus.region : r.name === focus.name;
  const tied = withValue.filter((r) => !isFocus(r) && rounded(r.value) === mine).length;
  const field = input.field ?? FIELD_WORDS[focus.level ?? ''] ?? 'Regionen';
  const missing = input.regions.length - withValue.length;
  const scope = `${countWord(withValue.length)} ${field}${input.within ? ` ${input.within}` : ''}${missing > 0 ? ' mit ausgewiesenem Wert' : ''}`;
  const noun = subject.short.replace(/^\S+ /, '');
  const legend =
    indicator.polarity === 'neutral'
      ? `Rang 1 = ${superlative('höchst', subject.genus)} ${noun}`
      : `Rang 1 = ${superlative(ascending ? 'niedrigst' : 'höchst', subject.genus)} und damit ${superlative('günstigst', subject.genus)} ${noun}`;
  const together =
    tied === 0
      ? ''
      : ` gleichauf mit ${tied === 1 ? 'einer weiteren Region' : `${countWord(tied)} weiteren Regionen`}`;
  return `Unter den ${scope} liegt ${who}${together} auf Rang ${ahead + 1} (${legend}).`;
}

// ---------------------------------------------------------------- gaps between groups

export interface GapInput {
  indicator: TextIndicator;
  /** The breakdown items compared, in the order the sentence names them. */
  first: TextValue & { item: string };
  second: TextValue & { item: string };
  /** Dative plural of the persons: "Jugendlichen", "Kindern" (default "Personen"). */
  persons?: string | undefined;
  countNoun?: string | undefined;
}

/** Breakdown items as the declined adjective before a dative plural noun. */
const GROUP_ADJECTIVE: Record<string, string> = {
  weiblich: 'weiblichen',
  maennlich: 'männlichen',
  deutsch: 'deutschen',
  auslaendisch: 'ausländischen',
};

/**
 * "Bei männlichen Jugendlichen lag der Anteil mit 8,5 % um 2,8 Prozentpunkte höher als bei
 * weiblichen (5,7 %)." Within rounding: "… kaum unterschiedlich".
 */
export function gapSentence(input: GapInput): string {
  const { indicator, first, second } = input;
  const d = indicator.decimals;
  const persons = input.persons ?? 'Personen';
  const subject = subjectOf(indicator);
  const adj = (item: string): string => GROUP_ADJECTIVE[item] ?? item;
  const a = adj(first.item);
  const b = adj(second.item);
  const verb = subject.genus === 'pl' ? 'lagen' : 'lag';
  const missing = [first, second].find((v) => v.value === null);
  if (missing) {
    const sign = missing.flag ? ` (Zeichen „${missing.flag}“)` : '';
    return `Ein Vergleich zwischen ${a} und ${b} ${persons} ist nicht möglich, weil bei ${adj(missing.item)} ${persons} kein Wert ausgewiesen ist${sign}.`;
  }
  const both = `Bei ${a} ${persons} ${verb} ${subject.short} bei ${valueWithNote(first, indicator, true)}, bei ${b} bei ${valueWithNote(second, indicator, true)}`;
  const small = smallCounts(first, input.countNoun) ?? smallCounts(second, input.countNoun);
  if (small !== null)
    return `${both}; wegen der kleinen Zahlen (${small}) ist der Unterschied nicht belastbar.`;
  if (limited(first) || limited(second))
    return `${both}; wegen der eingeschränkten Aussagekraft ist der Unterschied nicht belastbar.`;
  if (!beyondRounding(first, second, d)) {
    const war = subject.genus === 'pl' ? 'waren' : 'war';
    const x = valueWords(first, indicator);
    const y = valueWords(second, indicator);
    const values = x === y ? `je ${x}` : `${x} und ${y}`;
    return `Bei ${a} und ${b} ${persons} ${war} ${subject.short} mit ${values} kaum unterschiedlich.`;
  }
  const diff = (first.value ?? 0) - (second.value ?? 0);
  return `Bei ${a} ${persons} ${verb} ${subject.short} mit ${valueWithNote(first, indicator)} um ${diffWithUnit(diff, indicator)} ${diff > 0 ? 'höher' : 'niedriger'} als bei ${b} (${bracketValue(second, indicator)}).`;
}

// ---------------------------------------------------------------- range

/**
 * "Unter den Kreisen und kreisfreien Städten des Rheinischen Reviers reichte der Wert von 4,2 %
 * im Kreis Euskirchen bis 8,1 % in der Stadt Aachen." Needs three or more values.
 */
export function rangeSentence(
  indicator: TextIndicator,
  members: TextValue[],
  field = 'den Kreisen und kreisfreien Städten',
): string | null {
  const ranked = members
    .filter((m): m is TextValue & { value: number } => m.value !== null)
    .sort((x, y) => x.value - y.value);
  const low = ranked[0];
  const high = ranked[ranked.length - 1];
  if (!low || !high || ranked.length < 3) return null;
  const verb = subjectOf(indicator).genus === 'pl' ? 'reichten die Werte' : 'reichte der Wert';
  return `Unter ${field} ${verb} von ${valueWords(low, indicator, true)} ${regionWords(low.name, low.level).in} bis ${valueWords(high, indicator, true)} ${regionWords(high.name, high.level).in}.`;
}

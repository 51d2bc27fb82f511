/**
 * The words the sentence generator is built from: region names as phrases ("im Kreis Düren",
 * "in der Städteregion Aachen", "im Rheinischen Revier"), the indicator as a grammatical subject,
 * periods, numbers in German format with a real minus sign, and the special signs in words.
 * Pure functions; numbers go through formatNumber so text and tables show the same digits.
 */
import type { Flag, RegionLevel } from '../../domain/index.ts';
import type { Indicator } from '../../indicators/index.ts';
import type { Suppression } from '../../store/index.ts';
import { formatNumber } from '../../viz/format.ts';

/** The indicator fields the text needs (a catalog Indicator fits). */
export type TextIndicator = Pick<
  Indicator,
  'short_de' | 'title_de' | 'unit' | 'decimals' | 'polarity' | 'period_kind' | 'stichtag'
> & { kind?: Indicator['kind'] };

/** One value of one region (a ValueRow from src/api/values.ts fits). */
export interface TextValue {
  /** Region label as the Regionaldatenbank prints it: 'Düren, Kreis', 'Nordrhein-Westfalen'. */
  name: string;
  level?: RegionLevel | 'group' | undefined;
  region?: string | undefined;
  period?: string | undefined;
  value: number | null;
  flag: Flag | null;
  /** Largest error of the value from rounded inputs; 0 when exact. */
  error_bound?: number | undefined;
  numerator?: number | null | undefined;
  denominator?: number | null | undefined;
  /** Set when bimo's disclosure control blanked the value. */
  suppressed?: Suppression | undefined;
}

// ---------------------------------------------------------------- periods

/** "im Schuljahr 2022/23", "am 31.12.2023", "im Wintersemester 2023/24", "im Jahr 2023". */
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

/** The period as a dative object without preposition: "dem Schuljahr 2017/18", "dem 31.12.2018". */
export function periodDative(
  indicator: Pick<Indicator, 'period_kind' | 'stichtag'>,
  period: string,
): string {
  return periodPhrase(indicator, period).replace(/^(im|am) /, 'dem ');
}

/** The period after "für": "das Schuljahr 2017/18", "den 31.12.2018", "das Jahr 2018". */
export function periodAccusative(
  indicator: Pick<Indicator, 'period_kind' | 'stichtag'>,
  period: string,
): string {
  const p = periodPhrase(indicator, period);
  return p.startsWith('am ') ? p.replace(/^am /, 'den ') : p.replace(/^im /, 'das ');
}

// ---------------------------------------------------------------- numbers

/** formatNumber with the typographic minus for text: -3.1 → '−3,1'. */
export function num(value: number, decimals: number): string {
  return formatNumber(value, decimals).replace(/^-/, '−');
}

/** A signed number: '+4,1', '−4,1', and no sign when it rounds to zero. */
export function signed(value: number, decimals: number): string {
  const text = num(Math.abs(value), decimals);
  if (Math.round(Math.abs(value) * 10 ** decimals) === 0) return text;
  return `${value > 0 ? '+' : '−'}${text}`;
}

/** Counts of persons or items: no unit word after the number. */
export const isCountUnit = (unit: string): boolean => unit === 'Anzahl';

/** The unit after a number in running text; `dative` after "bei" ("bei 2,8 Prozentpunkten"). */
export function unitWord(unit: string, dative = false): string {
  if (unit === '%') return ' %';
  if (isCountUnit(unit)) return '';
  if (unit === 'EUR') return ' Euro';
  if (unit === 'Prozentpunkte') return dative ? ' Prozentpunkten' : ' Prozentpunkte';
  return ` ${unit}`;
}

/** The unit of a difference: percentages differ in Prozentpunkte; '1 Prozentpunkt'. */
export function diffWithUnit(diff: number, indicator: TextIndicator): string {
  const text = num(Math.abs(diff), indicator.decimals);
  if (indicator.unit === '%' || indicator.unit === 'Prozentpunkte')
    return `${text} ${text === '1' ? 'Prozentpunkt' : 'Prozentpunkte'}`;
  return `${text}${unitWord(indicator.unit)}`;
}

/**
 * A value in running text: '7,1 %', '7.650', '−3,1 Prozentpunkten'. The sign '0' (more than
 * nothing, less than half the last place) becomes "weniger als 0,05 %".
 */
export function valueWords(v: TextValue, indicator: TextIndicator, dative = false): string {
  const d = indicator.decimals;
  const u = unitWord(indicator.unit, dative);
  if (v.value === null) return v.flag ?? '.';
  if (v.flag === '0' && v.value === 0) return `weniger als ${num(0.5 * 10 ** -d, d + 1)}${u}`;
  return `${num(v.value, d)}${u}`;
}

/** The note a qualifying sign adds: 'vorläufig', 'geschätzt', 'berichtigt', … */
export const FLAG_NOTES: Partial<Record<Flag, string>> = {
  p: 'vorläufig',
  s: 'geschätzt',
  r: 'berichtigt',
  '()': 'Aussagewert eingeschränkt',
};

/** The same note as an attribute of "Wert": 'vorläufiger Wert'. */
const FLAG_NOTES_VALUE: Partial<Record<Flag, string>> = {
  p: 'vorläufiger Wert',
  s: 'geschätzter Wert',
  r: 'berichtigter Wert',
  '()': 'Aussagewert eingeschränkt',
};

/** "7,1 % (vorläufiger Wert)" after "bei"; plain when the value has no qualifying sign. */
export function valueWithNote(v: TextValue, indicator: TextIndicator, dative = false): string {
  const note = v.flag ? FLAG_NOTES_VALUE[v.flag] : undefined;
  return `${valueWords(v, indicator, dative)}${note ? ` (${note})` : ''}`;
}

/** The inside of a bracket: "6,0 %" or "6,0 %, vorläufig". */
export function bracketValue(v: TextValue, indicator: TextIndicator): string {
  const note = v.flag ? FLAG_NOTES[v.flag] : undefined;
  return `${valueWords(v, indicator)}${note ? `, ${note}` : ''}`;
}

const SMALL_NUMBERS = [
  'null',
  'eins',
  'zwei',
  'drei',
  'vier',
  'fünf',
  'sechs',
  'sieben',
  'acht',
  'neun',
  'zehn',
  'elf',
  'zwölf',
];

/** Numbers up to twelve in words, as German style asks; larger ones in digits. */
export function countWord(n: number): string {
  return SMALL_NUMBERS[n] ?? formatNumber(n, 0);
}

/** "a, b und c". */
export function listOf(items: string[], and = 'und'): string {
  const last = items[items.length - 1] ?? '';
  return items.length < 2 ? last : `${items.slice(0, -1).join(', ')} ${and} ${last}`;
}

export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// ---------------------------------------------------------------- regions

/** A region in the three forms a sentence needs. */
export interface RegionWords {
  /** "der Kreis Düren", "die Städteregion Aachen", "Nordrhein-Westfalen". */
  nominative: string;
  /** "im Kreis Düren", "in der Städteregion Aachen", "in Nordrhein-Westfalen". */
  in: string;
  /** "für den Kreis Düren", "für die Städteregion Aachen", "für Nordrhein-Westfalen". */
  for: string;
}

type Genus = 'm' | 'f' | 'n' | 'pl';

const ARTICLE: Record<Genus, { nom: string; dat: string; acc: string }> = {
  m: { nom: 'der', dat: 'dem', acc: 'den' },
  f: { nom: 'die', dat: 'der', acc: 'die' },
  n: { nom: 'das', dat: 'dem', acc: 'das' },
  pl: { nom: 'die', dat: 'den', acc: 'die' },
};

/** A noun phrase with article; "in dem" and "in das" contract to "im". */
function withArticle(genus: Genus, nom: string, dat: string, acc: string): RegionWords {
  const a = ARTICLE[genus];
  const inDat = a.dat === 'dem' ? `im ${dat}` : `in ${a.dat} ${dat}`;
  return { nominative: `${a.nom} ${nom}`, in: inDat, for: `für ${a.acc} ${acc}` };
}

/** Adjective + noun ("Rheinisches Revier", "Märkischer Kreis"): declined after the article. */
function adjectivePhrase(genus: Genus, adjStem: string, noun: string): RegionWords {
  const nomEnding = genus === 'pl' ? 'en' : 'e';
  return withArticle(
    genus,
    `${adjStem}${nomEnding} ${noun}`,
    `${adjStem}en ${noun}`,
    `${adjStem}${genus === 'm' || genus === 'pl' ? 'en' : 'e'} ${noun}`,
  );
}

const plain = (name: string): RegionWords => ({
  nominative: name,
  in: `in ${name}`,
  for: `für ${name}`,
});

/** Region types written after the name by the Regionaldatenbank ('Düren, Kreis'). */
const SUFFIX_TYPES: Record<string, { genus: Genus; noun: string }> = {
  Kreis: { genus: 'm', noun: 'Kreis' },
  Landkreis: { genus: 'm', noun: 'Landkreis' },
  Stadtkreis: { genus: 'm', noun: 'Stadtkreis' },
  'kreisfreie Stadt': { genus: 'f', noun: 'Stadt' },
  Stadt: { genus: 'f', noun: 'Stadt' },
  Gemeinde: { genus: 'f', noun: 'Gemeinde' },
  Städteregion: { genus: 'f', noun: 'Städteregion' },
  Regionalverband: { genus: 'm', noun: 'Regionalverband' },
  Regierungsbezirk: { genus: 'm', noun: 'Regierungsbezirk' },
  'Statistische Region': { genus: 'f', noun: 'Statistische Region' },
};

/** Names of Länder and states that take an article. */
const WITH_ARTICLE: Record<string, Genus> = { Saarland: 'n' };

/**
 * Turns a region label into phrases: 'Düren, Kreis' → im Kreis Düren; 'Aachen, Städteregion' and
 * 'Städteregion Aachen, Kreis' → in der Städteregion Aachen; 'Köln, kreisfreie Stadt' → in der
 * Stadt Köln; 'Märkischer Kreis' → im Märkischen Kreis; 'Rheinisches Revier' → im Rheinischen
 * Revier; 'Nordrhein-Westfalen' → in Nordrhein-Westfalen. Honorary titles after a second comma
 * ('…, Landeshauptstadt') are dropped.
 */
export function regionWords(name: string, level?: RegionLevel | 'group'): RegionWords {
  const parts = name.split(',').map((p) => p.trim());
  const base = parts[0] ?? name;
  const type = parts[1];
  // 'Städteregion Aachen, Kreis': the name already says what it is.
  const own = /^(Städteregion|Landkreis|Regionalverband) (.+)$/.exec(base);
  if (own?.[1] && own[2]) {
    const t = SUFFIX_TYPES[own[1]];
    if (t) return withArticle(t.genus, base, base, base);
  }
  if (type !== undefined) {
    const t = SUFFIX_TYPES[type];
    if (t) {
      const phrase = `${t.noun} ${base}`;
      return withArticle(t.genus, phrase, phrase, phrase);
    }
  }
  // Declined adjectives: 'Märkischer Kreis', 'Oberbergischer Kreis', 'Rheinisches Revier'.
  const adj = /^(\S+?)(?:er (Kreis)|es (Revier))$/.exec(base);
  if (adj?.[1] && adj[2]) return adjectivePhrase('m', adj[1], adj[2]);
  if (adj?.[1] && adj[3]) return adjectivePhrase('n', adj[1], adj[3]);
  // 'Lausitzer Revier' (place adjectives do not decline), 'Hochsauerlandkreis', 'Rhein-Kreis Neuss'.
  if (/ Revier$/.test(base)) return withArticle('n', base, base, base);
  if (/^\S*kreis$/i.test(base) || /-Kreis\b/.test(base)) return withArticle('m', base, base, base);
  if (/^(Metropole|Region) /.test(base)) return withArticle('f', base, base, base);
  if (/kommunen\b/.test(base)) return withArticle('pl', base, base, base);
  const genus = WITH_ARTICLE[base];
  if (genus) return withArticle(genus, base, base, base);
  if (level === 'group') {
    const g = `Regionsgruppe „${base}“`;
    return withArticle('f', g, g, g);
  }
  return plain(base);
}

// ---------------------------------------------------------------- the indicator as subject

/** The indicator as the subject of a sentence. */
export interface Subject {
  /** With article: "der Anteil der Abgehenden ohne Ersten Schulabschluss …". */
  full: string;
  /** The head noun with article, for follow-up sentences: "der Anteil", "die Zahl", "der Wert". */
  short: string;
  /** Accusative of `short`: "den Anteil", "die Quote". */
  shortAccusative: string;
  genus: 'm' | 'f' | 'n' | 'pl';
}

const lowerFirst = (t: string): string => t.charAt(0).toLowerCase() + t.slice(1);

/**
 * "Anteil der …" → der Anteil der …, "Zahl der …" → die Zahl der …, "Arbeitslosenquote …" → die
 * Arbeitslosenquote …; anything else (rates "Studierende je …", gap indicators) is named by its
 * title: der Wert des Indikators „Studierende je Professorin und Professor“.
 */
/** Head nouns the short_de can start with: pattern, article, short form, genus. */
const HEADS: [RegExp, string, string, Subject['genus']][] = [
  [/^\S*[Aa]nteil\b/, 'der', 'der Anteil', 'm'],
  [/^Zahl\b/, 'die', 'die Zahl', 'f'],
  [/^\S*quote\b/i, 'die', 'die Quote', 'f'],
  [/^\S*saldo\b/, 'der', 'der Saldo', 'm'],
  [/^Veränderung\b/, 'die', 'die Veränderung', 'f'],
];

export function subjectOf(indicator: TextIndicator, override?: string): Subject {
  const make = (full: string, short: string, genus: Subject['genus']): Subject => ({
    full,
    short,
    shortAccusative: genus === 'm' ? short.replace(/^der /, 'den ') : short,
    genus,
  });
  if (override !== undefined) {
    // "der Anteil der Schulabgängerinnen …": the head noun after the article gives the short form.
    const [, article = 'der', rest = override] = /^(der|die|das) (.*)$/.exec(override) ?? [];
    const head = HEADS.find(([re]) => re.test(rest));
    const genus = article === 'die' ? 'f' : article === 'das' ? 'n' : 'm';
    return make(
      override,
      head?.[2] ?? `${article} ${rest.split(' ')[0] ?? ''}`,
      head?.[3] ?? genus,
    );
  }
  const s = indicator.short_de;
  if (indicator.kind !== 'gap') {
    const head = HEADS.find(([re]) => re.test(s));
    if (head) return make(`${head[1]} ${s}`, head[2], head[3]);
    if (/^Verfügbares Einkommen\b/.test(s))
      return make(
        `das ${lowerFirst(s).replace(/^verfügbares/, 'verfügbare')}`,
        'das Einkommen',
        'n',
      );
  }
  return make(`der Wert des Indikators „${indicator.title_de}“`, 'der Wert', 'm');
}

/**
 * The text generator, table-driven: each row is an input and the exact German sentence expected.
 * Covers above, below and within rounding of a reference, with and without polarity, rising,
 * falling and unchanged series, ranks with ties, gaps by sex and nationality, every special sign,
 * small counts, negative values and thousands separators.
 */
import { describe, expect, it } from 'vitest';
import type { Flag } from '../../domain/index.ts';
import {
  changeSentence,
  gapSentence,
  levelSentence,
  rangeSentence,
  rankSentence,
  type ChangeInput,
  type LevelInput,
  type TextIndicator,
  type TextValue,
} from './index.ts';
import { regionWords } from './words.ts';

const D6: TextIndicator = {
  short_de: 'Anteil der Schulabgängerinnen und Schulabgänger ohne Ersten Schulabschluss',
  title_de: 'Abgehende ohne Ersten Schulabschluss',
  unit: '%',
  decimals: 1,
  polarity: 'lower_is_better',
  period_kind: 'schuljahr',
  stichtag: '31.12.',
};
const NEUTRAL: TextIndicator = {
  ...D6,
  short_de: 'Anteil der ausländischen Schülerinnen und Schüler',
  polarity: 'neutral',
};
const BETREUUNG: TextIndicator = {
  ...D6,
  short_de: 'Betreuungsquote der Kinder unter 3 Jahren',
  polarity: 'higher_is_better',
  period_kind: 'stichtag',
  stichtag: '01.03.',
};
const KITAS: TextIndicator = {
  ...D6,
  short_de: 'Zahl der Kinder in Kindertageseinrichtungen',
  unit: 'Anzahl',
  decimals: 0,
  polarity: 'neutral',
  period_kind: 'stichtag',
  stichtag: '01.03.',
};
const SALDO: TextIndicator = {
  ...D6,
  short_de: 'Wanderungssaldo der 18- bis unter 25-Jährigen je 1.000 Einwohnerinnen und Einwohner',
  title_de: 'Bildungswanderung (18 bis unter 25 Jahre)',
  unit: 'je 1.000 EW',
  polarity: 'neutral',
  period_kind: 'jahr',
};
const AUSGABEN: TextIndicator = {
  ...D6,
  short_de: 'Ausgaben der öffentlichen Haushalte je Schülerin und Schüler in Euro',
  title_de: 'Ausgaben je Schülerin und Schüler',
  unit: 'EUR',
  decimals: 0,
  polarity: 'neutral',
  period_kind: 'jahr',
};

const val = (
  name: string,
  value: number | null,
  more: Partial<TextValue> = {},
): TextValue & { value: number | null } => ({
  name,
  level: 'kreis',
  value,
  flag: null,
  error_bound: 0,
  ...more,
});
const flagged = (name: string, value: number | null, flag: Flag): TextValue =>
  val(name, value, { flag });
const DN = (value: number | null, more: Partial<TextValue> = {}): TextValue =>
  val('Düren, Kreis', value, { region: '05358', ...more });
const NRW = (value: number | null, more: Partial<TextValue> = {}) => ({
  ...val('Nordrhein-Westfalen', value, { level: 'land', region: '05', ...more }),
  label: 'dem Landeswert',
});
const REVIER = (value: number | null) =>
  val('Rheinisches Revier', value, { level: 'group', region: 'rheinisches-revier' });
const PEER = (value: number | null) => ({
  ...val('Vergleichsgruppe', value, { level: 'group' }),
  label: 'dem Wert der Vergleichsgruppe',
  nominative: 'die Vergleichsgruppe',
});

const IM_DN_D6 =
  'Im Kreis Düren lag der Anteil der Schulabgängerinnen und Schulabgänger ohne Ersten Schulabschluss im Schuljahr 2022/23';

const level = (focus: TextValue, references: LevelInput['references'], indicator = D6) =>
  ({ kind: 'level', input: { indicator, period: '2023', focus, references } }) as const;
const change = (
  from: number | null,
  to: number | null,
  more: Partial<ChangeInput> & { fromMore?: Partial<TextValue>; toMore?: Partial<TextValue> } = {},
) => {
  const { fromMore, toMore, ...rest } = more;
  return {
    kind: 'change',
    input: {
      indicator: D6,
      from: { ...DN(from, fromMore), period: '2018' },
      to: { ...DN(to, toMore), period: '2023' },
      ...rest,
    },
  } as const;
};
const KREISE = [
  DN(7.1),
  val('Euskirchen, Kreis', 7.1, { region: '05366' }),
  val('Köln, kreisfreie Stadt', 5.0, { region: '05315' }),
  val('Aachen, Städteregion', 6.4, { region: '05334' }),
  val('Märkischer Kreis', 9.2, { region: '05962' }),
  val('Hochsauerlandkreis', 7.14, { region: '05958' }),
  val('Rhein-Kreis Neuss', null, { region: '05162', flag: '.' }),
];
const rank = (indicator: TextIndicator, focus: TextValue = DN(7.1), regions = KREISE) =>
  ({
    kind: 'rank',
    input: { indicator, focus, regions, within: 'in Nordrhein-Westfalen' },
  }) as const;
const gap = (
  items: [string, string],
  a: number | null,
  b: number | null,
  more: { a?: Partial<TextValue>; b?: Partial<TextValue>; indicator?: TextIndicator } = {},
) =>
  ({
    kind: 'gap',
    input: {
      indicator: more.indicator ?? D6,
      first: { ...DN(a, more.a), item: items[0] },
      second: { ...DN(b, more.b), item: items[1] },
      persons: 'Jugendlichen',
    },
  }) as const;

type Row =
  | { kind: 'level'; input: LevelInput }
  | ReturnType<typeof change>
  | ReturnType<typeof rank>
  | ReturnType<typeof gap>;

const ROWS: [string, Row, string][] = [
  // ---- level against references
  [
    'above the Land, polarity lower is better',
    level(DN(7.1), [NRW(6.0)]),
    `${IM_DN_D6} bei 7,1 % und damit 1,1 Prozentpunkte über dem Landeswert (6,0 %). Der Kreis Düren steht damit ungünstiger da als Nordrhein-Westfalen.`,
  ],
  [
    'below the Land, polarity lower is better',
    level(DN(5.2), [NRW(6.0)]),
    `${IM_DN_D6} bei 5,2 % und damit 0,8 Prozentpunkte unter dem Landeswert (6,0 %). Der Kreis Düren steht damit günstiger da als Nordrhein-Westfalen.`,
  ],
  [
    'within rounding of the Land: no über/unter, no judgement',
    level(DN(6.04), [NRW(6.0)]),
    `${IM_DN_D6} bei 6,0 % und damit etwa so hoch wie der Landeswert (6,0 %).`,
  ],
  [
    'within rounding because of the error bounds of both values',
    level(DN(6.2, { error_bound: 0.1 }), [NRW(6.0, { error_bound: 0.06 })]),
    `${IM_DN_D6} bei 6,2 % und damit etwa so hoch wie der Landeswert (6,0 %).`,
  ],
  [
    'neutral indicator: höher/niedriger only, default reference label',
    level(val('Aachen, Städteregion', 12.4), [{ ...NRW(14.0), label: undefined }], NEUTRAL),
    'In der Städteregion Aachen lag der Anteil der ausländischen Schülerinnen und Schüler im Schuljahr 2022/23 bei 12,4 % und damit 1,6 Prozentpunkte unter dem Wert für Nordrhein-Westfalen (14,0 %).',
  ],
  [
    'three references, mixed judgement, one within rounding',
    level(DN(7.1), [NRW(6.0), REVIER(7.05), PEER(7.9)]),
    `${IM_DN_D6} bei 7,1 % und damit 1,1 Prozentpunkte über dem Landeswert (6,0 %), etwa so hoch wie der Wert für das Rheinische Revier (7,1 %) und 0,8 Prozentpunkte unter dem Wert der Vergleichsgruppe (7,9 %). Der Kreis Düren steht damit ungünstiger da als Nordrhein-Westfalen, aber günstiger als die Vergleichsgruppe.`,
  ],
  [
    'higher is better, Stichtag, kreisfreie Stadt',
    level(val('Köln, kreisfreie Stadt', 38.2), [NRW(32.5)], BETREUUNG),
    'In der Stadt Köln lag die Betreuungsquote der Kinder unter 3 Jahren am 01.03.2023 bei 38,2 % und damit 5,7 Prozentpunkte über dem Landeswert (32,5 %). Die Stadt Köln steht damit günstiger da als Nordrhein-Westfalen.',
  ],
  [
    'group as focus',
    level(REVIER(5.8), [{ ...NRW(6.4), label: undefined }]),
    'Im Rheinischen Revier lag der Anteil der Schulabgängerinnen und Schulabgänger ohne Ersten Schulabschluss im Schuljahr 2022/23 bei 5,8 % und damit 0,6 Prozentpunkte unter dem Wert für Nordrhein-Westfalen (6,4 %). Das Rheinische Revier steht damit günstiger da als Nordrhein-Westfalen.',
  ],
  [
    'provisional focus value (p) and corrected reference (r)',
    level(flagged('Düren, Kreis', 7.1, 'p'), [NRW(6.0, { flag: 'r' })]),
    `${IM_DN_D6} bei 7,1 % (vorläufiger Wert) und damit 1,1 Prozentpunkte über dem Landeswert (6,0 %, berichtigt). Der Kreis Düren steht damit ungünstiger da als Nordrhein-Westfalen.`,
  ],
  [
    'estimated value (s)',
    level(flagged('Düren, Kreis', 7.1, 's'), []),
    `${IM_DN_D6} bei 7,1 % (geschätzter Wert).`,
  ],
  [
    'limited reliability () on the focus: no difference claimed',
    level(flagged('Düren, Kreis', 9.4, '()'), [NRW(6.0)]),
    `${IM_DN_D6} bei 9,4 % (Aussagewert eingeschränkt). Ein Vergleich mit dem Landeswert (6,0 %) ist wegen der eingeschränkten Aussagekraft nicht belastbar.`,
  ],
  [
    'limited reliability () on the reference only',
    level(
      DN(7.1),
      [NRW(6.0), PEER(9.0)].map((r, i) => (i === 1 ? { ...r, flag: '()' } : r)),
    ),
    `${IM_DN_D6} bei 7,1 % und damit 1,1 Prozentpunkte über dem Landeswert (6,0 %). Der Kreis Düren steht damit ungünstiger da als Nordrhein-Westfalen. Ein Vergleich mit dem Wert der Vergleichsgruppe (9,0 %, Aussagewert eingeschränkt) ist wegen der eingeschränkten Aussagekraft nicht belastbar.`,
  ],
  [
    'small numerator: caution, no judgement',
    level(DN(7.1, { numerator: 17, denominator: 240 }), [NRW(6.0)]),
    `${IM_DN_D6} bei 7,1 % und damit 1,1 Prozentpunkte über dem Landeswert (6,0 %). Die Zahlen sind klein (17 Personen); schon wenige Fälle verändern den Anteil deutlich.`,
  ],
  [
    'small denominator',
    level(DN(25.0, { numerator: 20, denominator: 80 }), []),
    `${IM_DN_D6} bei 25,0 %. Die Zahlen sind klein (20 von 80 Personen); schon wenige Fälle verändern den Anteil deutlich.`,
  ],
  [
    'reference without value',
    level(DN(7.1), [NRW(6.0), PEER(null)]),
    `${IM_DN_D6} bei 7,1 % und damit 1,1 Prozentpunkte über dem Landeswert (6,0 %). Der Kreis Düren steht damit ungünstiger da als Nordrhein-Westfalen. Ein Vergleichswert für die Regionsgruppe „Vergleichsgruppe“ liegt nicht vor.`,
  ],
  [
    'sign . from disclosure control',
    level(DN(null, { flag: '.', suppressed: 'primary' }), [NRW(6.0)]),
    'Für den Kreis Düren wird im Schuljahr 2022/23 aus Gründen der Geheimhaltung kein Wert ausgewiesen (Zeichen „.“).',
  ],
  [
    'sign . from the source',
    level(DN(null, { flag: '.' }), [NRW(6.0)]),
    'Für den Kreis Düren wird im Schuljahr 2022/23 kein Wert ausgewiesen, weil der Zahlenwert unbekannt oder geheim zu halten ist (Zeichen „.“).',
  ],
  [
    'sign x',
    level(DN(null, { flag: 'x' }), []),
    'Für den Kreis Düren wird im Schuljahr 2022/23 kein Wert ausgewiesen, weil eine Aussage hier nicht sinnvoll ist (Zeichen „x“).',
  ],
  [
    'sign /',
    level(DN(null, { flag: '/' }), []),
    'Für den Kreis Düren wird im Schuljahr 2022/23 kein Wert ausgewiesen, weil der Zahlenwert nicht sicher genug ist (Zeichen „/“).',
  ],
  [
    'sign ...',
    level(val('Aachen, Städteregion', null, { flag: '...' }), []),
    'Für die Städteregion Aachen liegt der Wert im Schuljahr 2022/23 noch nicht vor; die Angabe fällt später an (Zeichen „...“).',
  ],
  [
    'sign -',
    level(DN(null, { flag: '-' }), []),
    'Für den Kreis Düren wird im Schuljahr 2022/23 kein Wert ausgewiesen: Es ist nichts vorhanden, oder der Wert wurde zur Geheimhaltung auf null gesetzt (Zeichen „-“).',
  ],
  [
    'sign 0: more than nothing, less than half the last place',
    level(val('Inden', 0, { flag: '0', level: 'gemeinde' }), []),
    'In Inden lag der Anteil der Schulabgängerinnen und Schulabgänger ohne Ersten Schulabschluss im Schuljahr 2022/23 bei weniger als 0,05 %.',
  ],
  [
    'count with thousands separator: no difference to the Land',
    level(DN(7650), [NRW(612340)], KITAS),
    'Im Kreis Düren lag die Zahl der Kinder in Kindertageseinrichtungen am 01.03.2023 bei 7.650.',
  ],
  [
    'negative rate with the real minus sign',
    level(val('Märkischer Kreis', -3.1), [NRW(1.2)], SALDO),
    'Im Märkischen Kreis lag der Wanderungssaldo der 18- bis unter 25-Jährigen je 1.000 Einwohnerinnen und Einwohner im Jahr 2023 bei −3,1 je 1.000 EW und damit 4,3 je 1.000 EW unter dem Landeswert (1,2 je 1.000 EW).',
  ],
  [
    'euro, subject named by title',
    level(DN(8100), [NRW(8900)], AUSGABEN),
    'Im Kreis Düren lag der Wert des Indikators „Ausgaben je Schülerin und Schüler“ im Jahr 2023 bei 8.100 Euro und damit 800 Euro unter dem Landeswert (8.900 Euro).',
  ],
  [
    'subject given by the caller, Gemeinde, above the Kreis',
    {
      kind: 'level',
      input: {
        indicator: NEUTRAL,
        period: '2023',
        subject: 'der Ausländeranteil unter den Schülerinnen und Schülern',
        focus: val('Düren, Stadt', 21.3, { level: 'gemeinde' }),
        references: [DN(14.6)],
      },
    },
    'In der Stadt Düren lag der Ausländeranteil unter den Schülerinnen und Schülern im Schuljahr 2022/23 bei 21,3 % und damit 6,7 Prozentpunkte über dem Wert für den Kreis Düren (14,6 %).',
  ],
  // ---- change over time
  [
    'rising share',
    change(6.3, 7.1),
    'Gegenüber dem Schuljahr 2017/18 (6,3 %) ist der Anteil um 0,8 Prozentpunkte auf 7,1 % gestiegen.',
  ],
  [
    'falling share',
    change(7.4, 6.4),
    'Gegenüber dem Schuljahr 2017/18 (7,4 %) ist der Anteil um 1,0 Prozentpunkte auf 6,4 % gesunken.',
  ],
  [
    'unchanged within rounding',
    change(7.08, 7.1),
    'Gegenüber dem Schuljahr 2017/18 (7,1 %) ist der Anteil nahezu unverändert geblieben.',
  ],
  [
    'rising count with percent change and thousands separators',
    {
      kind: 'change',
      input: {
        indicator: KITAS,
        from: { ...DN(7338), period: '2018' },
        to: { ...DN(7650), period: '2023' },
      },
    },
    'Gegenüber dem 01.03.2018 (7.338) ist die Zahl um 312 (+4,3 %) auf 7.650 gestiegen.',
  ],
  [
    'falling count',
    {
      kind: 'change',
      input: {
        indicator: KITAS,
        from: { ...DN(12480), period: '2018' },
        to: { ...DN(11230), period: '2023' },
      },
    },
    'Gegenüber dem 01.03.2018 (12.480) ist die Zahl um 1.250 (−10,0 %) auf 11.230 gesunken.',
  ],
  [
    'negative values rising towards zero',
    {
      kind: 'change',
      input: {
        indicator: SALDO,
        from: { ...DN(-3.1), period: '2018' },
        to: { ...DN(-1.2), period: '2023' },
      },
    },
    'Gegenüber dem Jahr 2018 (−3,1 je 1.000 EW) ist der Saldo um 1,9 je 1.000 EW auf −1,2 je 1.000 EW gestiegen.',
  ],
  [
    'provisional latest value',
    change(6.3, 7.1, { toMore: { flag: 'p' } }),
    'Gegenüber dem Schuljahr 2017/18 (6,3 %) ist der Anteil um 0,8 Prozentpunkte auf 7,1 % (vorläufiger Wert) gestiegen.',
  ],
  [
    'series break flagged by the caller',
    change(6.3, 7.1, { seriesBreak: true }),
    'Mit dem Schuljahr 2017/18 lässt sich der Wert nicht vergleichen: Die Daten sind seitdem anders abgegrenzt (Zeitreihenbruch).',
  ],
  [
    'series break with a reason',
    change(6.3, 7.1, {
      seriesBreak: 'Bis 2019 zählten Abgehende von Förderschulen nicht mit.',
    }),
    'Mit dem Schuljahr 2017/18 lässt sich der Wert nicht vergleichen: Bis 2019 zählten Abgehende von Förderschulen nicht mit.',
  ],
  [
    'small counts: no change claimed',
    change(4.1, 7.1, { toMore: { numerator: 12, denominator: 169 } }),
    'Im Schuljahr 2017/18 hatte der Anteil bei 4,1 % gelegen; wegen der kleinen Zahlen (12 Personen) ist die Veränderung nicht belastbar.',
  ],
  [
    'limited reliability: no change claimed',
    change(4.1, 7.1, { fromMore: { flag: '()' } }),
    'Im Schuljahr 2017/18 hatte der Anteil bei 4,1 % (Aussagewert eingeschränkt) gelegen; wegen der eingeschränkten Aussagekraft ist die Veränderung nicht belastbar.',
  ],
  [
    'no earlier value',
    change(null, 7.1, { fromMore: { flag: '.' } }),
    'Für das Schuljahr 2017/18 liegt kein Vergleichswert vor.',
  ],
  // ---- rank
  [
    'rank with a tie, lower is better, regions without value left out',
    rank(D6),
    'Unter den sechs Kreisen und kreisfreien Städten in Nordrhein-Westfalen mit ausgewiesenem Wert liegt der Kreis Düren gleichauf mit zwei weiteren Regionen auf Rang 3 (Rang 1 = niedrigster und damit günstigster Anteil).',
  ],
  [
    'rank, higher is better (feminine noun)',
    rank(
      BETREUUNG,
      DN(7.1),
      KREISE.filter((k) => k.name !== 'Hochsauerlandkreis'),
    ),
    'Unter den fünf Kreisen und kreisfreien Städten in Nordrhein-Westfalen mit ausgewiesenem Wert liegt der Kreis Düren gleichauf mit einer weiteren Region auf Rang 2 (Rang 1 = höchste und damit günstigste Quote).',
  ],
  [
    'rank, neutral, three ties, all with value',
    rank(NEUTRAL, KREISE[1], [...KREISE.slice(0, 6), val('Olpe, Kreis', 7.1, { region: '05966' })]),
    'Unter den sieben Kreisen und kreisfreien Städten in Nordrhein-Westfalen liegt der Kreis Euskirchen gleichauf mit drei weiteren Regionen auf Rang 2 (Rang 1 = höchster Anteil).',
  ],
  [
    'no rank with small counts',
    rank(D6, DN(7.1, { numerator: 9, denominator: 127 })),
    'Wegen der kleinen Zahlen (9 Personen) wird für den Kreis Düren kein Rang ausgewiesen.',
  ],
  [
    'no rank without value',
    rank(D6, val('Rhein-Kreis Neuss', null, { flag: '.' })),
    'Für den Rhein-Kreis Neuss lässt sich kein Rang angeben, weil kein Wert vorliegt.',
  ],
  // ---- gaps between groups
  [
    'gap by sex',
    gap(['maennlich', 'weiblich'], 8.5, 5.7),
    'Bei männlichen Jugendlichen lag der Anteil mit 8,5 % um 2,8 Prozentpunkte höher als bei weiblichen (5,7 %).',
  ],
  [
    'gap by nationality, lower',
    gap(['deutsch', 'auslaendisch'], 5.2, 13.9),
    'Bei deutschen Jugendlichen lag der Anteil mit 5,2 % um 8,7 Prozentpunkte niedriger als bei ausländischen (13,9 %).',
  ],
  [
    'gap within rounding',
    gap(['weiblich', 'maennlich'], 6.08, 6.04),
    'Bei weiblichen und männlichen Jugendlichen war der Anteil mit 6,1 % und 6,0 % kaum unterschiedlich.',
  ],
  [
    'gap within rounding, same value as shown',
    gap(['auslaendisch', 'deutsch'], 6.02, 5.98),
    'Bei ausländischen und deutschen Jugendlichen war der Anteil mit je 6,0 % kaum unterschiedlich.',
  ],
  [
    'gap with small counts',
    gap(['auslaendisch', 'deutsch'], 14.3, 5.2, { a: { numerator: 11, denominator: 77 } }),
    'Bei ausländischen Jugendlichen lag der Anteil bei 14,3 %, bei deutschen bei 5,2 %; wegen der kleinen Zahlen (11 von 77 Personen) ist der Unterschied nicht belastbar.',
  ],
  [
    'gap with a value of limited reliability',
    gap(['maennlich', 'weiblich'], 8.5, 5.7, { b: { flag: '()' } }),
    'Bei männlichen Jugendlichen lag der Anteil bei 8,5 %, bei weiblichen bei 5,7 % (Aussagewert eingeschränkt); wegen der eingeschränkten Aussagekraft ist der Unterschied nicht belastbar.',
  ],
  [
    'gap with a missing value (/)',
    gap(['maennlich', 'weiblich'], 8.5, null, { b: { flag: '/' } }),
    'Ein Vergleich zwischen männlichen und weiblichen Jugendlichen ist nicht möglich, weil bei weiblichen Jugendlichen kein Wert ausgewiesen ist (Zeichen „/“).',
  ],
];

function run(row: Row): string {
  switch (row.kind) {
    case 'level':
      return levelSentence(row.input);
    case 'change':
      return changeSentence(row.input);
    case 'rank':
      return rankSentence(row.input);
    case 'gap':
      return gapSentence(row.input);
  }
}

describe('German sentences from the numbers', () => {
  it.each(ROWS)('%s', (_desc, row, expected) => {
    expect(run(row)).toBe(expected);
  });

  it('never claims über/unter when the difference lies within rounding', () => {
    for (const diff of [0, 0.01, 0.04, -0.04, 0.05]) {
      const text = levelSentence({
        indicator: D6,
        period: '2023',
        focus: DN(6 + diff),
        references: [NRW(6.0)],
      });
      expect(text).not.toMatch(/über|unter|günstig/);
    }
  });

  it('gives the range across members', () => {
    expect(rangeSentence(D6, KREISE, 'den Kreisen und kreisfreien Städten')).toBe(
      'Unter den Kreisen und kreisfreien Städten reichte der Wert von 5,0 % in der Stadt Köln bis 9,2 % im Märkischen Kreis.',
    );
  });

  it.each([
    ['Düren, Kreis', 'im Kreis Düren'],
    ['Aachen, Städteregion', 'in der Städteregion Aachen'],
    ['Städteregion Aachen, Kreis', 'in der Städteregion Aachen'],
    ['Köln, kreisfreie Stadt', 'in der Stadt Köln'],
    ['Wiesbaden, kreisfreie Stadt, Landeshauptstadt', 'in der Stadt Wiesbaden'],
    ['Köln, Regierungsbezirk', 'im Regierungsbezirk Köln'],
    ['Rheinisches Revier', 'im Rheinischen Revier'],
    ['Lausitzer Revier', 'im Lausitzer Revier'],
    ['Oberbergischer Kreis', 'im Oberbergischen Kreis'],
    ['Rhein-Kreis Neuss', 'im Rhein-Kreis Neuss'],
    ['Hochsauerlandkreis', 'im Hochsauerlandkreis'],
    ['Nordrhein-Westfalen', 'in Nordrhein-Westfalen'],
    ['Saarland', 'im Saarland'],
    ['Anrainerkommunen (Tagebau/Kraftwerk)', 'in den Anrainerkommunen (Tagebau/Kraftwerk)'],
  ])('region phrase: %s → %s', (name, phrase) => {
    expect(regionWords(name).in).toBe(phrase);
  });
});

/**
 * The sentence on a region's position against its peer group (Vergleichstyp): how many
 * indicators can be compared, how those with a polarity come out, how the neutral ones differ,
 * and for how many the peer group has no value. Also the judgement of one difference, which the
 * profile table shows next to each reference (region-profile.ts).
 */
import type { Indicator } from '../../indicators/index.ts';
import type { Lang } from '../i18n.ts';
import type { Profile, RefCell } from './region-profile-data.ts';

const W = {
  de: {
    peerText: {
      compared: (name: string, peer: string, n: number) =>
        n === 0
          ? `${name} gehört zur Vergleichsgruppe „${peer}“; für keinen Indikator liegt ein Wert der Vergleichsgruppe vor.`
          : `${name} gehört zur Vergleichsgruppe „${peer}“. ${n === 1 ? 'Mit ihr vergleichen lässt sich ein Indikator.' : `Mit ihr vergleichen lassen sich ${n} Indikatoren.`}`,
      rated: (name: string, n: number, parts: string) =>
        `Von ${n === 1 ? 'dem einen Indikator' : `den ${n} Indikatoren`} mit Wertungsrichtung steht ${name} ${parts} da als die Vergleichsgruppe.`,
      neutral: (n: number, parts: string) =>
        `Bei ${n === 1 ? 'dem einen Indikator' : `den ${n} Indikatoren`} ohne Wertungsrichtung liegt der Wert ${parts}.`,
      better: (n: number) => `bei ${n} günstiger`,
      worse: (n: number) => `bei ${n} ungünstiger`,
      higher: (n: number) => `bei ${n} höher`,
      lower: (n: number) => `bei ${n} niedriger`,
      same: (n: number) => `bei ${n} gleichauf (Abstand im Rundungsrahmen)`,
      and: 'und',
      missing: (n: number) =>
        `Für ${n === 1 ? 'einen weiteren Indikator' : `${n} weitere Indikatoren`} gibt es keinen Wert der Vergleichsgruppe („k. A.“ in der Tabelle).`,
    },
    noPeer: (name: string) =>
      `${name} gehört keiner Vergleichsgruppe an: Vergleichsgruppen (Kreistypen) gibt es für Kreise und kreisfreie Städte; verglichen wird hier mit NRW, dem Revier und dem Kreis.`,
    groupPeer: (name: string) =>
      `${name} ist eine Regionsgruppe; eine Vergleichsgruppe gibt es dafür nicht, verglichen wird mit NRW und Deutschland.`,
  },
  en: {
    peerText: {
      compared: (name: string, peer: string, n: number) =>
        n === 0
          ? `${name} belongs to the peer group “${peer}”; the peer group has a value for none of the indicators.`
          : `${name} belongs to the peer group “${peer}”. ${n === 1 ? 'One indicator' : `${n} indicators`} can be compared with it.`,
      rated: (name: string, n: number, parts: string) =>
        `Of the ${n === 1 ? 'one indicator' : `${n} indicators`} where higher or lower is better, ${name} fares ${parts} than the peer group.`,
      neutral: (n: number, parts: string) =>
        `Of the ${n === 1 ? 'one indicator' : `${n} indicators`} without such a direction, the value is ${parts}.`,
      better: (n: number) => `better on ${n}`,
      worse: (n: number) => `worse on ${n}`,
      higher: (n: number) => `higher on ${n}`,
      lower: (n: number) => `lower on ${n}`,
      same: (n: number) => `level on ${n} (difference within rounding)`,
      and: 'and',
      missing: (n: number) =>
        `For ${n === 1 ? 'one more indicator' : `${n} more indicators`} there is no peer group value (“n/a” in the table).`,
    },
    noPeer: (name: string) =>
      `${name} belongs to no peer group: peer groups (district types) exist for districts and district-free cities; the comparison here is with NRW, the mining area and the district.`,
    groupPeer: (name: string) =>
      `${name} is a group of regions; it has no peer group and is compared with NRW and Germany.`,
  },
} as const;

export type Judgement = 'better' | 'worse' | 'higher' | 'lower' | 'rounding';

/** Counts of different-sized regions are not compared by difference (Kreis vs NRW). */
export const isCount = (ind: Indicator): boolean => ind.unit === 'Anzahl';

export function judge(ind: Indicator, ref: RefCell): Judgement | null {
  if (ref.difference === null || isCount(ind)) return null;
  if (!ref.beyondRounding) return 'rounding';
  const up = ref.difference > 0;
  if (ind.polarity === 'neutral') return up ? 'higher' : 'lower';
  return up === (ind.polarity === 'higher_is_better') ? 'better' : 'worse';
}

/** "a, b und c" / "a, b and c". */
function listOf(items: string[], and: string): string {
  const last = items[items.length - 1] ?? '';
  return items.length < 2 ? last : `${items.slice(0, -1).join(', ')} ${and} ${last}`;
}

/**
 * The position against the peer group in short sentences: how many indicators can be compared,
 * how many of those with a polarity are better, worse or level, how many neutral ones are higher
 * or lower, and for how many the peer group has no value. Counts (unit Anzahl) are not compared.
 */
export function peerSentence(lang: Lang, p: Profile): string {
  const t = W[lang];
  if (p.level === 'group') return t.groupPeer(p.name);
  if (!p.peer) return t.noPeer(p.name);
  const w = t.peerText;
  const rows = p.rows.filter((r) => !isCount(r.indicator) && r.value !== null);
  const judged = rows.flatMap((r) => {
    const j = r.refs.peer ? judge(r.indicator, r.refs.peer) : null;
    return j === null ? [] : [{ j, neutral: r.indicator.polarity === 'neutral' }];
  });
  const count = (neutral: boolean, j: Judgement) =>
    judged.filter((x) => x.neutral === neutral && x.j === j).length;
  const parts = (neutral: boolean): string[] =>
    (neutral
      ? ([
          ['higher', w.higher],
          ['lower', w.lower],
          ['rounding', w.same],
        ] as const)
      : ([
          ['better', w.better],
          ['worse', w.worse],
          ['rounding', w.same],
        ] as const)
    ).flatMap(([j, say]) => {
      const n = count(neutral, j);
      return n > 0 ? [say(n)] : [];
    });
  const rated = judged.filter((x) => !x.neutral).length;
  const neutral = judged.length - rated;
  const missing = rows.filter((r) => (r.refs.peer?.value ?? null) === null).length;
  return [
    w.compared(p.name, p.peer.name, judged.length),
    rated > 0 ? w.rated(p.name, rated, listOf(parts(false), w.and)) : '',
    neutral > 0 ? w.neutral(neutral, listOf(parts(true), w.and)) : '',
    missing > 0 && judged.length > 0 ? w.missing(missing) : '',
  ]
    .filter(Boolean)
    .join(' ');
}

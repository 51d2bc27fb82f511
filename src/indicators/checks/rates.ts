/**
 * Check 2, published-rate: a rate the statistical office publishes (Mindestsicherungsquote)
 * against the counts it is made of, allowing for its one decimal and the rounding of the counts.
 * Agreement shows that the recipient and population tables fit together and may be combined.
 */
import { parseDimsKey } from '../../domain/index.ts';
import type { ObservationRow } from '../../store/index.ts';
import { TOTAL_ITEM } from '../parts.ts';
import {
  fmt,
  RATE_TOLERANCE,
  regionLabel,
  signed,
  subjectOf,
  yearOf,
  type CheckData,
  type Finding,
} from './finding.ts';
import { partsOf } from './parts.ts';
import { roundingOf } from './rounding.ts';

/** A published rate and the counts it is made of (same year, dimensions at their total). */
export interface RateRule {
  rate: string;
  numerator: string;
  denominator: string;
  scale: number;
  label_de: string;
}
/** arbeitslosenquote is left out: its denominator (alle zivilen Erwerbspersonen) is not published. */
export const RATE_RULES: RateRule[] = [
  {
    rate: 'mindestsicherungsquote',
    numerator: 'mindestsicherung_empfaenger',
    denominator: 'bevoelkerung',
    scale: 100,
    label_de: 'Mindestsicherungsquote',
  },
];

const hasValue = (r: ObservationRow | undefined): r is ObservationRow & { value: number } =>
  r !== undefined && r.value !== null;

/** Each region's and year's total cell (every dimension at `insgesamt`) of one variable. */
function totalsOf(rows: ObservationRow[], variableId: string): Map<string, ObservationRow> {
  const out = new Map<string, ObservationRow>();
  for (const r of rows) {
    if (r.variableId !== variableId) continue;
    if (Object.values(parseDimsKey(r.dimsKey)).every((i) => i === TOTAL_ITEM)) {
      out.set(`${r.regionCode}|${yearOf(r.period)}`, r);
    }
  }
  return out;
}

type Tally = Record<string, number>;
const bump = (t: Tally, key: string, by = 1): void => {
  t[key] = (t[key] ?? 0) + by;
};

export function checkPublishedRate(data: CheckData): Finding[] {
  const out: Finding[] = [];
  for (const rule of RATE_RULES) {
    const numVar = data.variables.get(rule.numerator);
    const denVar = data.variables.get(rule.denominator);
    if (numVar === undefined || denVar === undefined) continue;
    const rowsOf = (id: string): ObservationRow[] => data.rows.filter((r) => r.variableId === id);
    const numErr = roundingOf(rowsOf(rule.numerator), numVar).errorOf;
    const denErr = roundingOf(rowsOf(rule.denominator), denVar).errorOf;
    const nums = totalsOf(data.rows, rule.numerator);
    const dens = totalsOf(data.rows, rule.denominator);
    const rates = totalsOf(data.rows, rule.rate);
    const tallies = new Map<number, Tally>();
    const tally = (year: number): Tally =>
      tallies.get(year) ?? tallies.set(year, {}).get(year) ?? {};
    for (const [key, rate] of rates) {
      const t = tally(yearOf(rate.period));
      const level = data.regions.get(rate.regionCode)?.level ?? 'gruppe';
      const n = nums.get(key);
      const d = dens.get(key);
      if (rate.value === null) bump(t, 'ohne_wert');
      else if (!hasValue(n) || !hasValue(d) || d.value === 0) {
        bump(t, 'nicht_pruefbar');
        bump(t, `nicht_pruefbar_${level}`);
      } else {
        const computed = (rule.scale * n.value) / d.value;
        // Rounded counts move the computed rate too (5er-Rundung of SGB XII recipients: ±2 each).
        const bound =
          RATE_TOLERANCE + (rule.scale * numErr(n) + computed * denErr(d)) / d.value + 1e-9;
        const agrees = Math.abs(computed - rate.value) <= bound;
        bump(t, agrees ? 'stimmt' : 'abweichend');
        bump(t, `${agrees ? 'stimmt' : 'abweichend'}_${level}`);
        if (!agrees) out.push(rateFinding(data, rule, rate, n, d, computed));
      }
    }
    // Gemeinden without a population of their own are checked together: the populations implied
    // by each Gemeinde's rate and recipients must add up to the Kreis population.
    for (const den of dens.values()) {
      const region = data.regions.get(den.regionCode);
      const year = yearOf(den.period);
      if (region?.level !== 'kreis' || den.value === null) continue;
      const parts = partsOf(data.regions, region, year);
      const pairs = parts.map((g) => [
        rates.get(`${g.code}|${year}`),
        nums.get(`${g.code}|${year}`),
      ]);
      if (parts.length === 0 || pairs.some(([q, n]) => !hasValue(q) || !hasValue(n))) {
        continue;
      }
      let lo = 0;
      let hi = 0;
      for (const [q, n] of pairs as [ObservationRow, ObservationRow][]) {
        const [qv, nv] = [q.value as number, n.value as number];
        lo += (rule.scale * (nv - numErr(n))) / (qv + RATE_TOLERANCE);
        hi +=
          qv > RATE_TOLERANCE ? (rule.scale * (nv + numErr(n))) / (qv - RATE_TOLERANCE) : Infinity;
      }
      const t = tally(year);
      const agrees = den.value >= lo - denErr(den) && den.value <= hi + denErr(den);
      bump(t, agrees ? 'indirekt_stimmt_kreise' : 'indirekt_abweichend_kreise');
      bump(t, agrees ? 'indirekt_stimmt_gemeinden' : 'indirekt_abweichend_gemeinden', parts.length);
      if (!agrees) out.push(impliedFinding(data, rule, den, parts.length, lo, hi));
    }
    for (const [year, t] of [...tallies].sort((x, y) => x[0] - y[0])) {
      out.push(rateSummary(rule, year, t));
    }
  }
  return out;
}

function rateFinding(
  data: CheckData,
  rule: RateRule,
  rate: ObservationRow,
  n: ObservationRow,
  d: ObservationRow,
  computed: number,
): Finding {
  const diff = computed - (rate.value as number);
  return {
    check: 'published-rate',
    severity: 'warning',
    subject: subjectOf(rule.rate, regionLabel(data.regions, rate.regionCode), rate.period),
    message_de: `Veröffentlichte ${rule.label_de} ${fmt(rate.value ?? 0, 1)} %, aus ${fmt(n.value ?? 0)} ${rule.numerator} / ${fmt(d.value ?? 0)} ${rule.denominator} berechnet ${fmt(computed, 2)} % (Differenz ${signed(diff, 2)} Prozentpunkte).`,
    explanation_de:
      'Die veröffentlichte Quote hat eine Nachkommastelle und ist daher auf ±0,05 genau; eine größere Abweichung heißt, dass Zähler oder Nenner nicht zur Quote passen (anderer Bevölkerungsstand oder Stichtag, berichtigte Empfängerzahlen, anderer Gebietsstand) oder ein Wert falsch importiert wurde.',
    fix_de: `Zeile in den Quelltabellen (${rate.tableCode}, ${n.tableCode}, ${d.tableCode}) vergleichen; im Bericht die veröffentlichte Quote verwenden und eine berechnete nur mit Hinweis.`,
    data: {
      region: rate.regionCode,
      period: rate.period,
      published: rate.value,
      computed,
      difference: diff,
      numerator: n.value,
      denominator: d.value,
    },
  };
}

function impliedFinding(
  data: CheckData,
  rule: RateRule,
  den: ObservationRow,
  gemeinden: number,
  lo: number,
  hi: number,
): Finding {
  return {
    check: 'published-rate',
    severity: 'warning',
    subject: subjectOf(rule.rate, regionLabel(data.regions, den.regionCode), den.period),
    message_de: `Aus ${rule.label_de} und ${rule.numerator} der ${gemeinden} Gemeinden folgen ${fmt(lo)} bis ${fmt(hi)} Einwohner, veröffentlicht sind ${fmt(den.value ?? 0)}.`,
    explanation_de:
      'Jede Gemeinde-Quote ist Empfänger / Einwohner × 100, auf eine Nachkommastelle gerundet; die daraus hergeleiteten Einwohnerzahlen müssen zusammen die Kreisbevölkerung ergeben. Tun sie es nicht, passen Quoten und Empfängerzahlen einer Gemeinde nicht zusammen (anderes Jahr, vertauschte Gemeinde, Importfehler).',
    fix_de: `Die Gemeindezeilen des Kreises in ${rule.rate} und ${rule.numerator} vergleichen (bimo observations --region ${den.regionCode}); Gemeindebevölkerung importieren, um jede Gemeinde einzeln zu prüfen.`,
    data: {
      region: den.regionCode,
      period: den.period,
      population: den.value,
      implied_min: lo,
      implied_max: hi,
      gemeinden,
    },
  };
}

function rateSummary(rule: RateRule, year: number, t: Tally): Finding {
  const c = (k: string): number => t[k] ?? 0;
  const checked = c('stimmt') + c('abweichend');
  const of = (level: string): string =>
    `${c(`stimmt_${level}`)} von ${c(`stimmt_${level}`) + c(`abweichend_${level}`)}`;
  const indirect = c('indirekt_stimmt_kreise') + c('indirekt_abweichend_kreise');
  return {
    check: 'published-rate',
    severity: 'info',
    subject: subjectOf(rule.rate, String(year)),
    message_de:
      `${rule.label_de} ${year}: ` +
      (checked === 0
        ? 'keine Quote einzeln prüfbar. '
        : `${c('stimmt')} von ${checked} prüfbaren Quoten stimmen mit ${rule.numerator} / ${rule.denominator} × ${rule.scale} überein (Kreise ${of('kreis')}, Gemeinden ${of('gemeinde')}). `) +
      (indirect > 0
        ? `Gemeinden ohne eigene Einwohnerzahl, gemeinsam je Kreis geprüft: ${c('indirekt_stimmt_kreise')} von ${indirect} Kreisen stimmig (${c('indirekt_stimmt_gemeinden')} Gemeinden). `
        : '') +
      `${c('nicht_pruefbar')} Quoten ohne ${rule.numerator} oder ${rule.denominator} desselben Jahres (davon ${c('nicht_pruefbar_gemeinde')} Gemeinden), ${c('ohne_wert')} ohne Wert (Sonderzeichen).`,
    explanation_de:
      'Stimmen Quote und Zählungen überein, passen Empfänger- und Bevölkerungstabelle zusammen und dürfen gemeinsam verwendet werden. Einzeln prüfbar ist eine Quote nur, wenn Empfänger und Einwohner derselben Region und desselben Jahres importiert sind.',
    fix_de:
      c('nicht_pruefbar') > 0
        ? `Für einzeln geprüfte Gemeinden ${rule.denominator} auf Gemeindeebene importieren (z. B. 12411-01-01-4 mit allen NRW-Gemeinden); Jahre ohne ${rule.numerator} nachladen.`
        : 'Nichts zu tun.',
    data: { rate: rule.rate, year, checked, ...t },
  };
}

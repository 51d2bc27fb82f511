/**
 * Data quality checks (`bimo check`, docs/checks.md): each check reads the stored observations or
 * indicator values of one release and reports findings that say what was found (with the numbers),
 * why it matters and what the monitoring staff should do. Checks only report; they change nothing.
 * Rounding (5er-Rundung) and CKM perturbation are allowed for, so only real discrepancies are
 * reported, not the noise the statistical offices add on purpose (domain.md §3.5–3.6).
 */
import {
  BimoError,
  FLAG_LABELS_DE,
  isNullSign,
  parseDimsKey,
  type Region,
  type Variable,
} from '../domain/index.ts';
import type { RegionRegistry } from '../regions/registry.ts';
import type { IndicatorValue, ObservationRow, Store } from '../store/index.ts';
import type { Catalog, Indicator } from './catalog.ts';
import { TOTAL_ITEM } from './parts.ts';

export interface Finding {
  /** Stable id, e.g. 'parts-vs-total'. */
  check: string;
  severity: 'error' | 'warning' | 'info';
  /** What it is about: variable/indicator id, region code + name, period, dims. */
  subject: string;
  /** German, one or two sentences: what was found, with the numbers. */
  message_de: string;
  /** Why this matters / what it likely means. */
  explanation_de: string;
  /** What the monitoring staff should do. */
  fix_de: string;
  /** The numbers behind it. */
  data: Record<string, number | string | null>;
}

/** Everything the checks read, loaded once: pure check functions can be tested on hand-made data. */
export interface CheckData {
  releaseId: number;
  regions: RegionRegistry;
  catalog: Catalog;
  variables: Map<string, Variable>;
  rows: ObservationRow[];
  /** Values per active indicator id (empty list: none computed). */
  values: Map<string, IndicatorValue[]>;
}

/** The seven Kreise of the Rheinisches Revier (domain.md §2.2). */
export const REVIER_KREISE = ['05116', '05162', '05334', '05358', '05362', '05366', '05370'];
/** Statistics perturbed by the Cell-Key-Methode: Bevölkerung, Hochschulen, Zensus 2022. */
export const CKM_STATISTICS = new Set(['12411', '21311', '1000A']);
/** A published rate with one decimal is exact to ±0.05 (half its last digit). */
export const RATE_TOLERANCE = 0.05;
/** Jumps: shares must move more than this many percentage points, other units this fraction. */
export const JUMP_SHARE_PP = 5;
export const JUMP_RELATIVE = 0.2;
/** An indicator is stale when its latest year lies more than this many years behind the newest. */
export const STALE_YEARS = 3;

const fmt = (n: number, d = 0): string =>
  new Intl.NumberFormat('de-DE', { maximumFractionDigits: d, minimumFractionDigits: d }).format(n);
const signed = (n: number, d = 0): string => `${n > 0 ? '+' : ''}${fmt(n, d)}`;
const yearOf = (period: string): number => Number(period.slice(0, 4));

/** `05358 Düren, Kreis` (group ids by their name). */
export function regionLabel(regions: RegionRegistry, code: string): string {
  const name = regions.get(code)?.name ?? regions.group(code)?.name;
  return name === undefined ? code : `${code} ${name}`;
}

/** Subject text: the parts joined by ' · ', an empty dims key left out. */
export function subjectOf(...parts: string[]): string {
  return parts.filter((p) => p !== '').join(' · ');
}

/** Loads one release and runs every check; the release defaults to the latest published one. */
export async function runChecks(input: {
  store: Store;
  regions: RegionRegistry;
  catalog: Catalog;
  releaseId?: number;
}): Promise<Finding[]> {
  const { store } = input;
  const releaseId = input.releaseId ?? (await store.latestPublishedRelease())?.id;
  if (releaseId === undefined || (await store.getRelease(releaseId)) === null) {
    throw new BimoError(
      'BIMO_E_NOT_FOUND',
      releaseId === undefined ? 'no published release to check' : `release ${releaseId} not found`,
      'Import data first (bimo import FILE, or bimo demo), or name a release listed by `bimo releases`.',
    );
  }
  const values = new Map<string, IndicatorValue[]>();
  for (const ind of input.catalog.indicators.filter((i) => i.status === 'active')) {
    values.set(ind.id, await store.queryIndicatorValues({ indicatorId: ind.id, releaseId }));
  }
  const data: CheckData = {
    releaseId,
    regions: input.regions,
    catalog: input.catalog,
    variables: new Map((await store.listVariables()).map((v) => [v.id, v])),
    rows: await store.queryObservations({ releaseId }),
    values,
  };
  return runAll(data);
}

/** Every check over loaded data, in the order the report prints them. */
export function runAll(data: CheckData): Finding[] {
  const out = [...checkPartsVsTotal(data), ...checkPublishedRate(data), ...checkFlagCounts(data)];
  if ([...data.values.values()].every((v) => v.length === 0)) {
    // Without computed values the indicator checks would report every indicator as empty.
    return [...out, noValuesFinding(data.releaseId)];
  }
  return [
    ...out,
    ...checkJumps(data),
    ...checkShareRange(data),
    ...checkRevierFlags(data),
    ...checkCoverage(data),
    ...checkSmallCounts(data),
  ];
}

function noValuesFinding(releaseId: number): Finding {
  return {
    check: 'coverage',
    severity: 'warning',
    subject: `Release ${releaseId}`,
    message_de: `Für Release ${releaseId} sind keine Indikatorwerte berechnet.`,
    explanation_de:
      'Indikatoren werden nur für das zuletzt veröffentlichte Release berechnet; Sprünge, Wertebereiche, Lücken und Geheimhaltung lassen sich ohne Werte nicht prüfen.',
    fix_de:
      'Release veröffentlichen (bimo releases publish N) oder bimo compute ausführen, dann erneut prüfen.',
    data: { release: releaseId },
  };
}

// ---------------------------------------------------------------------------------------------
// 1. parts-vs-total

/**
 * The rounding base a column's values show: 5 (or 3) when at least 10 non-zero values are all
 * multiples of it, 1 when not, null when there are too few values to tell. Ten exact counts are
 * all multiples of 5 by chance with probability 5^-10, so this finds rounding that a recipe did not
 * record (22811-05i: SGB XII and AsylbLG columns, 5er-Rundung of the Sozialhilfestatistik).
 */
export function inferBase(values: readonly number[]): number | null {
  const nonZero = values.filter((v) => v !== 0);
  if (nonZero.length < 10) return null;
  const multiple = (b: number): boolean => nonZero.every((v) => Number.isInteger(v) && v % b === 0);
  return multiple(5) ? 5 : multiple(3) ? 3 : 1;
}

/** Largest rounding error of each cell of one variable. */
interface Rounding {
  errorOf(row: ObservationRow): number;
  /** The base the values show (rounding per Land may differ: NRW 5, SH 3). */
  baseOf(row: ObservationRow): number;
  /** Extra tolerance for figures whose levels are rounded separately (Tsd. EUR). */
  relative: number;
}

const landOf = (code: string): string => (/^\d/.test(code) ? code.slice(0, 2) : code);

function roundingOf(rows: readonly ObservationRow[], variable: Variable): Rounding {
  let decimals = 0;
  const groups = new Map<string, number[]>();
  const column = (r: ObservationRow): string => `${r.tableCode}|${landOf(r.regionCode)}`;
  for (const r of rows) {
    if (r.value === null) continue;
    decimals = Math.max(decimals, Math.min((String(r.value).split('.')[1] ?? '').length, 3));
    for (const k of [column(r), `${column(r)}|${r.dimsKey}`]) {
      const list = groups.get(k) ?? [];
      list.push(r.value);
      groups.set(k, list);
    }
  }
  const inferred = new Map([...groups].map(([k, v]) => [k, inferBase(v)]));
  // Values in Tsd. and annual averages are rounded to whole units (±0.5), decimals to their last.
  const whole = variable.unit.startsWith('Tsd') || /durchschnitt/i.test(variable.label);
  const halfStep = decimals > 0 ? 0.5 * 10 ** -decimals : whole ? 0.5 : 0;
  const baseOf = (r: ObservationRow): number =>
    Math.max(
      r.roundingBase,
      inferred.get(`${column(r)}|${r.dimsKey}`) ?? inferred.get(column(r)) ?? 1,
    );
  return {
    baseOf,
    errorOf: (r) => Math.max(Math.floor(baseOf(r) / 2), halfStep),
    // National accounts and tax statistics compute each level on its own (the Bund even in Mio.).
    relative: variable.unit.startsWith('Tsd') ? 1e-6 : 0,
  };
}

/** The parts one level down: Länder of the Bund, Kreise of a Land, Gemeinden of a Kreis. */
function partsOf(regions: RegionRegistry, total: Region, year: number): Region[] {
  if (total.level === 'bund') return regions.atLevel('land', total.code, year);
  if (total.level === 'land') return regions.atLevel('kreis', total.code, year);
  if (total.level !== 'kreis') return [];
  const kids = regions.children(total.code, year).filter((r) => r.level === 'gemeinde');
  // A kreisfreie Stadt is its own only Gemeinde; Berlin's Bezirke are pseudo units, no parts.
  if (kids.every((k) => k.sameAs === total.code || !k.additive)) return [];
  return kids;
}

interface PartsCase {
  variable: Variable;
  total: ObservationRow;
  parts: ObservationRow[];
  sum: number;
  tolerance: number;
  rounding: Rounding;
  /** Parts that keep a breakdown item secret (`.`): their other cells may leave those cases out. */
  secret: { code: string; dims: string }[];
}

export function checkPartsVsTotal(data: CheckData): Finding[] {
  const byVariable = new Map<string, ObservationRow[]>();
  for (const r of data.rows) {
    if (!data.variables.get(r.variableId)?.additive) continue;
    const list = byVariable.get(r.variableId) ?? [];
    list.push(r);
    byVariable.set(r.variableId, list);
  }
  const out: Finding[] = [];
  for (const [variableId, rows] of byVariable) {
    const variable = data.variables.get(variableId) as Variable;
    const rounding = roundingOf(rows, variable);
    const cells = new Map(rows.map((r) => [`${r.regionCode}|${r.period}|${r.dimsKey}`, r]));
    const secrets = new Map<string, string>();
    for (const r of rows) {
      if (r.value === null && r.flag === '.') secrets.set(`${r.regionCode}|${r.period}`, r.dimsKey);
    }
    for (const total of rows) {
      const region = data.regions.get(total.regionCode);
      if (region === undefined || total.value === null) continue;
      const parts = partsOf(data.regions, region, yearOf(total.period));
      const got = parts.map((p) => cells.get(`${p.code}|${total.period}|${total.dimsKey}`));
      // `-` counts as 0 only where the recipe says it means "nothing" (as in compute.ts); other
      // signs and parts the file does not cover leave the sum unknown.
      const known = (g: ObservationRow | undefined): g is ObservationRow =>
        g !== undefined && (g.value !== null || (g.flag === '-' && variable.dashIsZero));
      if (parts.length === 0 || !got.every(known)) continue;
      const sum = got.reduce((s, p) => s + (p.value ?? 0), 0);
      const tolerance =
        got.reduce((s, p) => s + rounding.errorOf(p), rounding.errorOf(total)) +
        rounding.relative * Math.abs(total.value);
      if (Math.abs(sum - total.value) <= tolerance + 1e-9) continue;
      const secret = got.flatMap((p) => {
        const dims = secrets.get(`${p.regionCode}|${p.period}`);
        return dims === undefined ? [] : [{ code: p.regionCode, dims }];
      });
      const c = { variable, total, parts: got, sum, tolerance, rounding, secret };
      out.push(partsFinding(data, c));
    }
  }
  return out;
}

function partsFinding(data: CheckData, c: PartsCase): Finding {
  const { variable, total, parts, sum, tolerance } = c;
  const value = total.value as number;
  const diff = sum - value;
  const level = partLevelName(data, parts[0]?.regionCode ?? '');
  const d = Number.isInteger(value) && Number.isInteger(sum) ? 0 : 1;
  const recorded = Math.max(total.roundingBase, ...parts.map((p) => p.roundingBase));
  const shown = Math.max(c.rounding.baseOf(total), ...parts.map((p) => c.rounding.baseOf(p)));
  const why: string[] = [];
  if (CKM_STATISTICS.has(variable.statistic)) {
    why.push(
      'Die Statistik ist mit der Cell-Key-Methode (CKM) überlagert: jede Zelle trägt ein kleines, zufälliges, aber festes Rauschen, daher addieren sich Teile nicht genau zur Summe (unverändert ist nur die Einwohnerzahl insgesamt je Verwaltungseinheit).',
    );
  }
  if (shown > 1) {
    why.push(
      `Die Werte sind auf Vielfache von ${shown} gerundet${shown > recorded ? ' (an den Daten erkannt, im Rezept nicht hinterlegt)' : ''}; gerundete Teile müssen sich nicht zur gerundeten Summe addieren, die Abweichung ist aber größer als die Rundungstoleranz.`,
    );
  }
  if (c.secret.length > 0 && diff < 0) {
    const names = c.secret.slice(0, 3).map((s) => regionLabel(data.regions, s.code));
    why.push(
      `In ${c.secret.length} ${level} ist eine Teilmenge geheim („.“ bei ${c.secret[0]?.dims}: ${names.join(', ')}${c.secret.length > 3 ? ', …' : ''}); ihre übrigen Werte enthalten diese Fälle nicht, in der Summe der ${level} fehlen sie.`,
    );
  } else if (diff < 0) {
    why.push(
      'Die Teile sind kleiner als die Summe: die Summe enthält Fälle, die keinem Teil zugeordnet sind (z. B. „Wohnort außerhalb“, ohne Angabe), oder die Tabelle führt Teile, die das Regionenverzeichnis für dieses Jahr nicht kennt (anderer Gebietsstand; beim Import übersprungen).',
    );
  } else {
    why.push(
      'Die Teile sind größer als die Summe: Fälle werden in mehreren Teilen gezählt, oder Summe und Teile stammen aus verschiedenen Ständen der Statistik.',
    );
  }
  return {
    check: 'parts-vs-total',
    severity: 'warning',
    subject: subjectOf(
      variable.id,
      regionLabel(data.regions, total.regionCode),
      total.period,
      total.dimsKey,
    ),
    message_de: `Summe der ${parts.length} ${level} ${fmt(sum, d)} ≠ veröffentlichter Wert ${fmt(value, d)} (Differenz ${signed(diff, d)}, ${signed((100 * diff) / value, 2)} %; Rundungstoleranz ±${fmt(tolerance, 1)}; Tabelle ${total.tableCode}).`,
    explanation_de: why.join(' '),
    fix_de:
      'Für die Summe den veröffentlichten Wert verwenden (bimo tut das); Summen aus Teilen (z. B. für Regionen-Gruppen) mit Hinweis auf die Abweichung versehen. Fußnoten der Tabelle lesen; bleibt die Ursache offen, beim Statistischen Amt nachfragen.',
    data: {
      variable: variable.id,
      region: total.regionCode,
      period: total.period,
      dims: total.dimsKey,
      table: total.tableCode,
      total: value,
      sum_of_parts: sum,
      parts: parts.length,
      difference: diff,
      tolerance,
      rounding_base: shown,
    },
  };
}

function partLevelName(data: CheckData, code: string): string {
  const level = data.regions.get(code)?.level;
  return level === 'land' ? 'Länder' : level === 'kreis' ? 'Kreise' : 'Gemeinden';
}

// ---------------------------------------------------------------------------------------------
// 2. published-rate

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

export function checkPublishedRate(data: CheckData): Finding[] {
  const out: Finding[] = [];
  for (const rule of RATE_RULES) {
    const nums = totalsOf(data.rows, rule.numerator);
    const dens = totalsOf(data.rows, rule.denominator);
    const tally = new Map<number, Record<string, number>>();
    for (const [key, rate] of totalsOf(data.rows, rule.rate)) {
      const year = yearOf(rate.period);
      const level = data.regions.get(rate.regionCode)?.level ?? 'gruppe';
      const t = tally.get(year) ?? {};
      tally.set(year, t);
      const count = (what: string): void => {
        t[what] = (t[what] ?? 0) + 1;
        t[`${what}_${level}`] = (t[`${what}_${level}`] ?? 0) + 1;
      };
      const n = nums.get(key);
      const d = dens.get(key);
      if (rate.value === null) count('ohne_wert');
      else if (n?.value == null || d?.value == null || d.value === 0) count('nicht_pruefbar');
      else {
        const computed = (rule.scale * n.value) / d.value;
        // Rounded counts move the computed rate too (5er-Rundung of recipients: ±2 persons).
        const errN = Math.floor(n.roundingBase / 2);
        const errD = Math.floor(d.roundingBase / 2);
        const bound = RATE_TOLERANCE + (rule.scale * errN + computed * errD) / d.value;
        const diff = computed - rate.value;
        if (Math.abs(diff) <= bound + 1e-9) count('stimmt');
        else {
          count('abweichend');
          out.push(rateFinding(data, rule, rate, n, d, computed, diff));
        }
      }
    }
    for (const [year, t] of [...tally].sort((a, b) => a[0] - b[0])) {
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
  diff: number,
): Finding {
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

function rateSummary(rule: RateRule, year: number, t: Record<string, number>): Finding {
  const c = (k: string): number => t[k] ?? 0;
  const checked = c('stimmt') + c('abweichend');
  const gem = c('stimmt_gemeinde') + c('abweichend_gemeinde');
  return {
    check: 'published-rate',
    severity: 'info',
    subject: subjectOf(rule.rate, String(year)),
    message_de: `${rule.label_de} ${year}: ${c('stimmt')} von ${checked} prüfbaren Regionen stimmen mit ${rule.numerator} / ${rule.denominator} × ${rule.scale} überein (Kreise ${c('stimmt_kreis')} von ${c('stimmt_kreis') + c('abweichend_kreis')}, Gemeinden ${c('stimmt_gemeinde')} von ${gem}); ${c('nicht_pruefbar')} Quoten ohne Zähler oder Nenner (davon ${c('nicht_pruefbar_gemeinde')} Gemeinden), ${c('ohne_wert')} ohne Wert (Sonderzeichen).`,
    explanation_de:
      'Stimmen Quote und Zählungen überein, passen Empfänger- und Bevölkerungstabelle zusammen und dürfen gemeinsam verwendet werden. Nicht prüfbar ist eine Quote, wenn für Jahr und Region keine Empfänger- oder Bevölkerungszahl importiert ist.',
    fix_de:
      c('nicht_pruefbar') > 0
        ? `Für die nicht prüfbaren Regionen ${rule.numerator} und ${rule.denominator} desselben Jahres importieren (z. B. Bevölkerung der Gemeinden aus 12411-01-01-4 oder der Landesdatenbank NRW).`
        : 'Nichts zu tun.',
    data: { rate: rule.rate, year, checked, ...t },
  };
}

// ---------------------------------------------------------------------------------------------
// 3.–7. checks on indicator values

const active = (data: CheckData): Indicator[] =>
  data.catalog.indicators.filter((i) => i.status === 'active');
const valuesOf = (data: CheckData, id: string): IndicatorValue[] => data.values.get(id) ?? [];

/** `Schuljahr 2022/23` for school years, the year otherwise (indicator periods are years). */
function periodText(ind: Indicator, period: string): string {
  const y = yearOf(period);
  return ind.period_kind === 'schuljahr' ? `Schuljahr ${y - 1}/${String(y).slice(2)}` : period;
}

/** Kreise and above, and the fixed region groups (peer groups change with each computation). */
function atKreisOrAbove(data: CheckData, code: string): boolean {
  const level = data.regions.get(code)?.level;
  if (level !== undefined) return ['kreis', 'rb', 'land', 'bund'].includes(level);
  const kind = data.regions.group(code)?.kind;
  return kind !== undefined && kind !== 'peer';
}

export function checkJumps(data: CheckData): Finding[] {
  const out: Finding[] = [];
  for (const ind of active(data)) {
    if (ind.kind !== 'formula') continue;
    const series = new Map<string, IndicatorValue[]>();
    for (const v of valuesOf(data, ind.id)) {
      if (v.value === null || !atKreisOrAbove(data, v.regionCode)) continue;
      const key = `${v.regionCode}|${v.dimsKey}`;
      series.set(key, [...(series.get(key) ?? []), v]);
    }
    for (const list of series.values()) {
      list.sort((a, b) => yearOf(a.period) - yearOf(b.period));
      for (let i = 1; i < list.length; i++) {
        const a = list[i - 1] as IndicatorValue;
        const b = list[i] as IndicatorValue;
        if (yearOf(b.period) - yearOf(a.period) !== 1) continue;
        const f = jumpFinding(data, ind, a, b);
        if (f) out.push(f);
      }
    }
  }
  return out;
}

function jumpFinding(
  data: CheckData,
  ind: Indicator,
  a: IndicatorValue,
  b: IndicatorValue,
): Finding | null {
  const va = a.value as number;
  const vb = b.value as number;
  const delta = vb - va;
  const noise = a.errorBound + b.errorBound;
  const share = ind.unit === '%';
  const relative = va === 0 ? Infinity : delta / Math.abs(va);
  const jumped = share
    ? Math.abs(delta) > JUMP_SHARE_PP && Math.abs(delta) > noise
    : Math.abs(relative) > JUMP_RELATIVE && Math.abs(delta) > noise;
  if (!jumped) return null;
  const d = ind.decimals;
  const change = share
    ? `${signed(delta, d)} Prozentpunkte`
    : `${signed(delta, d)} ${ind.unit}, ${Number.isFinite(relative) ? signed(100 * relative, 0) : '+∞'} %`;
  return {
    check: 'jump',
    severity: 'warning',
    subject: subjectOf(
      `${ind.id} ${ind.title_de}`,
      regionLabel(data.regions, a.regionCode),
      `${periodText(ind, a.period)} → ${periodText(ind, b.period)}`,
      a.dimsKey,
    ),
    message_de: `${fmt(va, d)} → ${fmt(vb, d)} (${change}; Schwelle ${share ? `${JUMP_SHARE_PP} Prozentpunkte` : `${100 * JUMP_RELATIVE} %`}, Rundungsfehler höchstens ±${fmt(noise, d)}).`,
    explanation_de:
      'Ein so großer Sprung von einem Jahr zum nächsten kann eine echte Veränderung sein, aber auch eine Gebietsreform, eine geänderte Abgrenzung (z. B. die neuen KMK-Abschlussbezeichnungen ab 2024 in 21111-02-06-4-B, Schulortprinzip vs. Wohnort), ein Wechsel der Quelltabelle oder ein Daten- oder Importfehler.',
    fix_de:
      'Beide Jahre in den Quelltabellen nachsehen (bimo observations --region CODE); bei Definitionsänderung einen Zeitreihenbruch im Bericht vermerken, bei echter Veränderung kommentieren.',
    data: {
      indicator: ind.id,
      region: a.regionCode,
      dims: a.dimsKey,
      from_period: a.period,
      to_period: b.period,
      from: va,
      to: vb,
      change: delta,
      error_bound: noise,
    },
  };
}

/** A share: '%' of a count among counts (`100 * a / b`), or a published rate that is not a change. */
export function isShare(ind: Indicator): boolean {
  if (ind.kind !== 'formula' || ind.unit !== '%') return false;
  if (ind.expr.kind === 'ref') return !/veränderung|entwicklung/i.test(ind.title_de);
  const r = ind.ratio;
  return r !== null && r.scale === 100 && r.numerator.kind === 'ref' && r.denominator.kind === 'ref';
}

export function checkShareRange(data: CheckData): Finding[] {
  const out: Finding[] = [];
  for (const ind of active(data).filter(isShare)) {
    for (const v of valuesOf(data, ind.id)) {
      if (v.value === null || (v.value >= 0 && v.value <= 100)) continue;
      const beyond = v.value < 0 ? -v.value : v.value - 100;
      const rounding = beyond <= v.errorBound + 1e-9;
      const counts =
        v.numerator !== null && v.denominator !== null
          ? ` (Zähler ${fmt(v.numerator)} ${v.numerator > v.denominator ? '>' : '≤'} Nenner ${fmt(v.denominator)})`
          : '';
      out.push({
        check: 'share-range',
        severity: rounding ? 'warning' : 'error',
        subject: subjectOf(
          `${ind.id} ${ind.title_de}`,
          regionLabel(data.regions, v.regionCode),
          periodText(ind, v.period),
          v.dimsKey,
        ),
        message_de: `Anteil ${fmt(v.value, ind.decimals)} % liegt außerhalb von 0–100 %${counts}; Rundungsfehler höchstens ±${fmt(v.errorBound, ind.decimals)}.`,
        explanation_de: rounding
          ? 'Zähler und Nenner sind gerundet (NRW: 5er-Rundung), daher kann ein Anteil knapp über 100 % liegen, obwohl die wahren Zahlen passen.'
          : 'Das ist mit Rundung nicht erklärbar: Zähler und Nenner zählen nicht dieselbe Gesamtheit (andere Tabelle, anderer Stichtag oder Gebietsstand) oder die Formel bzw. die Rezeptzuordnung ist falsch.',
        fix_de: rounding
          ? 'Im Bericht als „rund 100 %“ ausweisen oder auf 100 % begrenzen und die Rundung nennen.'
          : `Formel von ${ind.id} (${ind.file}) und die Zuordnung der Merkmale im Rezept prüfen, dann bimo compute erneut ausführen.`,
        data: {
          indicator: ind.id,
          region: v.regionCode,
          period: v.period,
          dims: v.dimsKey,
          value: v.value,
          numerator: v.numerator,
          denominator: v.denominator,
          error_bound: v.errorBound,
        },
      });
    }
  }
  return out;
}

/** Per source table: how many cells carry which special sign. */
export function checkFlagCounts(data: CheckData): Finding[] {
  const tables = new Map<string, { cells: number; signs: Map<string, number> }>();
  for (const r of data.rows) {
    const t = tables.get(r.tableCode) ?? { cells: 0, signs: new Map<string, number>() };
    tables.set(r.tableCode, t);
    t.cells++;
    if (r.flag !== null) t.signs.set(r.flag, (t.signs.get(r.flag) ?? 0) + 1);
  }
  const out: Finding[] = [];
  for (const [table, t] of [...tables].sort((a, b) => a[0].localeCompare(b[0]))) {
    if (t.signs.size === 0) continue;
    const signs = [...t.signs].sort((a, b) => b[1] - a[1]);
    const flagged = signs.reduce((s, [, n]) => s + n, 0);
    out.push({
      check: 'flags',
      severity: 'info',
      subject: `Tabelle ${table}`,
      message_de: `${fmt(flagged)} von ${fmt(t.cells)} Zellen tragen ein Sonderzeichen: ${signs.map(([f, n]) => `„${f}“ ${fmt(n)}×`).join(', ')}.`,
      explanation_de: signs
        .map(([f]) => `„${f}“ = ${FLAG_LABELS_DE[f as keyof typeof FLAG_LABELS_DE] ?? f}`)
        .join('; '),
      fix_de:
        'Nichts zu tun, solange die Zeichen erwartet sind; Werte mit „.“, „x“ oder „/“ fehlen in Indikatoren und Karten.',
      data: { table, cells: t.cells, flagged, ...Object.fromEntries(signs) },
    });
  }
  return out;
}

/** A Revier Kreis whose value in an indicator's latest period is a sign instead of a number. */
export function checkRevierFlags(data: CheckData): Finding[] {
  const out: Finding[] = [];
  for (const ind of active(data)) {
    const values = valuesOf(data, ind.id);
    const latest = values.reduce((m, v) => (v.period > m ? v.period : m), '');
    for (const v of values) {
      if (v.period !== latest || !REVIER_KREISE.includes(v.regionCode)) continue;
      if (v.value !== null || !isNullSign(v.flag)) continue;
      out.push({
        check: 'flags',
        severity: 'warning',
        subject: subjectOf(
          `${ind.id} ${ind.title_de}`,
          regionLabel(data.regions, v.regionCode),
          periodText(ind, v.period),
          v.dimsKey,
        ),
        message_de: `Kein Wert im neuesten Zeitraum: Sonderzeichen „${v.flag}“ (${FLAG_LABELS_DE[v.flag]}).`,
        explanation_de:
          'Der Bericht für das Rheinische Revier wird diesen Kreis hier ohne Zahl zeigen; auch die Revier-Summe fehlt, wenn sie auf diesem Wert aufbaut.',
        fix_de:
          'Im Bericht die Lücke erklären (Zeichenerklärung) oder auf das Vorjahr bzw. eine höhere Ebene ausweichen; bei „.“ beim Statistischen Amt eine Sonderauswertung anfragen.',
        data: { indicator: ind.id, region: v.regionCode, period: v.period, dims: v.dimsKey, flag: v.flag },
      });
    }
  }
  return out;
}

export function checkCoverage(data: CheckData): Finding[] {
  const latest = new Map<string, number>();
  for (const ind of active(data)) {
    const years = valuesOf(data, ind.id).map((v) => yearOf(v.period));
    if (years.length > 0) latest.set(ind.id, Math.max(...years));
  }
  const newest = Math.max(...latest.values());
  const out: Finding[] = [];
  for (const ind of active(data)) {
    const year = latest.get(ind.id);
    const subject = `${ind.id} ${ind.title_de}`;
    if (year === undefined) {
      out.push({
        check: 'coverage',
        severity: 'warning',
        subject,
        message_de: `Aktiver Indikator ohne einen einzigen Wert (Quellen: ${ind.sources.join(', ')}).`,
        explanation_de:
          'Portal und Bericht zeigen „noch keine Daten“. Meist fehlen die Tabelle oder die Jahre, die die Formel liest (z. B. das Vorjahr bei @-1 oder das Basisjahr bei @-5).',
        fix_de: `Die Quelltabelle(n) mit allen benötigten Jahren importieren (bimo fetch/import) oder den Indikator auf status: planned setzen (${ind.file}).`,
        data: { indicator: ind.id, sources: ind.sources.join(', ') },
      });
    } else if (newest - year > STALE_YEARS) {
      out.push({
        check: 'coverage',
        severity: 'warning',
        subject,
        message_de: `Neuester Wert aus ${year}, ${newest - year} Jahre älter als die neuesten Daten (${newest}).`,
        explanation_de: `Mehr als ${STALE_YEARS} Jahre alte Werte beschreiben die Lage womöglich nicht mehr; Vergleiche mit aktuellen Indikatoren werden schief.`,
        fix_de: `Prüfen, ob ${ind.sources.join(', ')} neuere Jahre hat, und nachladen; sonst das Datenjahr im Bericht deutlich nennen.`,
        data: { indicator: ind.id, latest_year: year, newest_year: newest },
      });
    }
  }
  return out;
}

export function checkSmallCounts(data: CheckData): Finding[] {
  const min = data.catalog.disclosure.public.minCount;
  const out: Finding[] = [];
  for (const ind of active(data)) {
    const values = valuesOf(data, ind.id);
    const primary = values.filter((v) => v.suppressed?.public === 'primary').length;
    const secondary = values.filter((v) => v.suppressed?.public === 'secondary').length;
    if (primary + secondary === 0) continue;
    out.push({
      check: 'small-counts',
      severity: 'info',
      subject: `${ind.id} ${ind.title_de}`,
      message_de: `Die Öffentlichkeit sieht ${fmt(primary + secondary)} von ${fmt(values.length)} Werten nicht: ${fmt(primary)} primär (Zähler oder Nenner 1 bis ${min - 1}), ${fmt(secondary)} sekundär gesperrt.`,
      explanation_de:
        'Kleine Fallzahlen werden zum Schutz Einzelner gesperrt, sekundär auch Werte, aus denen sich ein gesperrter zurückrechnen ließe (catalog/disclosure.yaml); Mitglieder des Lenkungskreises sehen sie.',
      fix_de:
        'Vor der Veröffentlichung prüfen, ob wichtige Regionen betroffen sind; ggf. Jahre oder Regionen zusammenfassen.',
      data: { indicator: ind.id, values: values.length, primary, secondary, min_count: min },
    });
  }
  return out;
}

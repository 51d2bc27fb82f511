/**
 * Check 1, parts-vs-total: a published total (Bund, Land, Kreis) against the sum of its parts one
 * level down. Differences beyond rounding are explained where the data allow (CKM noise, a secret
 * item of a part, cases without a part) so the staff know whether to correct or just to note them.
 */
import { parseDimsKey, type Region, type Variable } from '../../domain/index.ts';
import type { RegionRegistry } from '../../regions/registry.ts';
import type { ObservationRow } from '../../store/index.ts';
import { TOTAL_ITEM } from '../parts.ts';
import {
  CKM_STATISTICS,
  fmt,
  regionLabel,
  signed,
  subjectOf,
  yearOf,
  type CheckData,
  type Finding,
} from './finding.ts';
import { roundingOf, type Rounding } from './rounding.ts';

/** The parts one level down: Länder of the Bund, Kreise of a Land, Gemeinden of a Kreis. */
export function partsOf(regions: RegionRegistry, total: Region, year: number): Region[] {
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
  /** The secret item's total minus its published parts: the cases the secret cells hold. */
  hidden: number | null;
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
    const secrets = new Map<string, string[]>();
    for (const r of rows) {
      if (r.value !== null || r.flag !== '.') continue;
      const key = `${r.regionCode}|${r.period}`;
      secrets.set(key, [...(secrets.get(key) ?? []), r.dimsKey]);
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
      const secret = got.flatMap((p) =>
        (secrets.get(`${p.regionCode}|${p.period}`) ?? [])
          .filter((dims) => refines(dims, total.dimsKey))
          .slice(0, 1)
          .map((dims) => ({ code: p.regionCode, dims })),
      );
      const hidden = hiddenCount(cells, total, parts, secret[0]?.dims);
      const c = { variable, total, parts: got, sum, tolerance, rounding, secret, hidden };
      out.push(partsFinding(data, c));
    }
  }
  // The largest relative differences first; CKM noise (info) after the unexplained ones.
  const weight = (f: Finding): number =>
    (f.severity === 'info' ? 1 : 0) - Math.abs(Number(f.data.relative_difference)) / 1000;
  return out.sort((a, b) => weight(a) - weight(b));
}

/** The secret item's total minus the sum of its published parts (null if that is unknown). */
function hiddenCount(
  cells: Map<string, ObservationRow>,
  total: ObservationRow,
  parts: Region[],
  dims: string | undefined,
): number | null {
  if (dims === undefined) return null;
  const key = (code: string): string => `${code}|${total.period}|${dims}`;
  const whole = cells.get(key(total.regionCode))?.value ?? null;
  if (whole === null) return null;
  return parts.reduce((h, p) => h - (cells.get(key(p.code))?.value ?? 0), whole);
}

/** Whether cell `dims` is an item of cell `of` (differs only where `of` has `insgesamt`). */
export function refines(dims: string, of: string): boolean {
  const a = parseDimsKey(dims);
  const b = parseDimsKey(of);
  const differ = Object.keys(b).filter((d) => a[d] !== b[d]);
  return differ.length > 0 && differ.every((d) => b[d] === TOTAL_ITEM && a[d] !== undefined);
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
  const ckm = CKM_STATISTICS.has(variable.statistic);
  if (ckm) {
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
    const explained =
      c.hidden !== null && Math.abs(c.hidden + diff) <= tolerance + 1e-9
        ? ` Die geheimen Fälle (${c.secret[0]?.dims} der Gesamtregion minus die veröffentlichten Teile = ${fmt(c.hidden)}) erklären die Differenz: die Insgesamt-Werte dieser ${level} enthalten sie nicht.`
        : ' Fehlen diese Fälle auch in ihren übrigen Werten, erklärt das einen Teil der Differenz.';
    why.push(
      `In ${c.secret.length} ${level} ist eine Teilmenge geheim („.“ bei ${c.secret[0]?.dims}: ${names.join(', ')}${c.secret.length > 3 ? ', …' : ''}).${explained}`,
    );
  } else if (ckm) {
    // The perturbation is the explanation; no further cause to suggest.
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
    // CKM noise is there by design: worth knowing, nothing to correct.
    severity: ckm ? 'info' : 'warning',
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
      relative_difference: diff / value,
      tolerance,
      rounding_base: shown,
    },
  };
}

function partLevelName(data: CheckData, code: string): string {
  const level = data.regions.get(code)?.level;
  return level === 'land' ? 'Länder' : level === 'kreis' ? 'Kreise' : 'Gemeinden';
}

/**
 * Special signs (`.`, `x`, `-`, …): how many cells of each source table carry which, and Revier
 * Kreise left without a number in an indicator's latest period, where the report will show a gap.
 */
import { FLAG_LABELS_DE } from '../../domain/index.ts';
import {
  active,
  fmt,
  MISSING_SIGNS,
  periodText,
  regionLabel,
  REVIER_KREISE,
  subjectOf,
  valuesOf,
  type CheckData,
  type Finding,
} from './finding.ts';

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
      if (v.value !== null || v.flag === null || !MISSING_SIGNS.includes(v.flag)) continue;
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
        data: {
          indicator: ind.id,
          region: v.regionCode,
          period: v.period,
          dims: v.dimsKey,
          flag: v.flag,
        },
      });
    }
  }
  return out;
}

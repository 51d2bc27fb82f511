/**
 * Checks on indicator values: shares outside 0–100 % (share-range), active indicators without
 * values or with stale ones (coverage), and what disclosure control hides from the public
 * (small-counts): what the portal and the report will show, before they are published.
 */
import type { Indicator } from '../catalog.ts';
import {
  active,
  fmt,
  periodText,
  regionLabel,
  REVIER_KREISE,
  STALE_YEARS,
  subjectOf,
  valuesOf,
  yearOf,
  type CheckData,
  type Finding,
} from './finding.ts';

/** A share: '%' of a count among counts (`100 * a / b`), or a published rate that is not a change. */
export function isShare(ind: Indicator): boolean {
  if (ind.kind !== 'formula' || ind.unit !== '%') return false;
  if (ind.expr.kind === 'ref') return !/veränderung|entwicklung/i.test(ind.title_de);
  const r = ind.ratio;
  return (
    r !== null && r.scale === 100 && r.numerator.kind === 'ref' && r.denominator.kind === 'ref'
  );
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

export function checkCoverage(data: CheckData): Finding[] {
  const latest = new Map<string, number>();
  for (const ind of active(data)) {
    const years = valuesOf(data, ind.id).map((v) => yearOf(v.period));
    if (years.length > 0) latest.set(ind.id, Math.max(...years));
  }
  const newest = Math.max(...latest.values());
  const years = new Map<string, Set<number>>();
  for (const r of data.rows) {
    years.set(r.variableId, (years.get(r.variableId) ?? new Set<number>()).add(yearOf(r.period)));
  }
  // What the formula reads and which years the data have: shows the missing year at a glance.
  const reads = (ind: Indicator): string =>
    ind.kind === 'gap'
      ? `Basisindikator ${ind.of}`
      : [...new Set(ind.refs.map((r) => r.variable))]
          .map((v) => {
            const shifts = ind.refs.filter((r) => r.variable === v && r.shift !== null);
            const at = shifts.map((r) =>
              r.shift?.kind === 'relative' ? `@${r.shift.years}` : `@${r.shift?.year}`,
            );
            const have = [...(years.get(v) ?? [])].sort().join(', ') || 'keine';
            return `${v}${at.length > 0 ? ` (auch ${[...new Set(at)].join(', ')})` : ''}: Jahre ${have}`;
          })
          .join('; ');
  const out: Finding[] = [];
  for (const ind of active(data)) {
    const year = latest.get(ind.id);
    const subject = `${ind.id} ${ind.title_de}`;
    if (year === undefined) {
      out.push({
        check: 'coverage',
        severity: 'warning',
        subject,
        message_de: `Aktiver Indikator ohne einen einzigen Wert. Gelesen wird ${reads(ind)}.`,
        explanation_de:
          'Portal und Bericht zeigen „noch keine Daten“. Ein Wert entsteht nur, wenn jede Variable der Formel im nötigen Jahr (@-1: Vorjahr, @-5: fünf Jahre davor) mit den genannten Merkmalsausprägungen (z. B. Einzelaltersjahre) vorliegt.',
        fix_de: `Die Quelltabelle(n) mit allen benötigten Jahren importieren (bimo fetch/import) oder den Indikator auf status: planned setzen (${ind.file}).`,
        data: { indicator: ind.id, sources: ind.sources.join(', '), reads: reads(ind) },
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
    const hidden = values.filter((v) => v.suppressed?.public !== undefined);
    const primary = hidden.filter((v) => v.suppressed?.public === 'primary').length;
    const secondary = hidden.length - primary;
    if (hidden.length === 0) continue;
    const latestPeriod = values.reduce((m, v) => (v.period > m ? v.period : m), '');
    const latest = hidden.filter((v) => v.period === latestPeriod).length;
    const revier = hidden.filter(
      (v) => v.period === latestPeriod && REVIER_KREISE.includes(v.regionCode),
    );
    out.push({
      check: 'small-counts',
      severity: 'info',
      subject: `${ind.id} ${ind.title_de}`,
      message_de: `Die Öffentlichkeit sieht ${fmt(hidden.length)} von ${fmt(values.length)} Werten nicht: ${fmt(primary)} primär (Zähler oder Nenner 1 bis ${min - 1}), ${fmt(secondary)} sekundär gesperrt; im neuesten Zeitraum ${periodText(ind, latestPeriod)} ${fmt(latest)}, davon ${revier.length} in Kreisen des Reviers${revier.length > 0 ? ` (${[...new Set(revier.map((v) => v.regionCode))].join(', ')})` : ''}.`,
      explanation_de:
        'Kleine Fallzahlen werden zum Schutz Einzelner gesperrt, sekundär auch Werte, aus denen sich ein gesperrter zurückrechnen ließe (catalog/disclosure.yaml); Mitglieder des Lenkungskreises sehen sie.',
      fix_de:
        'Vor der Veröffentlichung prüfen, ob wichtige Regionen betroffen sind; ggf. Jahre oder Regionen zusammenfassen.',
      data: {
        indicator: ind.id,
        values: values.length,
        primary,
        secondary,
        latest_period: latestPeriod,
        latest_suppressed: latest,
        revier_suppressed: revier.length,
        min_count: min,
      },
    });
  }
  return out;
}

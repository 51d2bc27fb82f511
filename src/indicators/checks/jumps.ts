/**
 * Check 3, jump: an indicator total that moves more from one year to the next than rounding and
 * the thresholds allow, at Kreis level and above. A jump is often a change of table or definition
 * rather than a real development, so the finding names the source tables and how many regions jump.
 */
import type { IndicatorValue } from '../../store/index.ts';
import type { Indicator } from '../catalog.ts';
import {
  active,
  fmt,
  JUMP_RELATIVE,
  JUMP_SHARE_PP,
  periodText,
  regionLabel,
  signed,
  subjectOf,
  valuesOf,
  yearOf,
  type CheckData,
  type Finding,
} from './finding.ts';

/** Kreise and above, and the fixed region groups (peer groups change with each computation). */
function atKreisOrAbove(data: CheckData, code: string): boolean {
  const level = data.regions.get(code)?.level;
  if (level !== undefined) return ['kreis', 'rb', 'land', 'bund'].includes(level);
  const kind = data.regions.group(code)?.kind;
  return kind !== undefined && kind !== 'peer';
}

export function checkJumps(data: CheckData): Finding[] {
  // Which tables fed each variable and year: a jump across a change of table is suspicious.
  const tables = new Map<string, Set<string>>();
  for (const r of data.rows) {
    const key = `${r.variableId}|${yearOf(r.period)}`;
    tables.set(key, (tables.get(key) ?? new Set<string>()).add(r.tableCode));
  }
  const out: Finding[] = [];
  for (const ind of active(data)) {
    if (ind.kind !== 'formula') continue;
    const sourcesIn = (period: string): string =>
      [
        ...new Set(
          ind.refs.flatMap((r) => [...(tables.get(`${r.variable}|${yearOf(period)}`) ?? [])]),
        ),
      ]
        .sort()
        .join(', ');
    const series = new Map<string, IndicatorValue[]>();
    for (const v of valuesOf(data, ind.id)) {
      // Totals only: breakdown items of small Kreise swing by chance, the total leads the report.
      if (v.value === null || v.dimsKey !== '' || !atKreisOrAbove(data, v.regionCode)) continue;
      series.set(v.regionCode, [...(series.get(v.regionCode) ?? []), v]);
    }
    const pairs: [IndicatorValue, IndicatorValue][] = [];
    for (const list of series.values()) {
      list.sort((x, y) => yearOf(x.period) - yearOf(y.period));
      list.forEach((b, i) => {
        const a = list[i - 1];
        if (a !== undefined && yearOf(b.period) - yearOf(a.period) === 1) pairs.push([a, b]);
      });
    }
    const jumps = pairs.filter(([a, b]) => jumped(ind, a, b));
    for (const [a, b] of jumps) {
      const compared = pairs.filter(([x]) => x.period === a.period).length;
      const jumping = jumps.filter(([x]) => x.period === a.period).length;
      const from = sourcesIn(a.period);
      const to = sourcesIn(b.period);
      out.push(jumpFinding(data, ind, a, b, { from, to, compared, jumping }));
    }
  }
  return out;
}

function jumped(ind: Indicator, a: IndicatorValue, b: IndicatorValue): boolean {
  const delta = (b.value as number) - (a.value as number);
  if (Math.abs(delta) <= a.errorBound + b.errorBound) return false;
  if (ind.unit === '%') return Math.abs(delta) > JUMP_SHARE_PP;
  return a.value === 0 || Math.abs(delta / (a.value as number)) > JUMP_RELATIVE;
}

function jumpFinding(
  data: CheckData,
  ind: Indicator,
  a: IndicatorValue,
  b: IndicatorValue,
  ctx: { from: string; to: string; compared: number; jumping: number },
): Finding {
  const [va, vb] = [a.value as number, b.value as number];
  const delta = vb - va;
  const d = ind.decimals;
  const share = ind.unit === '%';
  const change = share
    ? `${signed(delta, d)} Prozentpunkte`
    : `${signed(delta, d)} ${ind.unit}, ${va === 0 ? '+∞' : signed((100 * delta) / Math.abs(va), 0)} %`;
  const why = [
    ctx.from !== ctx.to
      ? `Die beiden Jahre stammen aus verschiedenen Tabellen (${a.period}: ${ctx.from}; ${b.period}: ${ctx.to}); ein Tabellenwechsel bringt oft eine neue Abgrenzung mit (z. B. die neuen KMK-Abschlussbezeichnungen ab 2024 in 21111-02-06-4-B).`
      : '',
    ctx.jumping > 1
      ? `${ctx.jumping} von ${ctx.compared} Regionen springen in diesem Jahr so stark – eher eine Änderung der Statistik als eine örtliche Entwicklung.`
      : '',
    'Ein Sprung kann eine echte Veränderung sein, aber auch eine Gebietsreform, eine geänderte Definition oder ein Daten- oder Importfehler.',
  ];
  return {
    check: 'jump',
    severity: 'warning',
    subject: subjectOf(
      `${ind.id} ${ind.title_de}`,
      regionLabel(data.regions, a.regionCode),
      `${periodText(ind, a.period)} → ${periodText(ind, b.period)}`,
    ),
    message_de: `${fmt(va, d)} → ${fmt(vb, d)} ${share ? '%' : ind.unit} (${change}; Schwelle ${share ? `${JUMP_SHARE_PP} Prozentpunkte` : `${100 * JUMP_RELATIVE} %`}, Rundungsfehler zusammen höchstens ±${fmt(a.errorBound + b.errorBound, d)}).`,
    explanation_de: why.filter((w) => w !== '').join(' '),
    fix_de:
      'Beide Jahre in den Quelltabellen nachsehen (bimo observations --region CODE); bei geänderter Definition einen Zeitreihenbruch im Bericht vermerken, bei echter Veränderung sie kommentieren.',
    data: {
      indicator: ind.id,
      region: a.regionCode,
      from_period: a.period,
      to_period: b.period,
      from: va,
      to: vb,
      change: delta,
      error_bound: a.errorBound + b.errorBound,
      from_tables: ctx.from,
      to_tables: ctx.to,
      regions_jumping: ctx.jumping,
      regions_compared: ctx.compared,
    },
  };
}

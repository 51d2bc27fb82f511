/**
 * Crosswalks for territorial changes (src/regions/crosswalks.yaml): a series read on today's
 * Gebietsstand gets, for each period that ended before a change, the value of the new unit as
 * the weighted sum of its former units — the 2009 Aachen reform makes 05334 = 05313 + 05354.
 * Rules (domain.md §2.5): only additive counts are summed (rates are recomputed from summed
 * numerators and denominators later); an official value of the new unit always wins over the
 * sum (the Regionaldatenbank sometimes delivers both: summing would double count); a sum needs
 * every part; a `-` of a part counts as 0 only where the variable says so.
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { BimoError, strongestFlag, type Observation } from '../domain/index.ts';

const crosswalkSchema = z.array(
  z.object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    label: z.string().min(1),
    effective: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    source: z.string().min(1),
    parts: z
      .array(
        z.object({
          from: z.string().regex(/^\d{2,8}$/),
          to: z.string().regex(/^\d{2,8}$/),
          weight: z.number().positive().max(1),
        }),
      )
      .min(1),
  }),
);

export type Crosswalk = z.infer<typeof crosswalkSchema>[number];

const FILE = new URL('./crosswalks.yaml', import.meta.url);

export function loadCrosswalks(): Crosswalk[] {
  const result = crosswalkSchema.safeParse(parseYaml(readFileSync(FILE, 'utf8')));
  if (!result.success) {
    const first = result.error.issues[0];
    throw new BimoError(
      'BIMO_E_CATALOG',
      `src/regions/crosswalks.yaml: field ${first?.path.join('.') ?? '?'}: ${first?.message ?? 'invalid'}`,
      'Correct the crosswalk entry (id, label, effective date YYYY-MM-DD, source, parts).',
    );
  }
  return result.data;
}

/** Last day a period covers: `2008` → 2008-12-31, `2008-12-31` itself, `2008-10P6M` → 2009-03-31. */
export function periodEnd(period: string): string {
  if (/^\d{4}$/.test(period)) return `${period}-12-31`;
  const m = /^(\d{4})-(\d{2})P(\d+)M$/.exec(period);
  if (m) {
    const end = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1 + Number(m[3]), 0));
    return end.toISOString().slice(0, 10);
  }
  return period;
}

export type CrosswalkRow = Pick<
  Observation,
  'variableId' | 'regionCode' | 'period' | 'dimsKey' | 'value' | 'flag'
>;

export interface HarmonisedRow extends CrosswalkRow {
  /** `crosswalk aachen-2009: 05313 + 05354`. */
  method: string;
  parts: string[];
}

export interface HarmoniseResult {
  rows: HarmonisedRow[];
  /** Why a target cell was not made up (a missing part, a non-additive variable), once each. */
  notes: string[];
}

/**
 * The values the crosswalks add to `rows` (which must hold the parts): one per target unit,
 * variable, period before the change and breakdown, unless the target has its own value there.
 */
export function harmonise(
  rows: readonly CrosswalkRow[],
  crosswalks: readonly Crosswalk[],
  variables: (id: string) => { additive: boolean; dashIsZero: boolean } | undefined,
): HarmoniseResult {
  const out: HarmonisedRow[] = [];
  const notes = new Set<string>();
  const cellKey = (r: CrosswalkRow, region: string): string =>
    `${r.variableId}|${region}|${r.period}|${r.dimsKey}`;
  const byCell = new Map(rows.map((r) => [cellKey(r, r.regionCode), r]));
  for (const cw of crosswalks) {
    const targets = new Map<string, Crosswalk['parts']>();
    for (const p of cw.parts) targets.set(p.to, [...(targets.get(p.to) ?? []), p]);
    for (const [to, parts] of targets) {
      const fromCodes = new Set(parts.map((p) => p.from));
      const done = new Set<string>();
      for (const r of rows) {
        if (!fromCodes.has(r.regionCode) || periodEnd(r.period) >= cw.effective) continue;
        const target = cellKey(r, to);
        if (done.has(target) || byCell.has(target)) continue;
        done.add(target);
        const v = variables(r.variableId);
        if (!v?.additive) {
          notes.add(
            `${r.variableId}: not summed over ${[...fromCodes].join(' + ')} (not an additive count)`,
          );
          continue;
        }
        const found = parts.map((p) => ({ p, row: byCell.get(cellKey(r, p.from)) }));
        const missing = found.filter((f) => !f.row).map((f) => f.p.from);
        if (missing.length > 0) {
          notes.add(
            `${r.variableId} ${r.period}: ${to} not made up, no value for ${missing.join(', ')}`,
          );
          continue;
        }
        let sum: number | null = 0;
        for (const { p, row } of found) {
          const value = row?.value ?? (row?.flag === '-' && v.dashIsZero ? 0 : null);
          sum = sum === null || value === null ? null : sum + value * p.weight;
        }
        out.push({
          variableId: r.variableId,
          regionCode: to,
          period: r.period,
          dimsKey: r.dimsKey,
          value: sum,
          // As in indicator sums: a part's `-` or `0` says nothing about a non-null total.
          flag: strongestFlag(
            found
              .map((f) => f.row?.flag ?? null)
              .filter((f) => sum === null || (f !== '-' && f !== '0')),
          ),
          method: `crosswalk ${cw.id}: ${parts.map((p) => (p.weight === 1 ? p.from : `${p.weight}×${p.from}`)).join(' + ')}`,
          parts: parts.map((p) => p.from),
        });
      }
    }
  }
  return { rows: out, notes: [...notes] };
}

/** Former units that make up `code` in some crosswalk (to query them along with it). */
export function partsOf(code: string, crosswalks: readonly Crosswalk[]): string[] {
  return crosswalks.flatMap((cw) => cw.parts.filter((p) => p.to === code).map((p) => p.from));
}

/**
 * RawRecords → observations. With a recipe (read by recipe-plan.ts), Merkmal codes, header labels
 * or CSV columns map onto our stable variables and dimension items; without one, the table imports generically under variables and
 * items named after its own codes and labels, so users are never stuck. Region keys resolve
 * through the registry; every problem becomes an issue with line and column.
 */
import {
  isNullSign,
  LOCAL_AREA_KEY,
  type DimensionItem,
  type Observation,
  type Region,
  type Variable,
} from '../domain/index.ts';
import { CellPlans } from './cell-plans.ts';
import type { FileMeta, ParsedFile, RawRecord } from './records.ts';
import { slug } from './records.ts';
import type { Recipe } from './recipe.ts';
import { recipePeriod, SEMESTER_RE, variablePlans } from './recipe-plan.ts';
import type { ImportIssue } from './report.ts';

export interface RegionLookup {
  resolveKey(key: string): Region | undefined;
  isValidIn(code: string, year: number): boolean;
  /** For tables without a key column (some IT.NRW exports). */
  findByName?(name: string): Region | undefined;
}

export interface Mapped {
  variables: Variable[];
  dimensionItems: DimensionItem[];
  observations: Omit<Observation, 'releaseId'>[];
  issues: ImportIssue[];
  rows: { total: number; accepted: number; skipped: number; rejected: number };
  mode: 'recipe' | 'generic';
}

/** Skipped region keys listed one by one; the rest are summed up in one warning. */
const SKIPPED_KEYS_LISTED = 20;

const KEY_RE = /^(DG|\d{2}|\d{3}|\d{5}|\d{8}|\d{12}|JH\d{8}|\d{8}-[0-9A-Z_]{1,12})$/;

/** Period key and reporting year: `31.12.2023` → `2023-12-31`; `2023-10P6M` stays (WS 2023/24). */
export function periodKey(raw: string): { key: string; year: number } | null {
  const text = raw.trim();
  let m = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(text);
  if (m) return { key: `${m[3]}-${m[2]}-${m[1]}`, year: Number(m[3]) };
  m = /^(\d{4})(-\d{2}-\d{2}|-\d{2}P\d+M)?$/.exec(text);
  if (m) return { key: text, year: Number(m[1]) };
  return null;
}

/** 12-digit ARS of a Gemeinde without Gemeindeverband part → 8-digit AGS; `DINSG` → `DG`. */
function normaliseKey(key: string): string {
  const k = key.trim().toUpperCase();
  if (k === 'DINSG') return 'DG';
  if (/^\d{12}$/.test(k)) return `${k.slice(0, 5)}${k.slice(9)}`;
  return k;
}

/**
 * IT.NRW Jugendamt keys: `JH` + the AGS of the municipality whose own Jugendamt it is, so
 * `JH05334002` covers the territory of Gemeinde 05334002; `…999` (Kreisjugendamt: the Kreis
 * without its cities with their own Jugendamt) is no registry region.
 */
function resolveRegion(regions: RegionLookup, key: string): Region | undefined {
  if (key.startsWith('JH')) {
    const ags = key.slice(2);
    return ags.endsWith('999') ? undefined : regions.resolveKey(ags);
  }
  return regions.resolveKey(key);
}

/** The error for a key that own data name but the registry does not know (first row only). */
function unknownRegionError(key: string, rec: RawRecord): ImportIssue {
  const local = LOCAL_AREA_KEY.test(key);
  return {
    severity: 'error',
    line: rec.line,
    column: rec.keyColumn ?? rec.column,
    code: 'BIMO_E_REGION_UNKNOWN',
    message: local
      ? `the Sozialraum ${key}${rec.regionName ? ` (${rec.regionName})` : ''} is not defined (further rows with this key are not listed)`
      : `the region key ${key}${rec.regionName ? ` (${rec.regionName})` : ''} is not in the region registry (further rows with this key are not listed)`,
    fix: local
      ? 'Import the Sozialraumliste that defines it first (docs/templates/README.md), or correct the key.'
      : 'Check the key against the Gemeindeverzeichnis: own data name Kreise (05358), NRW Gemeinden (05358008) or Sozialräume defined in a Sozialraumliste.',
  };
}

interface UnknownKey {
  line: number;
  column: number;
  name: string;
  rows: number;
}

/**
 * Maps records batch by batch (a batch holds whole lines), so that large files stream with
 * bounded memory: only variables, items, unknown keys and counters are kept between batches.
 * With `detectDuplicates`, cells are checked against each other in memory (small files); for
 * streamed files the database's primary key refuses duplicates instead.
 */
export class RecordMapper {
  readonly issues: ImportIssue[] = [];
  readonly rows = { total: 0, accepted: 0, skipped: 0, rejected: 0 };
  observationCount = 0;
  private readonly namespace: string;
  private readonly cellPlans: CellPlans;
  private readonly variables = new Map<string, Variable>();
  private readonly items = new Map<string, DimensionItem>();
  private readonly unknownKeys = new Map<string, UnknownKey>();
  private readonly unknownRegions: 'skip' | 'error';
  private readonly additive: FileMeta['additive'];
  private readonly refusedKeys = new Set<string>();
  private readonly seen: Map<string, string> | null;
  // Large files repeat the same periods, keys and items millions of times: resolve each once.
  private readonly periods = new Map<string, ReturnType<typeof recipePeriod>>();
  private readonly regionsByKey = new Map<string, Region | undefined>();
  /** Region key as written → normalised key, or null when it is no region key at all. */
  private readonly keysByRaw = new Map<string, string | null>();
  private readonly variableIds = new Map<string, string>();
  private readonly sourceId: string;
  private variablesTaken = 0;
  private itemsTaken = 0;

  constructor(
    private readonly tableCode: string,
    private readonly statistic: string | null,
    private readonly recipe: Recipe | undefined,
    private readonly regions: RegionLookup,
    opts: {
      detectDuplicates?: boolean;
      sourceId?: string;
      /**
       * `skip` (official tables): keys outside the registry are left out with one warning each.
       * `error` (the Kommune's own data): an unknown key is a mistake and refuses the file.
       */
      unknownRegions?: 'skip' | 'error';
      /** Variables of a table without recipe that are additive counts (FileMeta.additive). */
      additive?: FileMeta['additive'];
    } = {},
  ) {
    this.additive = opts.additive;
    this.sourceId = opts.sourceId ?? '';
    this.unknownRegions = opts.unknownRegions ?? 'skip';
    this.namespace = `g_${slug(tableCode)}`;
    this.cellPlans = new CellPlans(recipe, recipe ? variablePlans(recipe) : [], this.namespace);
    this.seen = (opts.detectDuplicates ?? true) ? new Map() : null;
  }

  get errorCount(): number {
    return this.issues.filter((i) => i.severity === 'error').length;
  }

  /**
   * Maps one batch of records (whole lines). `parserRejected` are lines of this batch the parser
   * already refused (a bad cell): they count as rejected once, even if other cells were read.
   */
  push(
    records: readonly RawRecord[],
    parserRejected: Iterable<number> = [],
  ): Mapped['observations'] {
    const { recipe, regions, issues } = this;
    const observations: Mapped['observations'] = [];
    const skippedLines = new Set<number>();
    const rejectedLines = new Set<number>(parserRejected);
    const acceptedLines = new Set<number>();
    // Rows whose every cell is a null sign (dissolved units in later years) are not stored.
    // Needed only for a null-sign cell of a region not valid in its period: built on first use.
    let allNullByLine: Map<number, boolean> | null = null;
    const lineAllNull = (line: number): boolean => {
      if (!allNullByLine) {
        allNullByLine = new Map();
        for (const r of records) {
          const cur = allNullByLine.get(r.line) ?? true;
          allNullByLine.set(r.line, cur && r.cell.value === null && isNullSign(r.cell.flag));
        }
      }
      return allNullByLine.get(line) ?? false;
    };
    for (const rec of records) {
      const byName = rec.regionKey === '';
      let key: string | null | undefined = byName ? `name:${rec.regionName}` : undefined;
      if (key === undefined) {
        key = this.keysByRaw.get(rec.regionKey);
        if (key === undefined) {
          const k = normaliseKey(rec.regionKey);
          key = KEY_RE.test(k) ? k : null;
          this.keysByRaw.set(rec.regionKey, key);
        }
      }
      if (key === null) {
        rejectedLines.add(rec.line);
        issues.push({
          severity: 'error',
          line: rec.line,
          column: rec.column,
          code: 'BIMO_E_REGION_UNKNOWN',
          message: `"${rec.regionKey}" (${rec.regionName}) is not a region key`,
          fix: 'Region keys are AGS/ARS numbers (05, 053, 05358, 05358008) or DG; check the key column.',
        });
        continue;
      }
      let period = this.periods.get(rec.period);
      if (period === undefined) {
        period = recipe
          ? recipePeriod(recipe, rec.period, periodKey(rec.period))
          : periodKey(rec.period);
        this.periods.set(rec.period, period);
      }
      if (period && 'error' in period) {
        rejectedLines.add(rec.line);
        issues.push({
          severity: 'error',
          line: rec.line,
          column: 1,
          code: 'BIMO_E_NO_RECIPE',
          message: period.error,
          fix: 'Check that the file is the table the recipe is for; if the table changed its time axis, correct period_kind in the recipe.',
        });
        continue;
      }
      if (!period) {
        rejectedLines.add(rec.line);
        issues.push({
          severity: 'error',
          line: rec.line,
          column: 1,
          code: 'BIMO_E_PARSE',
          message: `"${rec.period}" is not a period (expected 2023, 31.12.2023, 2024-12-31 or 2023-10P6M)`,
          fix: 'Correct the time column or download the table again.',
        });
        continue;
      }
      let region = this.regionsByKey.get(key);
      if (!this.regionsByKey.has(key)) {
        region = byName ? regions.findByName?.(rec.regionName) : resolveRegion(regions, key);
        this.regionsByKey.set(key, region);
      }
      if (!region && (this.unknownRegions === 'error' || LOCAL_AREA_KEY.test(key))) {
        rejectedLines.add(rec.line);
        if (!this.refusedKeys.has(key)) {
          this.refusedKeys.add(key);
          issues.push(unknownRegionError(key, rec));
        }
        continue;
      }
      if (!region) {
        const u = this.unknownKeys.get(key) ?? {
          line: rec.line,
          column: rec.column,
          name: rec.regionName,
          rows: 0,
        };
        if (!skippedLines.has(rec.line)) u.rows++;
        this.unknownKeys.set(key, u);
        skippedLines.add(rec.line);
        continue;
      }
      // A cell with a value makes its line not all-null: no lookup needed (the common case).
      if (
        rec.cell.value === null &&
        isNullSign(rec.cell.flag) &&
        lineAllNull(rec.line) &&
        !regions.isValidIn(region.code, period.year)
      ) {
        skippedLines.add(rec.line);
        continue;
      }
      const plan = this.cellPlans.of(rec);
      const picked = plan.picked;
      if (picked === 'skip') {
        skippedLines.add(rec.line);
        continue;
      }
      if (picked && 'error' in picked) {
        rejectedLines.add(rec.line);
        issues.push({
          severity: 'error',
          line: rec.line,
          column: rec.column,
          code: 'BIMO_E_NO_RECIPE',
          message: picked.error,
          fix: 'Add the code or label to the match list of the right variable in the recipe, or check that the file is the table the recipe is for.',
        });
        continue;
      }
      if (plan.skip) {
        skippedLines.add(rec.line);
        continue;
      }
      let failed = false;
      for (const r of plan.resolved) {
        if (r === 'skip') continue;
        if ('error' in r) {
          failed = true;
          issues.push({
            severity: 'error',
            line: rec.line,
            column: rec.column,
            code: 'BIMO_E_NO_RECIPE',
            message: r.error,
            fix: 'Add the label or code to the match list of the right item in the recipe, or check that the file is the table the recipe is for.',
          });
          break;
        }
        // A plan's items are the same every time: registered on its first use only.
        if (plan.itemsRegistered) continue;
        const ik = `${r.dim}|${r.item}`;
        if (!this.items.has(ik)) {
          const def = recipe?.dimensions[r.dim]?.find((i) => i.code === r.item);
          this.items.set(ik, {
            dimensionId: r.dim,
            code: r.item,
            label: def?.label ?? r.label,
            isTotal: r.item === 'insgesamt',
          });
        }
      }
      plan.itemsRegistered = true;
      if (failed) {
        rejectedLines.add(rec.line);
        continue;
      }
      const def = picked?.def;
      let variableId = def ? def.id : this.variableIds.get(rec.variable.code);
      if (variableId === undefined) {
        variableId =
          rec.variable.code === this.tableCode
            ? this.namespace
            : `${this.namespace}__${slug(rec.variable.code)}`;
        this.variableIds.set(rec.variable.code, variableId);
      }
      if (!this.variables.has(variableId)) {
        this.variables.set(
          variableId,
          recipe && def
            ? {
                id: variableId,
                label: def.label,
                unit: def.unit,
                statistic: recipe.statistic,
                periodKind: recipe.period_kind,
                additive: def.additive,
                dashIsZero: def.dash_is_zero,
              }
            : {
                id: variableId,
                label: `${rec.variable.label} (Tabelle ${this.tableCode})`,
                unit: rec.variable.unit,
                statistic: this.statistic ?? this.tableCode.slice(0, 5),
                periodKind: /^\d{4}$/.test(period.key)
                  ? 'jahr'
                  : SEMESTER_RE.test(period.key)
                    ? 'semester'
                    : 'stichtag',
                additive:
                  this.additive === true || (this.additive?.includes(rec.variable.code) ?? false),
                dashIsZero: false,
              },
        );
      }
      const dk = plan.dimsKey;
      // Streamed files leave duplicates to the store: no cell key to build per row.
      const cellKey = this.seen ? `${variableId}|${region.code}|${period.key}|${dk}` : '';
      const prev = this.seen?.get(cellKey);
      if (prev !== undefined) {
        rejectedLines.add(rec.line);
        issues.push({
          severity: 'error',
          line: rec.line,
          column: rec.column,
          code: 'BIMO_E_PARSE',
          message: `a second value for region ${region.code}, period ${period.key}, ${dk || 'no breakdown'} (the first is at ${prev})`,
          fix: 'Remove the duplicate row; if the file is unchanged from the download, the recipe maps two columns onto the same item.',
        });
        continue;
      }
      const origin = `${rec.line}:${rec.column}`;
      this.seen?.set(cellKey, origin);
      const qualityFlag =
        rec.quality && ['p', 'r', 's'].includes(rec.quality)
          ? (rec.quality as 'p' | 'r' | 's')
          : null;
      const rounding = picked?.rounding[region.code.slice(0, 2)] ?? 1;
      observations.push({
        variableId,
        regionCode: region.code,
        period: period.key,
        dimsKey: dk,
        value: rec.cell.value,
        flag: rec.cell.flag ?? qualityFlag,
        roundingBase: region.code === 'DG' ? 1 : rounding,
        sourceId: this.sourceId,
        origin,
      });
      acceptedLines.add(rec.line);
    }

    for (const line of rejectedLines) {
      acceptedLines.delete(line);
      skippedLines.delete(line);
    }
    for (const line of acceptedLines) skippedLines.delete(line);
    this.rows.accepted += acceptedLines.size;
    this.rows.skipped += skippedLines.size;
    this.rows.rejected += rejectedLines.size;
    this.observationCount += observations.length;
    return observations;
  }

  /** Variables and items first used since the last call (streamed imports write them per chunk). */
  takeNew(): { variables: Variable[]; dimensionItems: DimensionItem[] } {
    const variables = [...this.variables.values()].slice(this.variablesTaken);
    const dimensionItems = [...this.items.values()].slice(this.itemsTaken);
    this.variablesTaken += variables.length;
    this.itemsTaken += dimensionItems.length;
    return { variables, dimensionItems };
  }

  /**
   * Variables and items used so far, and one warning per region key that was left out (beyond
   * SKIPPED_KEYS_LISTED keys, one summary: a Germany-wide Gemeinde table skips thousands).
   */
  finish(): Omit<Mapped, 'observations'> {
    const fix =
      'Dissolved units and areas outside the registry (bimo knows all Kreise and the Gemeinden of NRW) are left out; if this region matters, extend the registry.';
    const unknown = [...this.unknownKeys];
    const listed = unknown.length > SKIPPED_KEYS_LISTED ? SKIPPED_KEYS_LISTED - 1 : unknown.length;
    for (const [key, u] of unknown.slice(0, listed)) {
      this.issues.push({
        severity: 'warning',
        line: u.line,
        column: u.column,
        code: 'BIMO_W_REGION_SKIPPED',
        message: `${key.startsWith('name:') ? `region "${u.name}" (no key in the file)` : `region key ${key} (${u.name})`} is not in the region registry; ${u.rows} row(s) not stored`,
        fix,
      });
    }
    const rest = unknown.slice(listed);
    const first = rest[0]?.[1];
    if (first) {
      const rows = rest.reduce((n, [, u]) => n + u.rows, 0);
      const examples = rest.slice(0, 3).map(([k, u]) => `${k} ${u.name}`.trim());
      this.issues.push({
        severity: 'warning',
        line: first.line,
        column: first.column,
        code: 'BIMO_W_REGION_SKIPPED',
        message: `${rest.length} further region keys are not in the region registry (e.g. ${examples.join(', ')}); ${rows} row(s) not stored`,
        fix,
      });
    }
    this.unknownKeys.clear();
    return {
      variables: [...this.variables.values()],
      dimensionItems: [...this.items.values()],
      issues: this.issues,
      rows: this.rows,
      mode: this.recipe ? 'recipe' : 'generic',
    };
  }
}

export function mapRecords(
  parsed: ParsedFile,
  recipe: Recipe | undefined,
  regions: RegionLookup,
  sourceId = '',
): Mapped {
  const mapper = new RecordMapper(parsed.tableCode, parsed.statistic, recipe, regions, {
    sourceId,
    unknownRegions: unknownRegionsOf(parsed.format),
    additive: parsed.additive,
  });
  const observations = mapper.push(parsed.records, errorLines(parsed.issues));
  const rest = mapper.finish();
  rest.rows.total = parsed.rowCount;
  return { ...rest, observations };
}

/** Own data (the bimo template, as CSV or XLSX) refuse unknown keys; official tables skip them. */
export function unknownRegionsOf(format: string): 'skip' | 'error' {
  return format.endsWith('tidy-csv') ? 'error' : 'skip';
}

/** Lines with an error issue. */
export function errorLines(issues: readonly ImportIssue[]): Set<number> {
  return new Set(issues.filter((i) => i.severity === 'error').map((i) => i.line));
}

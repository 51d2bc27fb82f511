/**
 * Germany-scale data generator: writes GENESIS flat files (ffcsv v5: UTF-8 with BOM, `;`, one
 * value per row, ISO periods) shaped like the real tables of bench/germany/tables.ts for every
 * Gemeinde and Kreis of Germany (the bench registry, bench/germany/regions.ts) and 25 years.
 * Deterministic for a seed. Numbers are consistent: every total is the sum of its parts, a
 * Kreis's inhabitants are the sum of its Gemeinden's, shares stay plausible.
 *
 *   npx tsx bench/germany/generate.ts --out DIR [--scale 0.02] [--seed 1] [--years 25]
 *
 * `--scale` keeps that share of the Kreise (with all their Gemeinden), so small runs still have
 * complete Kreise; `--scale 1` is all of Germany.
 */
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import type { Region } from '../../src/domain/index.ts';
import type { RegionData } from '../../src/regions/index.ts';
import { germanyRegionData } from './regions.ts';
import { TABLES, type TableSpec } from './tables.ts';

export interface GenerateOptions {
  out: string;
  scale: number;
  seed: number;
  /** Reporting years ending in 2024. */
  years: number;
  regionData: RegionData;
  onProgress?: (message: string) => void;
}

export interface GeneratedFile {
  table: string;
  level: 'gemeinde' | 'kreis';
  path: string;
  rows: number;
  bytes: number;
  variables: number;
}

export interface Manifest {
  scale: number;
  seed: number;
  years: number[];
  kreise: number;
  gemeinden: number;
  files: GeneratedFile[];
}

/** mulberry32: small, fast, good enough for synthetic data. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A stable number in [0, 1) for a string (FNV-1a), to pick Kreise independently of order. */
function hash01(text: string, seed: number): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0) / 4294967296;
}

const validAtYearEnd = (r: Region, year: number): boolean => {
  const end = `${year}-12-31`;
  return (r.validFrom === null || r.validFrom <= end) && (r.validTo === null || r.validTo >= end);
};

const fmtValue = (v: number, decimals: number): string =>
  decimals === 0 ? String(Math.round(v)) : v.toFixed(decimals).replace('.', ',');

/** Inhabitants per region and year: Gemeinden drawn, Kreise summed from them. */
function populations(
  kreise: Region[],
  gemeindenOf: Map<string, Region[]>,
  years: number[],
  rand: () => number,
): Map<string, Float64Array> {
  const pop = new Map<string, Float64Array>();
  const normal = (): number =>
    Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  for (const k of kreise) {
    const gems = gemeindenOf.get(k.code) ?? [];
    const sum = new Float64Array(years.length);
    for (const g of gems) {
      // A kreisfreie Stadt is large; Gemeinden in Landkreise are log-normal around ~2,000.
      const base =
        g.sameAs === k.code ? 150_000 * Math.exp(0.8 * normal()) : Math.exp(7.6 + 1.3 * normal());
      const trend = 0.01 * normal();
      const series = new Float64Array(years.length);
      years.forEach((_, i) => {
        series[i] = Math.max(
          20,
          base * (1 + trend) ** (i - years.length + 1) * (1 + 0.003 * normal()),
        );
        sum[i] = (sum[i] ?? 0) + (series[i] ?? 0);
      });
      pop.set(g.code, series);
    }
    if (gems.length === 0) sum.fill(150_000 * Math.exp(0.5 * normal()));
    pop.set(k.code, sum);
  }
  return pop;
}

/** Every combination of items (a Merkmal's total is index -1), leaves first. */
function combos(spec: TableSpec): number[][] {
  let out: number[][] = [[]];
  for (const m of spec.merkmale) {
    const next: number[][] = [];
    for (const c of out) for (let i = -1; i < m.items.length; i++) next.push([...c, i]);
    out = next;
  }
  return out;
}

async function writeTable(
  spec: TableSpec,
  path: string,
  regions: Region[],
  years: number[],
  pop: Map<string, Float64Array>,
  rand: () => number,
  seed: number,
): Promise<{ rows: number; bytes: number }> {
  const out = createWriteStream(path);
  const dims = spec.merkmale.flatMap((_, n) => [
    `${n + 2}_variable_code`,
    `${n + 2}_variable_label`,
    `${n + 2}_variable_attribute_code`,
    `${n + 2}_variable_attribute_label`,
  ]);
  const header = [
    'statistics_code;statistics_label;time_code;time_label;time',
    '1_variable_code;1_variable_label;1_variable_attribute_code;1_variable_attribute_label',
    ...dims,
    'value;value_unit;value_variable_code;value_variable_label',
    ...(spec.quality ? ['value_q'] : []),
  ].join(';');
  let buffer = `\uFEFF${header}\n`;
  let bytes = 0;
  let rows = 0;
  const flush = async (): Promise<void> => {
    bytes += Buffer.byteLength(buffer);
    if (!out.write(buffer)) await once(out, 'drain');
    buffer = '';
  };
  const regionCol =
    spec.level === 'gemeinde' ? 'GEMEIN;Gemeinden' : 'KREISE;Kreise und kreisfreie Städte';
  const all = combos(spec);
  const leaves = all.filter((c) => c.every((i) => i >= 0));
  const dimText = all.map((c) =>
    c
      .map((i, n) => {
        const m = spec.merkmale[n];
        if (!m) return '';
        const item = i < 0 ? { code: m.totalCode, label: 'Insgesamt' } : m.items[i];
        return `${m.code};${m.label};${item?.code ?? ''};${item?.label ?? ''}`;
      })
      .map((s) => `${s};`)
      .join(''),
  );
  const head = `${spec.statCode};${spec.statLabel};${spec.timeCode};${spec.timeLabel};`;
  const leafValues = new Float64Array(leaves.length);
  for (const [yi, year] of years.entries()) {
    const time = spec.time(year);
    for (const r of regions) {
      if (!validAtYearEnd(r, year)) continue;
      const inhabitants = pop.get(r.code)?.[yi] ?? 0;
      const covered = spec.coverage >= 1 || hash01(`${spec.code}|${r.code}`, seed) < spec.coverage;
      const prefix = `${head}${time};${regionCol};${r.code};${r.name};`;
      for (const v of spec.values) {
        const suffix = `;${v.unit};${v.code};${v.label}`;
        // Leaf cells: shares times noise, rounded; every total is the exact sum of its leaves.
        const regional = 0.7 + 0.6 * hash01(`${v.code}|${r.code}`, seed);
        leaves.forEach((c, li) => {
          let x = inhabitants * v.perCapita * regional;
          c.forEach((i, n) => (x *= spec.merkmale[n]?.items[i]?.share ?? 1));
          x *= 0.9 + 0.2 * rand();
          const f = 10 ** v.decimals;
          leafValues[li] = covered ? Math.round(x * f) / f : 0;
        });
        all.forEach((c, ci) => {
          let value = 0;
          leaves.forEach((l, li) => {
            if (c.every((i, n) => i < 0 || i === l[n])) value += leafValues[li] ?? 0;
          });
          let cell: string;
          let q = '';
          const u = spec.specialRate > 0 ? rand() : 1;
          if (u < spec.specialRate)
            cell = u < spec.specialRate / 3 ? '-' : u < (2 * spec.specialRate) / 3 ? '.' : 'x';
          else if (value === 0 && (spec.zeroAsDash || !covered)) cell = '-';
          else {
            cell = fmtValue(value, v.decimals);
            if (spec.quality) q = rand() < 0.015 ? '()' : 'e';
          }
          buffer += `${prefix}${dimText[ci]}${cell}${suffix}${spec.quality ? `;${q}` : ''}\n`;
          rows++;
        });
      }
      if (buffer.length > 1 << 22) await flush();
    }
  }
  await flush();
  out.end();
  await once(out, 'finish');
  return { rows, bytes };
}

/** Writes every table of TABLES into `opts.out` and a manifest.json beside them. */
export async function generate(opts: GenerateOptions): Promise<Manifest> {
  mkdirSync(opts.out, { recursive: true });
  const years = Array.from({ length: opts.years }, (_, i) => 2024 - opts.years + 1 + i);
  const allKreise = opts.regionData.regions.filter((r) => r.level === 'kreis');
  let kreise = allKreise.filter((k) => opts.scale >= 1 || hash01(k.code, opts.seed) < opts.scale);
  if (kreise.length === 0) kreise = allKreise.slice(0, 1);
  const chosen = new Set(kreise.map((k) => k.code));
  const gemeinden = opts.regionData.regions.filter(
    (r) => r.level === 'gemeinde' && chosen.has(r.parentCode ?? ''),
  );
  const gemeindenOf = new Map<string, Region[]>();
  for (const g of gemeinden) {
    gemeindenOf.set(g.parentCode ?? '', [...(gemeindenOf.get(g.parentCode ?? '') ?? []), g]);
  }
  const rand = prng(opts.seed);
  const pop = populations(kreise, gemeindenOf, years, rand);
  const files: GeneratedFile[] = [];
  for (const [i, spec] of TABLES.entries()) {
    const path = join(opts.out, `${spec.code}_${1773000000000 + i}_de_flat.csv`);
    const t0 = performance.now();
    const regions = spec.level === 'gemeinde' ? gemeinden : kreise;
    const { rows, bytes } = await writeTable(spec, path, regions, years, pop, rand, opts.seed);
    files.push({
      table: spec.code,
      level: spec.level,
      path,
      rows,
      bytes,
      variables: spec.values.length,
    });
    opts.onProgress?.(
      `  ${spec.code.padEnd(16)} ${spec.level.padEnd(8)} ${rows.toLocaleString('de-DE').padStart(10)} rows ${(bytes / 1024 ** 2).toFixed(1).padStart(7)} MB  ${((performance.now() - t0) / 1000).toFixed(1)} s`,
    );
  }
  const manifest: Manifest = {
    scale: opts.scale,
    seed: opts.seed,
    years,
    kreise: kreise.length,
    gemeinden: gemeinden.length,
    files,
  };
  writeFileSync(join(opts.out, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return manifest;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sample = resolve(
    process.env.BIMO_SAMPLE_DATA ?? join(import.meta.dirname, '../../../shared/data'),
  );
  const out = resolve(arg('out', 'germany-data'));
  const t0 = performance.now();
  const manifest = await generate({
    out,
    scale: Number(arg('scale', '1')),
    seed: Number(arg('seed', '1')),
    years: Number(arg('years', '25')),
    regionData: await germanyRegionData(sample),
    onProgress: (m) => console.log(m),
  });
  const rows = manifest.files.reduce((n, f) => n + f.rows, 0);
  const bytes = manifest.files.reduce((n, f) => n + f.bytes, 0);
  console.log(
    `${manifest.files.length} files, ${rows.toLocaleString('de-DE')} rows, ${(bytes / 1024 ** 2).toLocaleString('de-DE', { maximumFractionDigits: 1 })} MB, ${manifest.kreise} Kreise, ${manifest.gemeinden} Gemeinden, ${manifest.years.length} years → ${out} (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
  );
}

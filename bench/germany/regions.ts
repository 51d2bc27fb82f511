/**
 * The region registry of the Germany-scale bench: `bimo init`'s registry (every Kreis of
 * Germany, the Gemeinden of NRW) plus every other Gemeinde of Germany from the BKG's VG5000
 * Gemeinde layer (`boundaries/vg5000_2021_gem/VG5000_GEM.dbf`, Gebietsstand 01.01.2021), so that
 * Gemeinde-level tables cover all of Germany. The pseudo sub-units that Kreis tables list beside
 * their Kreis (Berlin's Bezirke, Hannover and Saarbrücken as parts of their Kreis) are replaced by
 * the real Gemeinden: a Gemeinde table names Berlin 11000000, not its Bezirke.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Region } from '../../src/domain/index.ts';
import { buildRegionData, gemeindeLabel, type RegionData } from '../../src/regions/index.ts';
import { PSEUDO_SUBUNITS } from '../../src/regions/build.ts';

export const VG5000_DBF = 'boundaries/vg5000_2021_gem/VG5000_GEM.dbf';

interface DbfGemeinde {
  ags: string;
  gen: string;
  bez: string;
  bem: string;
}

/** The Gemeinden of a dBASE III table (fixed-width records, field descriptors from byte 32). */
export function readDbfGemeinden(path: string): DbfGemeinde[] {
  const buf = readFileSync(path);
  const count = buf.readUInt32LE(4);
  const headerLength = buf.readUInt16LE(8);
  const recordLength = buf.readUInt16LE(10);
  const fields = new Map<string, { offset: number; length: number }>();
  let offset = 1; // each record starts with its deletion flag
  for (let p = 32; buf[p] !== 0x0d; p += 32) {
    const name = buf.toString('latin1', p, p + 11).replace(/\0.*$/s, '');
    const length = buf[p + 16] ?? 0;
    fields.set(name, { offset, length });
    offset += length;
  }
  // The .cpg file says UTF-8.
  const read = (rec: number, name: string): string => {
    const f = fields.get(name);
    if (!f) throw new Error(`${path}: no field ${name}`);
    const start = headerLength + rec * recordLength + f.offset;
    return buf.toString('utf8', start, start + f.length).trim();
  };
  const out: DbfGemeinde[] = [];
  for (let i = 0; i < count; i++) {
    out.push({
      ags: read(i, 'AGS'),
      gen: read(i, 'GEN'),
      bez: read(i, 'BEZ'),
      bem: read(i, 'BEM'),
    });
  }
  return out;
}

/** `bimo init`'s region data with every Gemeinde of Germany; `added` counts the new ones. */
export async function germanyRegionData(
  sampleDir: string,
): Promise<RegionData & { added: number; skipped: string[] }> {
  const base = await buildRegionData(sampleDir);
  const pseudo = new Set(PSEUDO_SUBUNITS.map((r) => r.code));
  const regions = base.regions.filter((r) => !pseudo.has(r.code));
  const byCode = new Map(regions.map((r) => [r.code, r]));
  const added: Region[] = [];
  const skipped: string[] = [];
  for (const g of readDbfGemeinden(join(sampleDir, VG5000_DBF))) {
    if (byCode.has(g.ags)) continue; // NRW (and duplicates of a Gemeinde in the layer)
    const kreis = byCode.get(g.ags.slice(0, 5));
    // The NRW Gemeinden come from the registry's own (2018) layer; a Kreis unknown to the 2023
    // Kreis layer would be a territorial change between the two Gebietsstände.
    if (!kreis || kreis.level !== 'kreis' || g.ags.startsWith('05')) {
      skipped.push(g.ags);
      continue;
    }
    const region: Region = {
      code: g.ags,
      level: 'gemeinde',
      name: gemeindeLabel(g.ags, g.gen, g.bez, g.bem),
      parentCode: kreis.code,
      validFrom: null,
      validTo: null,
      additive: true,
      sameAs: null,
    };
    byCode.set(region.code, region);
    added.push(region);
  }
  // A kreisfreie Stadt is Kreis and Gemeinde at once (Kreis 09162, Gemeinde 09162000), unless
  // the Kreis already stands for its Land (Hamburg, Berlin).
  const perKreis = new Map<string, Region[]>();
  for (const g of added)
    perKreis.set(g.parentCode ?? '', [...(perKreis.get(g.parentCode ?? '') ?? []), g]);
  for (const [code, list] of perKreis) {
    const kreis = byCode.get(code);
    const only = list.length === 1 ? list[0] : undefined;
    if (!kreis || !only || only.code !== `${code}000` || kreis.sameAs !== null) continue;
    kreis.sameAs = only.code;
    only.sameAs = kreis.code;
  }
  const members = base.members.filter((m) => !pseudo.has(m.regionCode));
  return {
    regions: [...regions, ...added],
    groups: base.groups,
    members,
    added: added.length,
    skipped,
  };
}

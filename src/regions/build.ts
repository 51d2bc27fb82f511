/**
 * Builds the region hierarchy (Bund → Länder → Regierungsbezirke → Kreise → NRW Gemeinden), the
 * historic Aachen units and the region groups from the VG250 boundary files. The output is plain
 * data (RegionData) so the same result can seed either store backend or a RegionRegistry.
 */
import { BUND_CODE } from '../domain/index.ts';
import type { Region, RegionGroup, RegionGroupMember } from '../domain/index.ts';
import {
  KREIS_BOUNDARY_FILE,
  readGemeindeNrwBoundaries,
  readKreisBoundaries,
} from './boundaries.ts';
import { expandGroupMembers, GROUP_DEFINITIONS } from './groups.ts';
import { BUND_NAME, gemeindeLabel, kreisLabel, LAND_NAMES, RB_NAMES, rbLabel } from './names.ts';

export interface RegionData {
  regions: Region[];
  groups: RegionGroup[];
  members: RegionGroupMember[];
}

/** The Städteregion Aachen (Aachen-Gesetz) replaced Kreis 05354 and Stadt 05313 on this day. */
export const AACHEN_REFORM_DATE = '2009-10-21';
const DAY_BEFORE_AACHEN_REFORM = '2009-10-20';
export const STAEDTEREGION_AACHEN = '05334';
/** Stadt Aachen inside the Städteregion: a real Gemeinde, but also listed as a pseudo-Kreis. */
export const AACHEN_STADT = '05334002';

/**
 * Kreise that Regionaldatenbank tables still carry for earlier years but that have no geometry in
 * the current boundary file. Only the Revier's own reform is modelled; other dissolved Kreise
 * (e.g. 03152 Göttingen) are left to the importers to report as unknown keys.
 */
const HISTORIC_KREISE: readonly Region[] = [
  historicKreis('05313', 'Aachen, Stadt (alt)'),
  historicKreis('05354', 'Aachen, Kreis'),
];

/**
 * Cities and districts that Kreis-level tables (KREISE, `-B` editions) list beside their Kreis
 * although they are contained in it: Hannover in Region Hannover, Saarbrücken in the
 * Regionalverband, the twelve Berlin Bezirke in Berlin. Non-additive and never a complete set of
 * Gemeinden, so their Kreis is never summed from them.
 */
const BERLIN_BEZIRKE = [
  'Mitte',
  'Friedrichshain-Kreuzberg',
  'Pankow',
  'Charlottenburg-Wilmersdorf',
  'Spandau',
  'Steglitz-Zehlendorf',
  'Tempelhof-Schöneberg',
  'Neukölln',
  'Treptow-Köpenick',
  'Marzahn-Hellersdorf',
  'Lichtenberg',
  'Reinickendorf',
];

export const PSEUDO_SUBUNITS: readonly Region[] = [
  subUnit('03241001', 'Hannover, Landeshauptstadt', '03241'),
  subUnit('10041100', 'Saarbrücken, Landeshauptstadt', '10041'),
  ...BERLIN_BEZIRKE.map((name, i) => {
    const n = String(i + 1).padStart(3, '0');
    return subUnit(`11${n}${n}`, `Berlin-${name}`, '11000');
  }),
];

function subUnit(code: string, name: string, parentCode: string): Region {
  return {
    code,
    level: 'gemeinde',
    name,
    parentCode,
    validFrom: null,
    validTo: null,
    additive: false,
    sameAs: null,
  };
}

function historicKreis(code: string, name: string): Region {
  return {
    code,
    level: 'kreis',
    name,
    parentCode: code.slice(0, 3),
    validFrom: null,
    validTo: DAY_BEFORE_AACHEN_REFORM,
    additive: true,
    sameAs: null,
  };
}

function region(
  code: string,
  level: Region['level'],
  name: string,
  parentCode: string | null,
): Region {
  return {
    code,
    level,
    name,
    parentCode,
    validFrom: null,
    validTo: null,
    additive: true,
    sameAs: null,
  };
}

/** Parent of a Kreis: its Regierungsbezirk where the third AGS digit names one, else its Land. */
function kreisParent(code: string): string {
  return code[2] === '0' ? code.slice(0, 2) : code.slice(0, 3);
}

/**
 * Reads `${sampleDir}/boundaries/…` and returns regions, groups and group members.
 * Throws with the offending key when the files and the name tables disagree.
 */
export async function buildRegionData(sampleDir: string): Promise<RegionData> {
  const [kreisFeatures, gemeindeFeatures] = await Promise.all([
    readKreisBoundaries(sampleDir),
    readGemeindeNrwBoundaries(sampleDir),
  ]);

  const regions: Region[] = [region(BUND_CODE, 'bund', BUND_NAME, null)];
  // Sorted because JS puts integer-like keys ('10'…'16') before '01'…'09' in object order.
  for (const [code, name] of Object.entries(LAND_NAMES).sort(([a], [b]) => a.localeCompare(b))) {
    regions.push(region(code, 'land', name, BUND_CODE));
  }

  // Regierungsbezirke come from the Kreis keys so that the name table cannot drift from the
  // boundary file unnoticed: both directions are checked.
  const rbCodes = new Set(
    kreisFeatures.map((f) => f.ags.slice(0, 3)).filter((prefix) => prefix[2] !== '0'),
  );
  for (const code of [...rbCodes].sort()) {
    const name = rbLabel(code);
    if (name === undefined) {
      throw new Error(
        `Kreis keys ${code}xx imply Regierungsbezirk ${code}, which has no name in RB_NAMES ` +
          '(src/regions/names.ts). Add it there.',
      );
    }
    regions.push(region(code, 'rb', name, code.slice(0, 2)));
  }
  for (const code of Object.keys(RB_NAMES)) {
    if (!rbCodes.has(code)) {
      throw new Error(
        `Regierungsbezirk ${code} (RB_NAMES) has no Kreis in ${KREIS_BOUNDARY_FILE}; ` +
          'remove it from src/regions/names.ts or use a complete boundary file.',
      );
    }
  }

  const kreise: Region[] = kreisFeatures.map((f) => {
    if (LAND_NAMES[f.ags.slice(0, 2)] === undefined) {
      throw new Error(`Kreis ${f.ags} (${f.gen}) belongs to no known Land; check its AGS.`);
    }
    return region(f.ags, 'kreis', kreisLabel(f.ags, f.gen, f.bez), kreisParent(f.ags));
  });
  kreise.push(...HISTORIC_KREISE.map((r) => ({ ...r })));
  kreise.sort((a, b) => a.code.localeCompare(b.code));
  const kreisByCode = new Map(kreise.map((k) => [k.code, k]));

  const aachen = kreisByCode.get(STAEDTEREGION_AACHEN);
  if (aachen) aachen.validFrom = AACHEN_REFORM_DATE;

  const gemeinden: Region[] = gemeindeFeatures.map((f) => {
    const kreisCode = f.ags.slice(0, 5);
    if (!kreisByCode.has(kreisCode)) {
      throw new Error(`Gemeinde ${f.ags} (${f.gen}) lies in Kreis ${kreisCode}, which is unknown.`);
    }
    const g = region(f.ags, 'gemeinde', gemeindeLabel(f.ags, f.gen, f.bez, f.bem), kreisCode);
    // The Gemeinde keys 05334xxx exist since the reform (before: 05354xxx and 05313000).
    if (kreisCode === STAEDTEREGION_AACHEN) g.validFrom = AACHEN_REFORM_DATE;
    // Aachen also appears as pseudo-Kreis next to 05334 in Kreis tables: summing both would count
    // the city twice.
    if (f.ags === AACHEN_STADT) g.additive = false;
    return g;
  });
  gemeinden.sort((a, b) => a.code.localeCompare(b.code));
  linkKreisfreieStaedte(kreise, gemeinden);
  linkStadtstaaten(regions, kreisByCode);

  regions.push(...kreise, ...gemeinden, ...PSEUDO_SUBUNITS.map((r) => ({ ...r })));
  const { groups, members } = expandGroupMembers(GROUP_DEFINITIONS, regions);
  return { regions, groups, members };
}

/**
 * A kreisfreie Stadt is one territory with two keys: Kreis 05111 and Gemeinde 05111000.
 * Linked where the Kreis has exactly one Gemeinde and that Gemeinde's number is 000.
 */
function linkKreisfreieStaedte(kreise: Region[], gemeinden: Region[]): void {
  const byKreis = new Map<string, Region[]>();
  for (const g of gemeinden) {
    const list = byKreis.get(g.parentCode ?? '') ?? [];
    list.push(g);
    byKreis.set(g.parentCode ?? '', list);
  }
  for (const k of kreise) {
    const list = byKreis.get(k.code);
    const only = list?.length === 1 ? list[0] : undefined;
    if (only === undefined || only.code !== `${k.code}000`) continue;
    k.sameAs = only.code;
    only.sameAs = k.code;
  }
}

/**
 * Hamburg and Berlin are Land and Kreis at once (02 ≡ 02000, 11 ≡ 11000); GENESIS Kreis tables
 * often carry only the Land row, so importers need the equivalence.
 */
function linkStadtstaaten(regions: Region[], kreisByCode: Map<string, Region>): void {
  for (const land of regions) {
    if (land.level !== 'land') continue;
    const kreis = kreisByCode.get(`${land.code}000`);
    if (!kreis) continue;
    land.sameAs = kreis.code;
    kreis.sameAs = land.code;
  }
}

/**
 * Reads the two VG250 boundary files (Kreise of Germany, Gemeinden of NRW) and checks them with a
 * schema, because everything downstream (region keys, names, map geometry) trusts their attributes.
 * Shared by build.ts (the hierarchy) and geometry.ts (the maps), so both see the same features.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { MultiPolygon, Polygon } from 'geojson';
import { z } from 'zod';

export const KREIS_BOUNDARY_FILE = 'boundaries/landkreise_sim200.geojson';
export const GEMEINDE_NRW_BOUNDARY_FILE = 'boundaries/municipality_nrw.geojson';

/** VG250 `GF` (Geofaktor) 4 = land area only; GF 2 rows repeat coastal Kreise including water. */
const GF_LAND_AREA = 4;

export interface BoundaryFeature {
  /** AGS: 5 digits for Kreise, 8 for Gemeinden. */
  ags: string;
  gen: string;
  bez: string;
  bem: string | undefined;
  geometry: Polygon | MultiPolygon;
}

const areal = z.custom<Polygon | MultiPolygon>(
  (g) => {
    if (typeof g !== 'object' || g === null) return false;
    const { type, coordinates } = g as { type?: unknown; coordinates?: unknown };
    return (type === 'Polygon' || type === 'MultiPolygon') && Array.isArray(coordinates);
  },
  { message: 'geometry must be a GeoJSON Polygon or MultiPolygon' },
);

function featureSchema(agsDigits: number) {
  return z.object({
    type: z.literal('Feature'),
    properties: z.object({
      AGS: z.string().regex(new RegExp(`^\\d{${agsDigits}}$`), `AGS must have ${agsDigits} digits`),
      GEN: z.string().min(1),
      BEZ: z.string().min(1),
      BEM: z.string().optional(),
      GF: z.number().int().optional(),
    }),
    geometry: areal,
  });
}

const collectionSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z.array(z.unknown()),
});

async function readBoundaryFile(
  sampleDir: string,
  relative: string,
  agsDigits: number,
): Promise<BoundaryFeature[]> {
  const file = path.join(sampleDir, relative);
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (cause) {
    throw new Error(
      `Cannot read boundary file ${file}: ${(cause as Error).message}. ` +
        'Point the sample data directory (BIMO_SAMPLE_DATA) at the folder that holds boundaries/.',
      { cause },
    );
  }
  const collection = collectionSchema.safeParse(raw);
  if (!collection.success) {
    throw new Error(`${file} is not a GeoJSON FeatureCollection: ${collection.error.message}`);
  }
  const schema = featureSchema(agsDigits);
  const out: BoundaryFeature[] = [];
  collection.data.features.forEach((candidate, index) => {
    const parsed = schema.safeParse(candidate);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw new Error(`${file}, feature #${index} is not a VG250 boundary feature: ${issues}`);
    }
    const { properties: p, geometry } = parsed.data;
    if (p.GF !== undefined && p.GF !== GF_LAND_AREA) return;
    out.push({ ags: p.AGS, gen: p.GEN, bez: p.BEZ, bem: p.BEM, geometry });
  });
  const seen = new Set<string>();
  for (const f of out) {
    if (seen.has(f.ags)) throw new Error(`${file}: AGS ${f.ags} occurs twice among GF=4 features`);
    seen.add(f.ags);
  }
  return out;
}

/** The Kreise (land area, GF = 4) of `landkreise_sim200.geojson`, VG250 Gebietsstand 2023. */
export function readKreisBoundaries(sampleDir: string): Promise<BoundaryFeature[]> {
  return readBoundaryFile(sampleDir, KREIS_BOUNDARY_FILE, 5);
}

/** The 396 NRW Gemeinden of `municipality_nrw.geojson`, VG250 Gebietsstand 2018. */
export function readGemeindeNrwBoundaries(sampleDir: string): Promise<BoundaryFeature[]> {
  return readBoundaryFile(sampleDir, GEMEINDE_NRW_BOUNDARY_FILE, 8);
}

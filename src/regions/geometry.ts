/**
 * Map geometry for the portal and reports: the boundary files converted to TopoJSON, simplified
 * and quantized once at build time, because an unsimplified Kreis map is several MB of SVG.
 * Output is one TopoJSON text per set, ready for the `geometry` table and for topojson-client.
 */
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { geoArea } from 'd3-geo';
import { feature as topoFeature, quantize } from 'topojson-client';
import { topology } from 'topojson-server';
import { presimplify, simplify, sphericalTriangleArea } from 'topojson-simplify';
import type { GeometryCollection, GeometryObject, Objects, Topology } from 'topojson-specification';
import type { BoundaryFeature } from './boundaries.ts';
import { readGemeindeNrwBoundaries, readKreisBoundaries } from './boundaries.ts';
import { gemeindeLabel, kreisLabel } from './names.ts';

export type GeometrySetId = 'kreise' | 'gemeinden-nrw';

export interface GeometrySet {
  /** Also the name of the TopoJSON object holding the features. */
  id: GeometrySetId;
  /** Boundary product and Gebietsstand, shown with the map. */
  vintage: string;
  topojson: string;
}

/** Required with every map (dl-de/by-2-0 demands attribution). */
export const geometryAttribution = '© GeoBasis-DE / BKG 2023 (Daten verändert), dl-de/by-2-0';

/** Feature properties carried in the topology; `id` of each geometry is the AGS. */
export interface GeometryProperties {
  name: string;
}

/**
 * Visvalingam weights are spherical triangle areas in steradians (1e-8 sr ≈ 0.41 km²). An NRW map
 * 600 px wide shows about 400 m per pixel (0.16 km² per px²): for the Gemeinden 1e-8 drops only
 * bends of about 2.5 px². The Kreise cover Germany and must stay well under 400 KB, so they take
 * 4e-8 (≈ 10 px² at NRW scale, under 2 px² on a 600 px Germany map): shapes stay recognisable,
 * while 6e-8 already opened visible slivers between neighbours whose borders the source file
 * simplified independently (they share few arcs).
 */
const MIN_WEIGHT: Record<GeometrySetId, number> = { kreise: 4e-8, 'gemeinden-nrw': 1e-8 };

/**
 * Grid of the quantized coordinates: 1e4 steps across Germany is ~65 m, across NRW ~25 m, well
 * below one pixel at the intended sizes; finer grids only add bytes.
 */
const QUANTIZATION = 1e4;

/**
 * A simplified feature whose area differs from the original by more than this share has lost its
 * shape (a small enclave collapsing, or a ring turning inside out, which d3 then draws as the
 * whole globe). Its boundary is kept unsimplified instead.
 */
const MAX_AREA_DRIFT = 0.1;

interface SetSpec {
  id: GeometrySetId;
  vintage: string;
  read: (sampleDir: string) => Promise<BoundaryFeature[]>;
  label: (f: BoundaryFeature) => string;
}

const SETS: readonly SetSpec[] = [
  {
    id: 'kreise',
    vintage: 'VG250 2023 (sim200)',
    read: readKreisBoundaries,
    label: (f) => kreisLabel(f.ags, f.gen, f.bez),
  },
  {
    id: 'gemeinden-nrw',
    vintage: 'VG250 2018 (sim200)',
    read: readGemeindeNrwBoundaries,
    label: (f) => gemeindeLabel(f.ags, f.gen, f.bez, f.bem),
  },
];

/** Builds the Kreis (Germany) and Gemeinde (NRW) topologies from `${sampleDir}/boundaries/`. */
export async function buildGeometries(sampleDir: string): Promise<GeometrySet[]> {
  return Promise.all(
    SETS.map(async (spec) => {
      const features = await spec.read(sampleDir);
      const collection: FeatureCollection<Polygon | MultiPolygon, GeometryProperties> = {
        type: 'FeatureCollection',
        features: features.map((f) => ({
          type: 'Feature',
          id: f.ags,
          properties: { name: spec.label(f) },
          geometry: f.geometry,
        })),
      };
      const topo = simplifiedTopology(spec.id, collection, MIN_WEIGHT[spec.id]);
      return { id: spec.id, vintage: spec.vintage, topojson: JSON.stringify(topo) };
    }),
  );
}

type PointWithWeight = [number, number, number];
/** topojson-simplify's generics want property-less objects; the properties ride along untouched. */
type Topo = Topology<Objects>;

function simplifiedTopology(
  id: GeometrySetId,
  collection: FeatureCollection<Polygon | MultiPolygon, GeometryProperties>,
  minWeight: number,
): Topo {
  const originalArea = new Map(collection.features.map((f) => [String(f.id), geoArea(f)]));
  // topojson-server types its output with nullable GeoJSON properties; ours are never null.
  const weighted = presimplify(topology({ [id]: collection }) as Topo, sphericalTriangleArea);
  const geometries = collectionObject(weighted, id).geometries;

  // Protecting a feature pins the points of its arcs, which also pins the shared border of its
  // neighbours, so the result stays a clean topology. Each round can only pin more points, and
  // a fully pinned feature is the original, so the loop ends.
  for (let round = 0; ; round++) {
    const result = quantize(simplify(weighted, minWeight), QUANTIZATION);
    const drifted = topoFeature(result, collectionObject(result, id)).features.filter((f) => {
      const before = originalArea.get(String(f.id)) ?? 0;
      return Math.abs(geoArea(f) / before - 1) > MAX_AREA_DRIFT;
    });
    if (drifted.length === 0 || round > geometries.length) return result;
    const ids = new Set(drifted.map((f) => String(f.id)));
    for (const g of geometries) {
      if (!ids.has(String(g.id))) continue;
      for (const arc of arcIndexes(g)) {
        for (const point of weighted.arcs[arc] ?? []) (point as PointWithWeight)[2] = Infinity;
      }
    }
  }
}

function collectionObject(topo: Topo, id: string): GeometryCollection {
  const object = topo.objects[id];
  if (object?.type !== 'GeometryCollection') {
    throw new Error(`Topology has no GeometryCollection '${id}'; topojson-server output changed?`);
  }
  return object;
}

function arcIndexes(geometry: GeometryObject): number[] {
  const out: number[] = [];
  const walk = (node: unknown): void => {
    if (typeof node === 'number') out.push(node < 0 ? ~node : node);
    else if (Array.isArray(node)) node.forEach(walk);
  };
  walk('arcs' in geometry ? geometry.arcs : []);
  return out;
}

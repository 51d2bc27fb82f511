import { geoArea } from 'd3-geo';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildRegionData } from './build.ts';
import { buildGeometries, geometryAttribution } from './geometry.ts';
import type { GeometryProperties, GeometrySet } from './geometry.ts';
import { readKreisBoundaries } from './boundaries.ts';
import { sampleDataDir } from './sample-data.ts';

let sets: GeometrySet[];

function decode(set: GeometrySet): FeatureCollection<Polygon | MultiPolygon, GeometryProperties> {
  const topo = JSON.parse(set.topojson) as Topology;
  const object = topo.objects[set.id] as GeometryCollection<GeometryProperties>;
  return feature(topo, object) as FeatureCollection<Polygon | MultiPolygon, GeometryProperties>;
}

function find(id: GeometrySet['id']): GeometrySet {
  const set = sets.find((s) => s.id === id);
  if (!set) throw new Error(`no geometry set ${id}`);
  return set;
}

beforeAll(async () => {
  sets = await buildGeometries(sampleDataDir());
}, 60_000);

describe('buildGeometries', () => {
  it('builds the Kreis and NRW Gemeinde sets with their vintage', () => {
    expect(sets.map((s) => [s.id, s.vintage])).toEqual([
      ['kreise', 'VG250 2023 (sim200)'],
      ['gemeinden-nrw', 'VG250 2018 (sim200)'],
    ]);
    expect(geometryAttribution).toContain('GeoBasis-DE / BKG');
  });

  it('keeps the topologies small', () => {
    expect(Buffer.byteLength(find('kreise').topojson)).toBeLessThan(360_000);
    expect(Buffer.byteLength(find('gemeinden-nrw').topojson)).toBeLessThan(220_000);
  });

  it('decodes to one feature per region, keyed by AGS and named', async () => {
    const data = await buildRegionData(sampleDataDir());
    const names = new Map(data.regions.map((r) => [r.code, r.name]));
    const kreise = decode(find('kreise')).features;
    const gemeinden = decode(find('gemeinden-nrw')).features;
    expect(kreise).toHaveLength(400);
    expect(gemeinden).toHaveLength(396);
    for (const f of [...kreise, ...gemeinden]) {
      expect(f.properties.name).toBe(names.get(String(f.id)));
    }
    expect(new Set(kreise.map((f) => f.id)).size).toBe(400);
    expect(gemeinden.find((f) => f.id === '05358008')?.properties.name).toBe('Düren, Stadt');
  });

  it('keeps every area within 10 % of the source geometry and no ring inside out', async () => {
    // Without the repair step in geometry.ts, 09462 Bayreuth (an enclave) turns inside out.
    const source = new Map(
      (await readKreisBoundaries(sampleDataDir())).map((f) => [
        f.ags,
        geoArea({ type: 'Feature', properties: {}, geometry: f.geometry }),
      ]),
    );
    for (const f of decode(find('kreise')).features) {
      const ratio = geoArea(f) / (source.get(String(f.id)) ?? Number.NaN);
      expect(Math.abs(ratio - 1), String(f.id)).toBeLessThan(0.1);
    }
    for (const f of decode(find('gemeinden-nrw')).features) {
      expect(geoArea(f), String(f.id)).toBeLessThan(1e-4);
      expect(geoArea(f), String(f.id)).toBeGreaterThan(0);
    }
  });
});

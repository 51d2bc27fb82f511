/**
 * TopoJSON to projected SVG paths for maps: picks the regions of one topology object, merges a
 * group's outer border, fixes ring winding for d3-geo and fits a conformal conic projection.
 */
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import type {
  GeometryCollection,
  MultiPolygon as TopoMultiPolygon,
  Polygon as TopoPolygon,
  Properties,
  Topology,
} from 'topojson-specification';
import { feature, merge } from 'topojson-client';
import { geoBounds, geoConicConformal, geoPath, type GeoProjection } from 'd3-geo';

export type Area = Polygon | MultiPolygon;

export interface RegionShape {
  id: string;
  geometry: Area;
}

/** The named GeometryCollection of a topology, or an error that says which names exist. */
export function collectionOf(topology: Topology, object: string): GeometryCollection<Properties> {
  const obj = topology.objects[object];
  if (obj === undefined) {
    const names = Object.keys(topology.objects).join(', ');
    throw new Error(`map: the topology has no object "${object}" (it has: ${names})`);
  }
  if (obj.type !== 'GeometryCollection') {
    throw new Error(`map: object "${object}" is a ${obj.type}, expected a GeometryCollection`);
  }
  return obj;
}

type TopoArea = TopoPolygon<Properties> | TopoMultiPolygon<Properties>;

function isArea(g: { type: string | null }): g is TopoArea {
  return g.type === 'Polygon' || g.type === 'MultiPolygon';
}

/** Twice the planar signed area in lon/lat; positive means counter-clockwise (north up). */
function signedArea(ring: readonly Position[]): number {
  let sum = 0;
  let prev = ring[ring.length - 1];
  for (const p of ring) {
    if (prev !== undefined) sum += (prev[0] ?? 0) * (p[1] ?? 0) - (p[0] ?? 0) * (prev[1] ?? 0);
    prev = p;
  }
  return sum;
}

/**
 * d3-geo reads rings on the sphere: an exterior ring must run clockwise, else it encloses the
 * rest of the globe. GeoJSON files (RFC 7946) and topojson `merge` use the opposite order, so
 * every polygon is rewound here; regions are small enough for the planar test to be exact.
 */
function rewindPolygon(rings: Position[][]): Position[][] {
  return rings.map((ring, i) => {
    const clockwise = signedArea(ring) < 0;
    const wantClockwise = i === 0;
    return clockwise === wantClockwise ? ring : [...ring].reverse();
  });
}

export function rewind(geometry: Area): Area {
  return geometry.type === 'Polygon'
    ? { type: 'Polygon', coordinates: rewindPolygon(geometry.coordinates) }
    : { type: 'MultiPolygon', coordinates: geometry.coordinates.map(rewindPolygon) };
}

function idOf(g: { id?: string | number | undefined }, object: string): string {
  if (g.id === undefined) {
    throw new Error(
      `map: a geometry in "${object}" has no id; build the topology with region codes as ids`,
    );
  }
  return String(g.id);
}

/** The polygon regions of an object in topology order (deterministic), optionally filtered. */
export function regionShapes(
  topology: Topology,
  object: string,
  filter?: (id: string) => boolean,
): RegionShape[] {
  const shapes: RegionShape[] = [];
  for (const g of collectionOf(topology, object).geometries) {
    if (!isArea(g)) continue;
    const id = idOf(g, object);
    if (filter !== undefined && !filter(id)) continue;
    // The overloads of `feature` cannot narrow a union; a polygon object yields a polygon feature.
    const f = feature(topology, g as TopoPolygon<Properties>) as Feature<Area>;
    shapes.push({ id, geometry: rewind(f.geometry) });
  }
  return shapes;
}

/**
 * The outer border of a group of regions, shared inner borders dissolved (topojson `merge`
 * works on the shared arcs, so the result has no slivers). Null when no id matches.
 */
export function mergedOutline(
  topology: Topology,
  object: string,
  ids: readonly string[],
): MultiPolygon | null {
  const wanted = new Set(ids);
  const members = collectionOf(topology, object).geometries.filter(
    (g): g is TopoArea => isArea(g) && wanted.has(idOf(g, object)),
  );
  if (members.length === 0) return null;
  // merge ignores properties; its typing just wants property-less objects.
  const outline = rewind(merge(topology, members as (TopoPolygon | TopoMultiPolygon)[]));
  return outline.type === 'MultiPolygon'
    ? outline
    : { type: 'MultiPolygon', coordinates: [outline.coordinates] };
}

/**
 * A conformal conic projection centred on the shapes (as official German maps use), scaled to
 * fill the extent. Standard parallels at 1/6 and 5/6 of the latitude range keep the scale error
 * smallest across the map.
 */
export function fitProjection(
  shapes: readonly RegionShape[],
  extent: [[number, number], [number, number]],
): GeoProjection {
  const collection: FeatureCollection<Area> = {
    type: 'FeatureCollection',
    features: shapes.map((s) => ({ type: 'Feature', properties: {}, geometry: s.geometry })),
  };
  const [[x0, y0], [x1, y1]] = geoBounds(collection);
  const span = y1 - y0;
  return geoConicConformal()
    .rotate([-(x0 + x1) / 2, 0])
    .parallels([y0 + span / 6, y1 - span / 6])
    .fitExtent(extent, collection);
}

/** SVG path data with coordinates rounded to 0.1 px ('' for a shape that projects to nothing). */
export function pathData(projection: GeoProjection): (geometry: Area) => string {
  const path = geoPath(projection).digits(1);
  return (geometry) => path(geometry) ?? '';
}

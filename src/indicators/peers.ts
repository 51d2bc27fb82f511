/**
 * Vergleichstypen (peer groups): all current Kreise of Germany clustered on a few standardised
 * context features (settlement, income, labour market, schools), so that a Kommune can compare
 * itself with Kreise in a similar situation. Deterministic from the data alone: Ward's method
 * without any random start, ties broken by Kreis code. docs/peer-groups.md explains the choices.
 */
import { geoArea } from 'd3-geo';
import type { Feature, MultiPolygon, Polygon } from 'geojson';
import { feature as topoFeature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { RegionRegistry } from '../regions/registry.ts';
import type { Store } from '../store/types.ts';

export interface PeerFeature {
  id: string;
  label_de: string;
  /** why it is in */
  reason_de: string;
}

export interface PeerInput {
  features: PeerFeature[];
  /** Kreis code → feature values in the order of `features` */
  rows: Map<string, number[]>;
}

export interface PeerGroupResult {
  groups: { id: string; name: string; members: string[]; profile: Record<string, number> }[];
  excluded: { code: string; reason: string }[];
  /** Reference year: the newest data year used (each feature's own period is in `features`). */
  year: number;
  /** The features in clustering order, each with the period its values come from. */
  features: PeerFeatureRead[];
}

export type PeerFeatureRead = PeerFeature & { period: string };

export interface PeerRead extends Pick<PeerGroupResult, 'excluded' | 'year'> {
  input: PeerInput & { features: PeerFeatureRead[] };
}

export const DEFAULT_PEER_K = 8;
/** Mean Earth radius (IUGG) in km: d3-geo measures areas in steradians on the unit sphere. */
const EARTH_RADIUS_KM = 6371.0088;
/** A period that only one Land delivered (e.g. NRW age groups) must not narrow the comparison. */
const MIN_COVERAGE = 0.5;
/** Older inputs would describe a different situation; better to fail than to cluster on them. */
const MAX_LAG_YEARS = 5;
/**
 * In a group's name, half a standard deviation from the mean counts as high or low, one and a half
 * as "sehr": without it the two dense groups with high unemployment would read alike.
 */
const NAME_CUT = 0.5;
const STRONG_CUT = 1.5;

type Ref = { variableId: string; dimsKey: string };

interface FeatureSpec extends PeerFeature {
  value: Ref;
  /** Per km² of the Kreis geometry, or a share (%) of another count of the same period. */
  per?: 'area' | Ref;
  /** Clustered on log10 (strongly skewed features), reported in natural units. */
  log?: boolean;
  high: string;
  low: string;
  /** Only the first feature needs a word for "average": it always opens the name. */
  mid?: string;
}

const TOTAL_POP = 'altersgruppe=insgesamt;geschlecht=insgesamt';
const PUPILS = (nat: string): string =>
  `geschlecht=insgesamt;klassenstufe=insgesamt;nationalitaet=${nat};schulart=insgesamt`;

/** Order matters: the first feature (density) orders the groups and opens every group name. */
export const PEER_FEATURES: readonly FeatureSpec[] = [
  {
    id: 'bevoelkerungsdichte',
    label_de: 'Einwohner je km² (Bevölkerung 31.12. / Fläche)',
    reason_de:
      'Siedlungsstruktur: Schulwege, Schulgrößen und Angebotsdichte hängen an der Dichte; ' +
      'logarithmiert, weil 100 zu 200 EW/km² ein so großer Unterschied ist wie 1 000 zu 2 000.',
    value: { variableId: 'bevoelkerung', dimsKey: TOTAL_POP },
    per: 'area',
    log: true,
    high: 'dicht besiedelt',
    low: 'dünn besiedelt',
    mid: 'mittlere Siedlungsdichte',
  },
  {
    id: 'verfuegbares_einkommen_je_ew',
    label_de: 'Verfügbares Einkommen der privaten Haushalte je Einwohner (EUR)',
    reason_de: 'Soziale Lage: das Einkommen der Familien prägt Bildungswege besonders stark.',
    value: { variableId: 'verfuegbares_einkommen_je_ew', dimsKey: '' },
    high: 'hohes Einkommen',
    low: 'niedriges Einkommen',
  },
  {
    id: 'arbeitslosenquote',
    label_de: 'Arbeitslosenquote, alle zivilen Erwerbspersonen (%)',
    reason_de: 'Arbeitsmarkt: Übergänge in Ausbildung und Beruf hängen an der Lage vor Ort.',
    value: { variableId: 'arbeitslosenquote', dimsKey: `${TOTAL_POP};nationalitaet=insgesamt` },
    high: 'hohe Arbeitslosigkeit',
    low: 'niedrige Arbeitslosigkeit',
  },
  {
    id: 'anteil_auslaendische_schueler',
    label_de: 'Anteil ausländischer Schülerinnen und Schüler an allgemeinbildenden Schulen (%)',
    reason_de:
      'Zuwanderung: Sprachförderung und Integration sind Kernaufgaben der Schulen; der einzige ' +
      'bundesweit auf Kreisebene vorliegende Migrationsbezug in den Daten.',
    value: { variableId: 'schueler_ab', dimsKey: PUPILS('auslaendisch') },
    per: { variableId: 'schueler_ab', dimsKey: PUPILS('insgesamt') },
    high: 'hoher Ausländeranteil an Schulen',
    low: 'niedriger Ausländeranteil an Schulen',
  },
];

/**
 * Ward's agglomerative clustering of `rows` (no standardisation here: the caller scales) with
 * squared Euclidean distances and the Lance–Williams update, cut at `k` clusters. Items are sorted
 * by code first and each cluster sits in the slot of its smallest code; the pair scan keeps the
 * first minimum, so ties go to the lowest codes and input order never matters. Clusters are
 * numbered 0..k-1 by their smallest member code. O(n³) time, O(n²) memory: < 0.1 s for 400 Kreise.
 */
export function wardClusters(rows: Map<string, number[]>, k: number): Map<string, number> {
  const codes = [...rows.keys()].sort();
  const points = codes.map((c) => rows.get(c) ?? []);
  const n = codes.length;
  if (!Number.isInteger(k) || k < 1 || k > n) {
    throw new RangeError(`wardClusters: k must be an integer from 1 to ${n}, got ${k}.`);
  }
  const dim = points[0]?.length ?? 0;
  points.forEach((p, i) => {
    if (p.length !== dim || !p.every(Number.isFinite)) {
      throw new Error(`wardClusters: ${codes[i]} needs ${dim} finite values, got [${p.join()}].`);
    }
  });
  const d = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let sum = 0;
      for (let f = 0; f < dim; f++) sum += (points[i]![f]! - points[j]![f]!) ** 2;
      d[i * n + j] = d[j * n + i] = sum;
    }
  }
  const size = new Array<number>(n).fill(1);
  const members = codes.map((_, i) => [i]);
  const active = new Array<boolean>(n).fill(true);
  for (let clusters = n; clusters > k; clusters--) {
    let best = Infinity;
    let a = -1;
    let b = -1;
    for (let i = 0; i < n; i++) {
      if (!active[i]) continue;
      for (let j = i + 1; j < n; j++) {
        if (active[j] && d[i * n + j]! < best) [best, a, b] = [d[i * n + j]!, i, j];
      }
    }
    const [sa, sb] = [size[a]!, size[b]!];
    for (let m = 0; m < n; m++) {
      if (!active[m] || m === a || m === b) continue;
      const sm = size[m]!;
      const merged =
        ((sa + sm) * d[a * n + m]! + (sb + sm) * d[b * n + m]! - sm * best) / (sa + sb + sm);
      d[a * n + m] = d[m * n + a] = merged;
    }
    size[a] = sa + sb;
    members[a]!.push(...members[b]!);
    active[b] = false;
  }
  // Slots ascend with their smallest code, so this numbers the clusters by it.
  const clusters = members.filter((_, i) => active[i]);
  return new Map(clusters.flatMap((list, c) => list.map((m): [string, number] => [codes[m]!, c])));
}

/**
 * Peer groups of the current, additive Kreise from the latest published release, numbered from
 * thin to dense settlement. Group ids `vergleichstyp-1` … `vergleichstyp-k`.
 */
export async function buildPeerGroups(
  store: Store,
  regions: RegionRegistry,
  opts: { k?: number; year?: number } = {},
): Promise<PeerGroupResult> {
  const { input, excluded, year } = await readPeerInput(store, regions, opts.year);
  const groups = groupPeers(input, opts.k ?? DEFAULT_PEER_K);
  return { groups, excluded, year, features: input.features };
}

/**
 * The feature values (natural units) of every current, additive Kreis. Each feature takes its
 * newest period (not after `year`) that covers at least half of the Kreise; a Kreis missing any
 * feature is left out and listed in `excluded`.
 */
export async function readPeerInput(
  store: Store,
  regions: RegionRegistry,
  maxYear?: number,
): Promise<PeerRead> {
  const kreise = regions
    .atLevel('kreis')
    .filter((r) => r.validTo === null && r.additive)
    .map((r) => r.code);
  const areas = await kreisAreas(store);
  const read = [];
  for (const spec of PEER_FEATURES) {
    read.push(await readFeature(store, regions, spec, kreise, areas, maxYear));
  }
  const year = maxYear ?? Math.max(...read.map((r) => periodYear(r.period)));
  const stale = read.find((r) => year - periodYear(r.period) > MAX_LAG_YEARS);
  if (stale !== undefined) {
    throw new Error(
      `Vergleichstypen: ${stale.spec.id} has no data after ${stale.period}, more than ` +
        `${MAX_LAG_YEARS} years before ${year}; import newer data.`,
    );
  }
  const features = read.map(({ spec: s, period }) => ({ ...pick(s), period }));
  const input = { features, rows: new Map<string, number[]>() };
  const excluded: PeerGroupResult['excluded'] = [];
  for (const code of kreise) {
    const values = read.map((r) => r.values.get(code));
    const missing = read.filter((_, i) => values[i] === undefined);
    if (missing.length === 0) input.rows.set(code, values as number[]);
    else excluded.push({ code, reason: `keine Werte: ${missing.map(missingLabel).join('; ')}` });
  }
  return { input, excluded, year };
}

function groupPeers(input: PeerInput, k: number): PeerGroupResult['groups'] {
  const codes = [...input.rows.keys()].sort();
  // Averaged on the scale that is clustered (log10 for density: a geometric mean), so that the
  // profiles rise in the same order as the groups are numbered.
  const log = input.features.map((f) => PEER_FEATURES.find((s) => s.id === f.id)?.log === true);
  const table = codes.map((c) => input.rows.get(c)!.map((v, f) => (log[f] ? Math.log10(v) : v)));
  const scaled = standardise(table);
  const clusters = wardClusters(new Map(codes.map((c, i) => [c, scaled[i]!])), k);
  const byCluster = Array.from({ length: k }, () => [] as number[]);
  codes.forEach((c, i) => byCluster[clusters.get(c)!]!.push(i));
  const mean = (idx: number[], t: number[][], f: number): number =>
    idx.reduce((s, i) => s + t[i]![f]!, 0) / idx.length;
  const back = (v: number, f: number): number => Math.round((log[f] ? 10 ** v : v) * 10) / 10;
  // Thin to dense; a stable sort keeps wardClusters' smallest-code order for equal densities.
  const ordered = byCluster
    .map((idx) => ({ idx, z: input.features.map((_, f) => mean(idx, scaled, f)) }))
    .sort((x, y) => x.z[0]! - y.z[0]!);
  return ordered.map(({ idx, z }, g) => ({
    id: `vergleichstyp-${g + 1}`,
    name: `Vergleichstyp ${g + 1}: ${describe(z)}`,
    members: idx.map((i) => codes[i]!),
    profile: Object.fromEntries(input.features.map((f, i) => [f.id, back(mean(idx, table, i), i)])),
  }));
}

/** z-scores per column (mean 0, sample sd 1 as R's scale()); a constant column becomes 0. */
function standardise(table: number[][]): number[][] {
  const n = table.length;
  const stats = (table[0] ?? []).map((_, f) => {
    const mean = table.reduce((s, row) => s + row[f]!, 0) / n;
    const ss = table.reduce((s, row) => s + (row[f]! - mean) ** 2, 0);
    return { mean, sd: n > 1 ? Math.sqrt(ss / (n - 1)) : 0 };
  });
  return table.map((row) => row.map((v, f) => (v - stats[f]!.mean) / (stats[f]!.sd || 1)));
}

/** Density level first (it orders the groups), then up to two other clearly high or low features. */
function describe(z: number[]): string {
  const level = (f: FeatureSpec, v: number): string | null =>
    Math.abs(v) < NAME_CUT
      ? null
      : `${Math.abs(v) >= STRONG_CUT ? 'sehr ' : ''}${v > 0 ? f.high : f.low}`;
  const [density, ...rest] = PEER_FEATURES.map((f, i) => ({ f, z: z[i] ?? 0, i }));
  const others = rest
    .filter((t) => level(t.f, t.z) !== null)
    .sort((x, y) => Math.abs(y.z) - Math.abs(x.z) || x.i - y.i)
    .slice(0, 2)
    .map((t) => level(t.f, t.z));
  const first = density === undefined ? '' : (level(density.f, density.z) ?? density.f.mid ?? '');
  return [first, ...(others.length > 0 ? others : ['sonst durchschnittlich'])].join(', ');
}

type ReadFeature = { spec: FeatureSpec; period: string; values: Map<string, number> };

const periodYear = (period: string): number => Number(period.slice(0, 4));
const pick = ({ id, label_de, reason_de }: PeerFeature): PeerFeature => ({
  id,
  label_de,
  reason_de,
});
const missingLabel = (r: ReadFeature): string =>
  `${r.spec.label_de} (${r.period})${r.spec.per === 'area' ? ' oder Kreisfläche' : ''}`;

async function readFeature(
  store: Store,
  regions: RegionRegistry,
  spec: FeatureSpec,
  kreise: string[],
  areas: Map<string, number>,
  maxYear: number | undefined,
): Promise<ReadFeature> {
  // Hamburg and Berlin often appear only as Land rows (02, 11): the same territory as 02000, 11000.
  const lookup = new Map(kreise.map((c) => [c, [c, regions.equivalent(c)?.code ?? c]]));
  const refs =
    spec.per === undefined || spec.per === 'area' ? [spec.value] : [spec.value, spec.per];
  const rows = await store.queryObservations({
    variableIds: [...new Set(refs.map((r) => r.variableId))],
    regionCodes: [...new Set([...lookup.values()].flat())],
  });
  const cells = new Map<string, number>();
  const periods = new Set<string>();
  for (const r of rows) {
    const ref = refs.findIndex((x) => x.variableId === r.variableId && x.dimsKey === r.dimsKey);
    if (ref < 0 || r.value === null) continue;
    cells.set(`${ref}|${r.period}|${r.regionCode}`, r.value);
    if (ref === 0 && (maxYear === undefined || periodYear(r.period) <= maxYear)) {
      periods.add(r.period);
    }
  }
  const valueIn = (period: string, code: string): number | undefined => {
    for (const at of lookup.get(code) ?? []) {
      const v = cells.get(`0|${period}|${at}`);
      const den = spec.per === 'area' ? areas.get(code) : cells.get(`1|${period}|${at}`);
      if (v === undefined || (spec.per !== undefined && !(den !== undefined && den > 0))) continue;
      const x = spec.per === undefined ? v : spec.per === 'area' ? v / den! : (100 * v) / den!;
      if (Number.isFinite(x) && (!spec.log || x > 0)) return x;
    }
    return undefined;
  };
  for (const period of [...periods].sort().reverse()) {
    const values = new Map<string, number>();
    for (const code of kreise) {
      const v = valueIn(period, code);
      if (v !== undefined) values.set(code, v);
    }
    if (values.size >= MIN_COVERAGE * kreise.length) return { spec, period, values };
  }
  throw new Error(
    `Vergleichstypen: no period${maxYear === undefined ? '' : ` up to ${maxYear}`} with ` +
      `${spec.value.variableId} for at least half of the Kreise; import the source table first.`,
  );
}

/** Land area (km²) of each Kreis from the stored `kreise` topology (VG250, GF 4). */
async function kreisAreas(store: Store): Promise<Map<string, number>> {
  const record = await store.getGeometry('kreise');
  if (record === null) throw new Error('Vergleichstypen: no Kreis geometry; run `bimo init`.');
  const topology = JSON.parse(record.topojson) as Topology;
  const object = topology.objects['kreise'] as GeometryCollection;
  const out = new Map<string, number>();
  for (const f of topoFeature(topology, object).features) {
    const sr = sphericalArea(f as Feature<Polygon | MultiPolygon>);
    out.set(String(f.id), sr * EARTH_RADIUS_KM ** 2);
  }
  return out;
}

/**
 * d3-geo reads a ring wound the GeoJSON way as the rest of the globe; a polygon of more than half
 * the sphere is such a ring, so its complement is the real area. Measured per polygon so that a
 * MultiPolygon with mixed winding still adds up.
 */
function sphericalArea(f: Feature<Polygon | MultiPolygon>): number {
  const g = f.geometry;
  return (g.type === 'Polygon' ? [g.coordinates] : g.coordinates).reduce((sum, coordinates) => {
    const a = geoArea({ type: 'Polygon', coordinates });
    return sum + (a > 2 * Math.PI ? 4 * Math.PI - a : a);
  }, 0);
}

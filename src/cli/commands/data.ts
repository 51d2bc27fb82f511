/**
 * Data commands: `init` (schema, regions, geometry), `import` (official files), `compute`
 * (indicator values) and `observations` (read back what was imported).
 */
import { BimoError } from '../../domain/index.ts';
import { recomputeIndicators } from '../../indicators/index.ts';
import {
  formatReport,
  importFile,
  loadRecipes,
  type ImportProgress,
  type ImportReport,
} from '../../ingest/index.ts';
import {
  buildGeometries,
  buildRegionData,
  harmonise,
  loadCrosswalks,
  partsOf,
} from '../../regions/index.ts';
import type { Store } from '../../store/index.ts';
import {
  harmonisedItem,
  loadProvenance,
  observationItem,
  observationRegionCodes,
  type ObservationItem,
} from '../../api/provenance.ts';
import { catalogFull, loadRegistry, sampleDirOf, type Io } from '../context.ts';

export async function initCommand(store: Store, io: Io, sampleFlag?: string): Promise<void> {
  const sampleDir = sampleDirOf(io, sampleFlag);
  io.log(`init: reading region boundaries from ${sampleDir}/boundaries …`);
  const data = await buildRegionData(sampleDir);
  await store.replaceRegions(data);
  io.log(`init: ${data.regions.length} regions, ${data.groups.length} region groups`);
  const geometries = await buildGeometries(sampleDir);
  await store.replaceGeometries(geometries);
  for (const g of geometries) {
    io.log(
      `init: geometry ${g.id} (${g.vintage}), ${Math.round(g.topojson.length / 1024)} KB TopoJSON`,
    );
  }
}

export async function importCommand(
  store: Store,
  io: Io,
  files: string[],
  opts: { dryRun: boolean; draft: boolean; json: boolean },
): Promise<number> {
  if (files.length === 0) {
    throw new BimoError(
      'BIMO_E_BAD_REQUEST',
      'no file given',
      'Name one or more files: bimo import FILE...',
    );
  }
  let regions = await loadRegistry(store);
  const recipes = loadRecipes();
  const reports: ImportReport[] = [];
  for (const [i, file] of files.entries()) {
    io.log(`import [${i + 1}/${files.length}] ${file} …`);
    const fileReports = await importFile(file, {
      store,
      regions,
      recipes,
      dryRun: opts.dryRun,
      status: opts.draft ? 'draft' : 'published',
      onProgress: progressPrinter(io),
    });
    reports.push(...fileReports);
    // A Sozialraumliste adds regions: the files after it may use them.
    if (fileReports.some((r) => r.areas && r.status === 'imported')) {
      regions = await loadRegistry(store);
    }
    if (!opts.json) for (const r of fileReports) io.out(formatReport(r));
  }
  // The JSON output stays as it was: `regions` (for the API's policy) can list thousands of keys.
  const withoutRegions = (r: ImportReport) =>
    Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'regions'));
  if (opts.json) io.out(JSON.stringify(reports.map(withoutRegions), null, 2));
  // A published import is a new release: compute its indicator values right away, so the
  // portal, API and reports (which read the latest published release) never show it empty.
  if (!opts.dryRun && !opts.draft && reports.some((r) => r.status === 'imported' && !r.areas)) {
    await computeCommand(store, io);
  }
  return reports.some((r) => r.status === 'rejected') ? 65 : 0;
}

/** Progress of a streamed import on stderr, at most every two seconds (and at each phase's end). */
function progressPrinter(io: Io): (p: ImportProgress) => void {
  const started = Date.now();
  let last = 0;
  let lastText = '';
  return (p) => {
    const now = Date.now();
    const done = p.bytes >= p.totalBytes;
    if (now - last < 2000 && !done) return;
    const pct = p.totalBytes > 0 ? Math.floor((p.bytes / p.totalBytes) * 100) : 100;
    const text =
      p.phase === 'checking'
        ? `  checking (SHA-256, encoding): ${pct} %`
        : `  importing: ${pct} % of ${(p.totalBytes / 1024 ** 2).toFixed(0)} MB, ${p.rows.toLocaleString('de-DE')} rows`;
    if (done && text === lastText) return;
    last = now;
    lastText = text;
    io.log(`${text} (${((now - started) / 1000).toFixed(0)} s)`);
  };
}

export async function computeCommand(store: Store, io: Io): Promise<void> {
  // Peer groups first, then every indicator with disclosure control (src/indicators/recompute.ts).
  const result = await recomputeIndicators(store, catalogFull(), (m) => io.log(`compute: ${m}`));
  io.log(`compute: release ${result.releaseId} done`);
}

export async function observationsCommand(
  store: Store,
  io: Io,
  opts: {
    region?: string | undefined;
    table?: string | undefined;
    format: string;
    /** Add values made up by crosswalks for periods before territorial changes. */
    harmonise?: boolean;
  },
): Promise<void> {
  if (!opts.region) {
    throw new BimoError(
      'BIMO_E_BAD_REQUEST',
      '--region is required',
      'Give a region code, e.g. --region 05358.',
      { field: 'region' },
    );
  }
  const regions = await loadRegistry(store);
  // A group id stands for its member regions (at the group's own level).
  const codes = observationRegionCodes(regions, opts.region);
  if (codes.length === 0) {
    throw new BimoError(
      'BIMO_E_REGION_UNKNOWN',
      `unknown region "${opts.region}"`,
      'Use an AGS key such as 05358 or 05; `bimo regions` is not needed: see GET /api/v1/regions.',
      { field: 'region' },
    );
  }
  const crosswalks = opts.harmonise ? loadCrosswalks() : [];
  const parts = codes.flatMap((c) => partsOf(c, crosswalks));
  const all = await store.queryObservations({
    regionCodes: [...codes, ...parts],
    tableCode: opts.table,
  });
  const rows = all.filter((r) => codes.includes(r.regionCode));
  const provenance = await loadProvenance(store);
  // The command line runs on the server with its owner's rights: who imported is shown.
  const items: ObservationItem[] = rows.map((r) => observationItem(r, provenance, true));
  if (opts.harmonise) {
    const variables = new Map((await store.listVariables()).map((v) => [v.id, v]));
    const made = harmonise(all, crosswalks, (id) => variables.get(id));
    for (const note of made.notes) io.log(`harmonise: ${note}`);
    for (const h of made.rows.filter((r) => codes.includes(r.regionCode))) {
      items.push(harmonisedItem(h, variables.get(h.variableId)));
    }
  }
  if (opts.format === 'json') io.out(JSON.stringify(items, null, 2));
  else {
    for (const it of items) {
      const dims = Object.entries(it.dims)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ');
      io.out(
        `${it.region}\t${it.period}\t${it.variable}\t${dims}\t${it.value ?? ''}\t${it.flag ?? ''}\t${it.source.table ?? it.source.origin}`,
      );
    }
  }
}

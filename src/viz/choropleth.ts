/**
 * Choropleth map as a standalone SVG string: regions coloured by class, a hatch for values
 * replaced by a sign, an optional thick outline around a region group (e.g. the Rheinisches
 * Revier), and a legend. Deterministic for equal input, so maps can be golden-tested.
 */
import { geoPath } from 'd3-geo';
import type { Topology } from 'topojson-specification';
import { FLAG_LABELS_DE, type Flag } from '../domain/flags.ts';
import {
  CLASS_METHOD_LABELS_DE,
  MAX_CLASSES,
  classBreaks,
  classCount,
  classOf,
  classRanges,
  paletteFor,
  type ClassMethod,
  type ClassRange,
} from './classify.ts';
import { formatNumber, formatValue } from './format.ts';
import { fitProjection, mergedOutline, pathData, regionShapes, type Area } from './geometry.ts';
import {
  OUTLINE_HALO,
  OUTLINE_LINE,
  hatchPattern,
  renderLegend,
  type LegendEntry,
} from './legend.ts';
import {
  checkIdPrefix,
  defaultIdPrefix,
  el,
  escapeXml,
  textBlock,
  wrapText,
  rootAttrs,
} from './svg.ts';

export interface ChoroplethValue {
  value: number | null;
  flag: Flag | null;
  name: string;
}

export interface ChoroplethInput {
  topology: Topology;
  /** Name of the GeometryCollection in `topology.objects`, e.g. 'kreise'; ids are region codes. */
  object: string;
  /** Which regions to draw, e.g. `(id) => id.startsWith('05')` for NRW. */
  filter?: (id: string) => boolean;
  values: ReadonlyMap<string, ChoroplethValue>;
  /** A group whose merged outer border is drawn thick, e.g. the 7 Revier Kreise. */
  outline?: { ids: readonly string[]; label: string };
  title: string;
  unit: string;
  decimals: number;
  width?: number;
  height?: number;
  method?: ClassMethod;
  /** 1 to 5, default 5. */
  classes?: number;
  /** Region page for a region; regions with a link become keyboard-reachable. */
  linkHref?: (id: string) => string | null;
  /** Prefix for the ids inside the SVG; default: 'map-' and a hash of the title. */
  idPrefix?: string;
  /** Language of the legend and the description (default German). */
  lang?: 'de' | 'en';
  /** Explanations of the signs in `lang` (default: the German Zeichenerklärung). */
  flagLabels?: Readonly<Record<Flag, string>>;
}

const WORDS = {
  de: {
    noValue: 'keine Angabe',
    values: 'Werte',
    valuesIn: 'Werte in',
    classes: 'Klassen',
    mapWith: (n: number) => `Karte mit ${n} Regionen.`,
    lowHigh: (lo: string, hi: string) => `Niedrigster Wert: ${lo}; höchster Wert: ${hi}.`,
    sign: 'Zeichen',
    outlined: 'Dick umrandet',
    methods: CLASS_METHOD_LABELS_DE,
  },
  en: {
    noValue: 'no value',
    values: 'Values',
    valuesIn: 'Values in',
    classes: 'Classes',
    mapWith: (n: number) => `Map of ${n} regions.`,
    lowHigh: (lo: string, hi: string) => `Lowest value: ${lo}; highest value: ${hi}.`,
    sign: 'Sign',
    outlined: 'Thick outline',
    methods: {
      quantile: 'quantiles (equal number of regions per class)',
      equal: 'equal intervals',
      jenks: 'natural breaks (Jenks)',
    } as Record<ClassMethod, string>,
  },
} as const;

const PAD = 12;
const LEGEND_WIDTH = 190;
const TITLE_SIZE = 16;
const TIP_SIZE = 12;
const REGION_STROKE = '#ffffff';

function rangeLabel(range: ClassRange, decimals: number): string {
  const lower = formatNumber(range.lower, decimals);
  const upper = formatNumber(range.upper, decimals);
  return lower === upper ? lower : `${lower} – ${upper}`;
}

/** The signs present among missing values, in the order of the Zeichenerklärung. */
function signsUsed(flags: Iterable<Flag | null>): Flag[] {
  const present = new Set(flags);
  return (Object.keys(FLAG_LABELS_DE) as Flag[]).filter((f) => present.has(f));
}

interface Projected {
  paths: Map<string, string>;
  bottom: number;
  outline(ids: readonly string[]): string | null;
}

/**
 * Projected region paths per topology (the parsed geometry of a release, held by the caller),
 * object, drawn regions and extent: projecting and writing the paths of NRW's Kreise costs a few
 * milliseconds, and nothing in it depends on the values.
 */
const projectedCache = new WeakMap<Topology, Map<string, Projected>>();

function projectedShapes(
  input: ChoroplethInput,
  shapes: readonly { id: string; geometry: Area }[],
  extent: [[number, number], [number, number]],
): Projected {
  const key = `${input.object}|${extent.flat().join(',')}|${shapes.map((s) => s.id).join(',')}`;
  let perTopology = projectedCache.get(input.topology);
  if (perTopology === undefined) {
    perTopology = new Map();
    projectedCache.set(input.topology, perTopology);
  }
  const hit = perTopology.get(key);
  if (hit !== undefined) return hit;
  const projection = fitProjection(shapes, extent);
  const toPath = pathData(projection);
  const [, [, bottom]] = geoPath(projection).bounds({
    type: 'FeatureCollection',
    features: shapes.map((sh) => ({ type: 'Feature', properties: {}, geometry: sh.geometry })),
  });
  const outlines = new Map<string, string | null>();
  const projected: Projected = {
    paths: new Map(shapes.map((s) => [s.id, toPath(s.geometry)])),
    bottom,
    outline(ids) {
      const k = ids.join(',');
      if (!outlines.has(k)) {
        const merged = mergedOutline(input.topology, input.object, ids);
        outlines.set(k, merged === null ? null : toPath(merged));
      }
      return outlines.get(k) ?? null;
    },
  };
  perTopology.set(key, projected);
  return projected;
}

export function renderChoropleth(input: ChoroplethInput): string {
  const width = input.width ?? 640;
  // Without an explicit height the map is fitted into 560 px and the SVG then shrinks to what
  // the map and legend need, so a wide region such as NRW leaves no empty band below it.
  let height = input.height ?? 560;
  const method = input.method ?? 'quantile';
  const w = WORDS[input.lang ?? 'de'];
  const prefix = checkIdPrefix(input.idPrefix ?? defaultIdPrefix('map', input.title));
  const ids = { title: `${prefix}-title`, desc: `${prefix}-desc`, hatch: `${prefix}-hatch` };

  const shapes = regionShapes(input.topology, input.object, input.filter);
  if (shapes.length === 0) {
    throw new Error(
      `choropleth: no region of "${input.object}" passes the filter; check the object name and the filter`,
    );
  }

  // Regions without an entry in `values` are shown like a missing value, not left out: a hole in
  // the map would look like an error in the geometry.
  const regions = shapes.map((s) => {
    const entry = input.values.get(s.id);
    return {
      ...s,
      name: entry?.name ?? s.id,
      value: entry?.value ?? null,
      flag: entry?.flag ?? null,
    };
  });
  const present = regions.flatMap((r) => (r.value === null ? [] : [r.value]));
  const k = Math.min(input.classes ?? MAX_CLASSES, MAX_CLASSES);
  const breaks = classBreaks(present, k, method);
  const palette = classCount(breaks) > 0 ? paletteFor(classCount(breaks)) : [];
  const ranges = classRanges(present, breaks);

  const titleLines = wrapText(input.title, width - 2 * PAD, TITLE_SIZE);
  const top = PAD + titleLines.length * Math.round(TITLE_SIZE * 1.25) + 8;
  const mapRight = width - LEGEND_WIDTH - PAD;
  const projected = projectedShapes(input, shapes, [
    [PAD, top],
    [mapRight, height - PAD],
  ]);
  if (input.height === undefined) height = Math.min(height, Math.ceil(projected.bottom + PAD));

  // The value of the focused or hovered region, shown below the legend: hidden by a
  // presentation attribute (so a downloaded SVG stays clean), made visible by the page's CSS
  // (`a:focus .map-tip`), since a <title> alone shows on mouse hover only.
  const tipX = mapRight + PAD;
  const regionMarkupAt = (tipY: number): string[] =>
    regions.map((r) => {
      const cls = r.value === null ? -1 : classOf(r.value, breaks);
      const fill = cls < 0 ? `url(#${ids.hatch})` : (palette[cls] ?? '#000000');
      const shown = formatValue(r.value, r.flag, input.decimals, input.unit);
      const label = r.value === null ? `${r.name}: ${w.noValue} (${shown})` : `${r.name}: ${shown}`;
      const path = el(
        'path',
        {
          'data-region': r.id,
          d: projected.paths.get(r.id) ?? '',
          fill,
          stroke: REGION_STROKE,
          'stroke-width': 0.6,
          'stroke-linejoin': 'round',
        },
        el('title', {}, escapeXml(label)),
      );
      const href = input.linkHref?.(r.id) ?? null;
      if (href === null) return path;
      const tip = textBlock(wrapText(label, LEGEND_WIDTH - PAD, TIP_SIZE), tipX, tipY, TIP_SIZE, {
        class: 'map-tip',
        visibility: 'hidden',
        'font-weight': 'bold',
        'aria-hidden': 'true',
      });
      return el('a', { href, 'aria-label': label }, path + tip);
    });

  let outlineMarkup = '';
  const outline = input.outline === undefined ? null : projected.outline(input.outline.ids);
  if (outline !== null) {
    const d = outline;
    const line = { d, fill: 'none', 'stroke-linejoin': 'round' };
    outlineMarkup = el(
      'g',
      { 'data-outline': input.outline?.label, 'aria-hidden': 'true' },
      el('path', { ...line, stroke: OUTLINE_HALO.stroke, 'stroke-width': OUTLINE_HALO.width }) +
        el('path', { ...line, stroke: OUTLINE_LINE.stroke, 'stroke-width': OUTLINE_LINE.width }),
    );
  }

  const missing = regions.filter((r) => r.value === null);
  const signs = signsUsed(missing.map((r) => r.flag));
  const noValueLabel = signs.length > 0 ? `${w.noValue} (${signs.join(', ')})` : w.noValue;
  // Highest class first, as in the ranking chart beside the map.
  const entries: LegendEntry[] = ranges
    .map((range, i): LegendEntry => ({
      kind: 'fill',
      fill: palette[i] ?? '#000000',
      label: rangeLabel(range, input.decimals),
    }))
    .reverse();
  entries.push({ kind: 'fill', fill: `url(#${ids.hatch})`, label: noValueLabel });
  if (outline !== null && input.outline !== undefined) {
    entries.push({ kind: 'outline', label: input.outline.label });
  }
  const legend = renderLegend(
    mapRight + PAD,
    top,
    LEGEND_WIDTH - PAD,
    input.unit === '' ? w.values : `${w.valuesIn} ${input.unit}`,
    entries,
    `${w.classes}: ${w.methods[method]}`,
  );

  const tipY = top + legend.height + 28;
  const regionMarkup = regionMarkupAt(tipY);
  if (input.height === undefined) height = Math.max(height, Math.ceil(top + legend.height + PAD));
  if (input.height === undefined && input.linkHref !== undefined) {
    height = Math.max(height, Math.ceil(tipY + 3 * TIP_SIZE * 1.25 + PAD));
  }
  const desc = describe(regions, ranges, method, input, signs, outline !== null);
  const hasLinks = regionMarkup.some((m) => m.startsWith('<a'));
  // role="img" hides its children from assistive technology (ARIA: children presentational),
  // which would hide the region links too; a map with links is a labelled group instead.
  const role = hasLinks ? 'group' : 'img';

  const body = [
    el('title', { id: ids.title }, escapeXml(input.title)),
    el('desc', { id: ids.desc }, escapeXml(desc)),
    el('defs', {}, hatchPattern(ids.hatch)),
    el('rect', { width, height, fill: '#ffffff' }),
    textBlock(titleLines, PAD, PAD + TITLE_SIZE, TITLE_SIZE, {
      'font-weight': 'bold',
      'aria-hidden': 'true',
    }),
    el('g', { 'data-layer': 'regions' }, regionMarkup.join('')),
    outlineMarkup,
    legend.markup,
  ].join('');

  return el('svg', rootAttrs(width, height, ids, role), body);
}

interface DescribedRegion {
  name: string;
  value: number | null;
  flag: Flag | null;
}

/** The map in words, for screen readers and as the text alternative in PDF reports. */
function describe(
  regions: readonly DescribedRegion[],
  ranges: readonly ClassRange[],
  method: ClassMethod,
  input: ChoroplethInput,
  signs: readonly Flag[],
  hasOutline: boolean,
): string {
  const fmt = (r: DescribedRegion): string =>
    `${r.name} (${formatValue(r.value, r.flag, input.decimals, input.unit)})`;
  const withValue = regions
    .filter((r) => r.value !== null)
    .sort((a, b) => (a.value ?? 0) - (b.value ?? 0) || a.name.localeCompare(b.name, 'de'));
  const w = WORDS[input.lang ?? 'de'];
  const flagLabels = input.flagLabels ?? FLAG_LABELS_DE;
  const parts = [w.mapWith(regions.length)];
  const low = withValue[0];
  const high = withValue[withValue.length - 1];
  if (low !== undefined && high !== undefined) {
    parts.push(w.lowHigh(fmt(low), fmt(high)));
    const classes = ranges.map((r) => `${rangeLabel(r, input.decimals)} (${r.count})`).join('; ');
    parts.push(`${ranges.length} ${w.classes}, ${w.methods[method]}: ${classes}.`);
  }
  const missing = regions.filter((r) => r.value === null);
  if (missing.length > 0) {
    parts.push(
      `${w.noValue}: ${missing.map(fmt).join('; ')}.`.replace(/^./, (c) => c.toUpperCase()),
    );
    for (const s of signs) parts.push(`${w.sign} „${s}“: ${flagLabels[s]}.`);
  }
  if (hasOutline && input.outline !== undefined) {
    parts.push(`${w.outlined}: ${input.outline.label}.`);
  }
  return parts.join(' ');
}

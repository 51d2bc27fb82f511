/**
 * The block directives of report templates (docs/reports.md), each turned into accessible HTML:
 * `kennzahlen`, `text`, `karte`, `rangfolge`, `zeitreihe`, `tabelle` and `fragestellungen`.
 * Figures and tables are numbered in document order and carry their source and licence; a
 * value with an official sign gets a footnote of its chapter. Charts are inline SVG (vectors in
 * the PDF); every chart has a table with the same numbers.
 */
import type { Topology } from 'topojson-specification';
import type { ValueRow } from '../../api/values.ts';
import { FLAG_LABELS_DE, type Flag } from '../../domain/index.ts';
import type { Catalog, Indicator } from '../../indicators/index.ts';
import {
  formatValue,
  renderChoropleth,
  renderLineChart,
  renderRankingChart,
  type ChoroplethValue,
} from '../../viz/index.ts';
import { html, raw, type Raw } from '../../web/html.ts';
import { periodLabel, periodPhrase } from '../../web/text.ts';
import {
  beyondRounding,
  changeSentence,
  gapSentence,
  levelSentence,
  rangeSentence,
  rankSentence,
  regionWords,
  type Reference,
} from '../text/index.ts';
import { queryValues } from '../../api/values.ts';
import {
  latestPeriod,
  NRW,
  sourcesOf,
  valuesOf,
  type Focus,
  type ReportContext,
} from './context.ts';
import { templateError, type Directive } from './source.ts';

/** What the rendering of one report keeps across its directives. */
export interface ReportState {
  ctx: ReportContext;
  catalog: Catalog;
  file: string;
  figures: number;
  tables: number;
  /** Indicators shown (for the glossary), in order of first use. */
  used: Set<string>;
  /** Footnotes of the current chapter: sign → number. */
  notes: Map<Flag, number>;
  chapter: number;
  topologies: Map<string, Topology | null>;
}

const LICENCE = 'Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0)';

/** The indicator a directive names; `use`: it goes into the glossary (it is shown). */
function indicatorArg(st: ReportState, d: Directive, use = true): Indicator {
  const id = d.args.indikator;
  if (!id) {
    throw templateError(
      st.file,
      d.line,
      1,
      `::${d.name} needs indikator=…`,
      `Name the indicator, e.g. ::${d.name} indikator=D6 (bimo indicators lists them).`,
    );
  }
  const ind = st.catalog.indicators.find((i) => i.id === id);
  if (!ind) {
    throw templateError(
      st.file,
      d.line,
      1,
      `unknown indicator ${id}`,
      'Use an id of the catalog (bimo indicators lists them).',
    );
  }
  if (ind.visibility !== 'public') {
    throw templateError(
      st.file,
      d.line,
      1,
      `indicator ${id} is not public and cannot appear in a report`,
      'Reports are public documents; choose a public indicator.',
    );
  }
  if (use) st.used.add(ind.id);
  return ind;
}

/** A value with its sign and a footnote marker for the sign. */
function cell(st: ReportState, ind: Indicator, row: ValueRow | undefined): Raw {
  if (!row) return html`<abbr title="keine Angabe">k. A.</abbr>`;
  const text = formatValue(row.value, row.flag, ind.decimals);
  if (!row.flag) return html`${text}`;
  return html`${text}${footnoteRef(st, row.flag)}`;
}

function footnoteRef(st: ReportState, flag: Flag): Raw {
  let n = st.notes.get(flag);
  if (n === undefined) {
    n = st.notes.size + 1;
    st.notes.set(flag, n);
  }
  const id = `fn-${st.chapter}-${n}`;
  return html`<sup class="footnote-ref"><a href="#${id}" aria-label="Fußnote ${n}">${n}</a></sup>`;
}

/** The footnotes of the chapter that ends here (empty when it had none). */
export function chapterFootnotes(st: ReportState): string {
  if (st.notes.size === 0) return '';
  const items = [...st.notes].map(
    ([flag, n]) =>
      html`<li id="fn-${st.chapter}-${n}"><code>${flag}</code> ${FLAG_LABELS_DE[flag]}</li>`,
  );
  st.notes.clear();
  return html`<aside class="footnotes" aria-label="Fußnoten">
    <h3 class="visually-hidden">Fußnoten</h3>
    <ol>
      ${items}
    </ol>
  </aside>`.toString();
}

export const germanDate = (iso: string): string =>
  new Date(iso).toLocaleDateString('de-DE', {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    timeZone: 'Europe/Berlin',
  });

/** The sources of the indicators shown (each table once), the licence and who computed. */
function sourceLine(st: ReportState, shown: Indicator | readonly Indicator[]): Raw {
  const inds: readonly Indicator[] = 'id' in shown ? [shown] : shown;
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const ind of inds) {
    const sources = sourcesOf(st.ctx, ind);
    if (sources.length === 0) parts.push(...ind.sources.filter((t) => !seen.has(t)));
    for (const s of sources) {
      if (seen.has(s.tableCode)) continue;
      seen.add(s.tableCode);
      parts.push(
        `${s.database}, Tabelle ${s.tableCode}${s.stand ? ` (Stand ${germanDate(s.stand)})` : ''}`,
      );
    }
    for (const t of ind.sources) seen.add(t);
  }
  const ids = inds.map((i) => i.id).join(', ');
  return html`<p class="figure-source">
    Quelle: ${parts.join('; ')}; ${LICENCE}; Berechnung: bimo
    (${inds.length === 1 ? 'Indikator' : 'Indikatoren'} ${ids}).
  </p>`;
}

function figure(st: ReportState, ind: Indicator, title: string, body: Raw | string): Raw {
  st.figures += 1;
  const id = `abbildung-${st.figures}`;
  return html`<figure class="report-figure" id="${id}">
    ${raw(String(body))}
    <figcaption><span class="figure-number">Abbildung ${st.figures}:</span> ${title}</figcaption>
    ${sourceLine(st, ind)}
  </figure>`;
}

function tableFigure(
  st: ReportState,
  ind: Indicator | readonly Indicator[],
  title: string,
  head: string[],
  rows: Raw[],
): Raw {
  st.tables += 1;
  return html`<figure class="report-table" id="tabelle-${st.tables}">
    <figcaption><span class="figure-number">Tabelle ${st.tables}:</span> ${title}</figcaption>
    <table>
      <thead>
        <tr>
          ${head.map((h, i) => (i === 0 ? html`<th scope="col">${h}</th>` : html`<th scope="col" class="num">${h}</th>`))}
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>
    ${sourceLine(st, ind)}
  </figure>`;
}

const unitOf = (ind: Indicator) => (ind.unit === 'Anzahl' ? '' : ind.unit);
const byRegion = (rows: readonly ValueRow[], period: string) =>
  new Map(rows.filter((r) => r.period === period).map((r) => [r.region, r]));

async function latest(
  st: ReportState,
  ind: Indicator,
): Promise<{ rows: ValueRow[]; period: string | undefined }> {
  const rows = await valuesOf(st.ctx, ind);
  return { rows, period: latestPeriod(rows, st.ctx.focus.code) };
}

const noData = (ind: Indicator) =>
  html`<p class="no-data">Für ${ind.title_de} liegen für diese Region keine Werte vor.</p>`;

/** The directive as HTML; unknown directives are an error with the list of known ones. */
export async function renderDirective(st: ReportState, d: Directive): Promise<Raw> {
  switch (d.name) {
    case 'text':
      return textBlock(st, indicatorArg(st, d));
    case 'karte':
      return mapFigure(st, indicatorArg(st, d));
    case 'rangfolge':
      return rankingFigure(st, indicatorArg(st, d));
    case 'zeitreihe':
      return seriesFigure(st, indicatorArg(st, d));
    case 'tabelle':
      return valueTable(st, indicatorArg(st, d));
    case 'kennzahlen':
      return keyFigures(st, d);
    case 'fragestellungen':
      return questions(st, d);
    case 'uebersicht':
      return overview(st, d);
    case 'zusammenfassung':
      return summary(st);
    default:
      throw templateError(
        st.file,
        d.line,
        3,
        `unknown directive ::${d.name}`,
        `Use one of: ${KNOWN.map((k) => `::${k}`).join(', ')}.`,
      );
  }
}

export const KNOWN = [
  'text',
  'karte',
  'rangfolge',
  'zeitreihe',
  'tabelle',
  'kennzahlen',
  'fragestellungen',
  'uebersicht',
  'zusammenfassung',
  'bereich',
];

/**
 * The generated text of an indicator: its level against the references, the change since the
 * earliest period with a value (at most ten years back), its rank among the report's regions or
 * their range, and the gaps by sex and nationality where the indicator has them.
 */
async function textBlock(st: ReportState, ind: Indicator): Promise<Raw> {
  const { rows, period } = await latest(st, ind);
  if (!period) return noData(ind);
  const at = byRegion(rows, period);
  const focus = at.get(st.ctx.focus.code);
  if (!focus) return noData(ind);
  const references = referenceValues(st, at);
  const sentences = [levelSentence({ indicator: ind, period, focus, references })];
  const own = rows
    .filter((r) => r.region === st.ctx.focus.code && r.value !== null)
    .sort((a, b) => a.period.localeCompare(b.period));
  const first = own.find((r) => Number(period.slice(0, 4)) - Number(r.period.slice(0, 4)) <= 10);
  if (first && focus.value !== null && first.period !== period) {
    sentences.push(changeSentence({ indicator: ind, from: first, to: focus }));
  }
  const members = st.ctx.members
    .map((m) => at.get(m.code))
    .filter((r): r is ValueRow => r !== undefined);
  if (st.ctx.members.some((m) => m.code === st.ctx.focus.code)) {
    if (members.filter((m) => m.value !== null).length > 2) {
      sentences.push(
        rankSentence({
          indicator: ind,
          focus,
          regions: members,
          field: fieldWords(st),
          within: withinWords(st),
        }),
      );
    }
  } else {
    const range = rangeSentence(ind, members, `den ${fieldWords(st)}`);
    if (range) sentences.push(range);
  }
  for (const [dim, a, b, persons] of GAPS) {
    if (!ind.breakdowns.includes(dim)) continue;
    const itemValue = async (item: string) =>
      (
        await queryValues(st.ctx.deps.store, st.ctx.deps.regions, {
          indicator: ind,
          regions: [st.ctx.focus.code],
          period,
          breakdown: { dim, item },
          releaseId: st.ctx.releaseId,
          audience: 'public',
        })
      )[0];
    const x = await itemValue(a);
    const y = await itemValue(b);
    if (x && y && x.value !== null && y.value !== null) {
      sentences.push(
        gapSentence({
          indicator: ind,
          first: { ...x, item: a },
          second: { ...y, item: b },
          persons,
        }),
      );
    }
  }
  return html`<p class="generated">${sentences.join(' ')}</p>`;
}

/**
 * The references' values for the sentences, nearest first; NRW is "der Landeswert". Counts are
 * not compared with larger regions: levelSentence leaves them out itself.
 */
function referenceValues(st: ReportState, at: Map<string, ValueRow>): Reference[] {
  return st.ctx.references
    .map((r) => at.get(r.code))
    .filter((r): r is ValueRow => r !== undefined)
    .map((r) =>
      r.region === NRW ? { ...r, label: 'dem Landeswert', nominative: 'Nordrhein-Westfalen' } : r,
    );
}

/** Breakdowns whose gap the text states: dimension, the two items, who they are. */
const GAPS: [string, string, string, string][] = [
  ['geschlecht', 'weiblich', 'maennlich', 'Personen'],
  ['nationalitaet', 'auslaendisch', 'deutsch', 'Personen'],
];

function fieldWords(st: ReportState): string {
  return st.ctx.memberLevel === 'kreis' ? 'Kreisen und kreisfreien Städten' : 'Gemeinden';
}

/** Where the ranked regions lie: "im Rheinischen Revier", "im Kreis Düren". */
function withinWords(st: ReportState): string {
  if (st.ctx.focus.level === 'group') return regionWords(st.ctx.focus.name, 'group').in;
  const kreis = st.ctx.references.find((r) => r.level === 'kreis');
  return kreis ? regionWords(kreis.name, 'kreis').in : 'in der Region';
}

async function topology(st: ReportState, id: string): Promise<Topology | null> {
  if (!st.topologies.has(id)) {
    const record = await st.ctx.deps.store.getGeometry(id);
    st.topologies.set(id, record ? (JSON.parse(record.topojson) as Topology) : null);
  }
  return st.topologies.get(id) ?? null;
}

async function mapFigure(st: ReportState, ind: Indicator): Promise<Raw> {
  const { rows, period } = await latest(st, ind);
  if (!period) return noData(ind);
  const object = st.ctx.memberLevel === 'kreis' ? 'kreise' : 'gemeinden-nrw';
  const topo = await topology(st, object);
  if (!topo)
    return html`<p class="no-data">Keine Kartengeometrie vorhanden (bimo init ausführen).</p>`;
  const at = byRegion(rows, period);
  const codes = new Set(st.ctx.members.map((m) => m.code));
  const values = new Map<string, ChoroplethValue>();
  for (const m of st.ctx.members) {
    const r = at.get(m.code);
    values.set(m.code, { value: r?.value ?? null, flag: r?.flag ?? null, name: m.name });
  }
  const focusIsMember = codes.has(st.ctx.focus.code);
  const title = `${ind.title_de} ${periodPhrase(ind, period)}`;
  const svg = renderChoropleth({
    topology: topo,
    object,
    filter: (id) => codes.has(id),
    values,
    ...(focusIsMember ? { outline: { ids: [st.ctx.focus.code], label: st.ctx.focus.name } } : {}),
    title,
    unit: unitOf(ind),
    decimals: ind.decimals,
    width: 640,
    height: 420,
    idPrefix: `karte-${st.figures + 1}`,
  });
  return figure(
    st,
    ind,
    `${title} – ${levelWords(st)} (die Werte stehen in der Tabelle zum Indikator)`,
    svg,
  );
}

function levelWords(st: ReportState): string {
  return st.ctx.memberLevel === 'kreis' ? 'Kreise und kreisfreie Städte' : 'Gemeinden';
}

function refLines(st: ReportState, ind: Indicator, at: Map<string, ValueRow>) {
  // Counts of larger regions would only stretch the scale: reference lines are for rates.
  if (ind.unit === 'Anzahl') return [];
  const focus = st.ctx.focus.level === 'group' ? [st.ctx.focus] : [];
  return [...focus, ...st.ctx.references]
    .map((r) => ({ r, v: at.get(r.code) }))
    .filter(
      (x): x is { r: Focus; v: ValueRow & { value: number } } =>
        x.v?.value !== null && x.v !== undefined,
    )
    .map(({ r, v }) => ({
      label: `${shortName(r)} ${formatValue(v.value, null, ind.decimals)}`,
      value: v.value,
    }));
}

function shortName(r: Focus): string {
  if (r.code === '05') return 'NRW';
  if (r.code === 'rheinisches-revier') return 'Revier';
  return r.name.replace(/, (Kreis|kreisfreie Stadt|Stadt|Städteregion)$/, '');
}

async function rankingFigure(st: ReportState, ind: Indicator): Promise<Raw> {
  const { rows, period } = await latest(st, ind);
  if (!period) return noData(ind);
  const at = byRegion(rows, period);
  // Nothing to rank among (no member has a value, as for Kreis tables in a Gemeinde profile).
  if (st.ctx.members.filter((m) => (at.get(m.code)?.value ?? null) !== null).length < 2)
    return html``;
  const title = `${ind.title_de} ${periodPhrase(ind, period)}: ${levelWords(st)} im Vergleich`;
  const svg = renderRankingChart({
    rows: st.ctx.members.map((m) => {
      const r = at.get(m.code);
      return {
        code: m.code,
        name: m.name,
        value: r?.value ?? null,
        flag: r?.flag ?? null,
        highlight: m.code === st.ctx.focus.code,
      };
    }),
    references: refLines(st, ind, at),
    title,
    unit: unitOf(ind),
    decimals: ind.decimals,
    width: 640,
    ...(st.ctx.focus.level === 'group' ? {} : { highlightLabel: st.ctx.focus.name }),
    idPrefix: `rang-${st.figures + 1}`,
  });
  return figure(st, ind, title, svg);
}

async function seriesFigure(st: ReportState, ind: Indicator): Promise<Raw> {
  const rows = await valuesOf(st.ctx, ind);
  const periods = [...new Set(rows.filter((r) => r.value !== null).map((r) => r.period))].sort();
  if (periods.length < 2) return html``;
  const regions = [st.ctx.focus, ...st.ctx.references];
  const title = `${ind.title_de}: Entwicklung ${periodLabel(ind, periods[0] ?? '')} bis ${periodLabel(ind, periods.at(-1) ?? '')}`;
  const svg = renderLineChart({
    series: regions.map((r) => ({
      label: r.name,
      points: rows
        .filter((x) => x.region === r.code)
        .map((x) => ({ period: x.period, value: x.value, flag: x.flag })),
    })),
    periods,
    periodLabel: (p) => periodLabel(ind, p),
    title,
    unit: unitOf(ind),
    decimals: ind.decimals,
    width: 640,
    idPrefix: `reihe-${st.figures + 1}`,
  });
  const table = tableFigure(
    st,
    ind,
    `${title} (Werte)`,
    ['Region', ...periods.map((p) => periodLabel(ind, p))],
    regions.map((r) => {
      const own = byPeriod(rows, r.code);
      return html`<tr>
        <th scope="row">${r.name}</th>
        ${periods.map((p) => html`<td class="num">${cell(st, ind, own.get(p))}</td>`)}
      </tr>`;
    }),
  );
  return html`${figure(st, ind, title, svg)}${table}`;
}

const byPeriod = (rows: readonly ValueRow[], code: string) =>
  new Map(rows.filter((r) => r.region === code).map((r) => [r.period, r]));

async function valueTable(st: ReportState, ind: Indicator): Promise<Raw> {
  const { rows, period } = await latest(st, ind);
  if (!period) return noData(ind);
  const at = byRegion(rows, period);
  const withCounts = ind.kind === 'formula' && ind.ratio !== null && ind.unit !== 'Anzahl';
  const head = [
    'Region',
    `Wert${ind.unit === 'Anzahl' ? '' : ` (${ind.unit})`}`,
    ...(withCounts ? ['Zähler', 'Nenner'] : []),
  ];
  const line = (code: string, name: string, cls = '') => {
    const r = at.get(code);
    const count = (v: number | null | undefined) =>
      v === null || v === undefined ? '–' : formatValue(v, null, 0);
    return html`<tr class="${cls}">
      <th scope="row">${name}</th>
      <td class="num">${cell(st, ind, r)}</td>
      ${
        withCounts
          ? html`<td class="num">${count(r?.numerator)}</td>
              <td class="num">${count(r?.denominator)}</td>`
          : ''
      }
    </tr>`;
  };
  const focusRow = st.ctx.members.some((m) => m.code === st.ctx.focus.code)
    ? []
    : [line(st.ctx.focus.code, st.ctx.focus.name, 'focus')];
  const rowsHtml = [
    ...focusRow,
    ...st.ctx.references.map((r) => line(r.code, r.name, 'reference')),
    ...st.ctx.members.map((m) => line(m.code, m.name, m.code === st.ctx.focus.code ? 'focus' : '')),
  ];
  return tableFigure(st, ind, `${ind.title_de} ${periodPhrase(ind, period)}`, head, rowsHtml);
}

async function keyFigures(st: ReportState, d: Directive): Promise<Raw> {
  const ids = (d.args.indikatoren ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (ids.length === 0) {
    throw templateError(
      st.file,
      d.line,
      1,
      '::kennzahlen needs indikatoren=…',
      'List indicator ids, e.g. ::kennzahlen indikatoren=A1,C1,D6.',
    );
  }
  // `region=` shows another region (a member, in a loop) against the report's focus and NRW.
  const other = d.args.region;
  const member = other === undefined ? undefined : st.ctx.members.find((m) => m.code === other);
  if (other !== undefined && !member) {
    throw templateError(
      st.file,
      d.line,
      1,
      `region ${other} is not one of the regions of this report`,
      'Use region= in a loop over kreise or gemeinden: region={{kreis.code}}.',
    );
  }
  const focus: Focus = member
    ? { code: member.code, name: member.name, level: member.level }
    : st.ctx.focus;
  const refs = member
    ? [st.ctx.focus, ...st.ctx.references].filter((r) => r.code !== member.code)
    : st.ctx.references;
  const rows: Raw[] = [];
  const shown: Indicator[] = [];
  const missing: string[] = [];
  for (const id of ids) {
    const ind = indicatorArg(st, { ...d, args: { indikator: id } }, false);
    const values = await valuesOf(st.ctx, ind);
    const period = latestPeriod(values, focus.code);
    // A figure the region has no value for is left out (said below the table).
    if (!period || !values.some((r) => r.region === focus.code && r.value !== null)) {
      missing.push(ind.title_de);
      continue;
    }
    st.used.add(ind.id);
    shown.push(ind);
    const at = byRegion(values, period);
    rows.push(
      html`<tr>
        <th scope="row">
          ${ind.short_de}${ind.unit === 'Anzahl' ? '' : ` (${ind.unit})`},
          ${periodLabel(ind, period)}
        </th>
        <td class="num">${cell(st, ind, at.get(focus.code))}</td>
        ${refs.map((r) => html`<td class="num">${cell(st, ind, at.get(r.code))}</td>`)}
      </tr>`,
    );
  }
  const note = missing.length
    ? html`<p class="figure-note">
        Ohne Wert ${regionWords(focus.name, focus.level).for}: ${missing.join('; ')}.
      </p>`
    : html``;
  if (rows.length === 0) return note;
  return html`${tableFigure(
    st,
    shown,
    `Kennzahlen: ${focus.name} im Vergleich`,
    ['Kennzahl', focus.name, ...refs.map((r) => r.name)],
    rows,
  )}${note}`;
}

function questions(st: ReportState, d: Directive): Raw {
  const area = d.args.bereich;
  const field = d.args.handlungsfeld;
  if (area !== undefined && !st.catalog.areas.some((a) => a.id === area)) {
    throw templateError(
      st.file,
      d.line,
      1,
      `unknown area bereich=${area}`,
      `Use one of ${st.catalog.areas.map((a) => a.id).join(', ')}.`,
    );
  }
  if (field !== undefined && !st.catalog.handlungsfelder.some((h) => h.id === field)) {
    throw templateError(
      st.file,
      d.line,
      1,
      `unknown Handlungsfeld ${field}`,
      `Use one of ${st.catalog.handlungsfelder.map((h) => h.id).join(', ')}.`,
    );
  }
  // Only the Handlungsfelder the AG has chosen, as on the portal.
  const chosen = new Set(st.catalog.handlungsfelder.filter((h) => h.chosen).map((h) => h.id));
  const areaOf = new Map(st.catalog.indicators.map((i) => [i.id, i.area]));
  const qs = st.catalog.questions.filter(
    (q) =>
      chosen.has(q.handlungsfeld) &&
      (field === undefined || q.handlungsfeld === field) &&
      (area === undefined || q.indicators.some((id) => areaOf.get(id) === area)),
  );
  if (qs.length === 0) return html``;
  return html`<div class="questions">
    <p><strong>Fragestellungen der AG Bildungsmonitoring zu diesem Kapitel</strong></p>
    <ul>
      ${qs.map((q) => html`<li>${q.title_de} <span class="question-id">(${q.id})</span></li>`)}
    </ul>
  </div>`;
}

/**
 * `::uebersicht bereich=A`: every public indicator of an area with a value for the focus, in one
 * table (latest value, the references, the change since the earliest period), followed by one
 * generated sentence per indicator. The compact form for profiles.
 */
async function overview(st: ReportState, d: Directive): Promise<Raw> {
  const area = st.catalog.areas.find((a) => a.id === d.args.bereich);
  if (!area) {
    throw templateError(
      st.file,
      d.line,
      1,
      `::uebersicht needs a known area, got "${d.args.bereich ?? ''}"`,
      `Use bereich= one of ${st.catalog.areas.map((a) => a.id).join(', ')}.`,
    );
  }
  const refs = st.ctx.references;
  const rows: Raw[] = [];
  const texts: string[] = [];
  const shownInds: Indicator[] = [];
  for (const ind of st.catalog.indicators) {
    if (ind.area !== area.id || ind.visibility !== 'public' || ind.status !== 'active') continue;
    if (ind.kind === 'gap') continue;
    const values = await valuesOf(st.ctx, ind);
    const own = values
      .filter((r) => r.region === st.ctx.focus.code && r.value !== null)
      .sort((a, b) => a.period.localeCompare(b.period));
    const last = own.at(-1);
    if (!last) continue;
    st.used.add(ind.id);
    shownInds.push(ind);
    const at = byRegion(values, last.period);
    const first = own.find(
      (r) => Number(last.period.slice(0, 4)) - Number(r.period.slice(0, 4)) <= 10,
    );
    const change =
      first && first.period !== last.period && first.value !== null && last.value !== null
        ? html`${formatSigned(last.value - first.value, ind.decimals)}${changeUnit(ind)} seit
          ${periodLabel(ind, first.period)}`
        : html`–`;
    rows.push(
      html`<tr>
        <th scope="row">
          ${ind.id} ${ind.title_de}${ind.unit === 'Anzahl' ? '' : ` (${ind.unit})`}
        </th>
        <td class="num">${periodLabel(ind, last.period)}</td>
        <td class="num">${cell(st, ind, last)}</td>
        ${refs.map((r) => html`<td class="num">${cell(st, ind, at.get(r.code))}</td>`)}
        <td class="num">${change}</td>
      </tr>`,
    );
    const references = referenceValues(st, at);
    texts.push(levelSentence({ indicator: ind, period: last.period, focus: last, references }));
  }
  if (rows.length === 0) {
    return html`<p class="no-data">
      ${capitalise(regionWords(st.ctx.focus.name, st.ctx.focus.level).for)} liegen im Bereich
      ${area.title_de} noch keine Werte vor.
    </p>`;
  }
  const table = tableFigure(
    st,
    shownInds,
    `${area.title_de}: ${st.ctx.focus.name} im Vergleich`,
    ['Indikator', 'Stand', st.ctx.focus.name, ...refs.map((r) => r.name), 'Veränderung'],
    rows,
  );
  return html`${table}
    <ul class="generated-list">
      ${texts.map((t) => html`<li>${t}</li>`)}
    </ul>`;
}

/** The unit of a difference: percentage points for shares, else the indicator's unit. */
function changeUnit(ind: Indicator): string {
  if (ind.unit === '%') return ' Pp.';
  return ind.unit === 'Anzahl' ? '' : ` ${ind.unit}`;
}

/** A difference with its sign (real minus), German digits. */
function formatSigned(v: number, decimals: number): string {
  const text = formatValue(Math.abs(v), null, decimals);
  return v > 0 ? `+${text}` : v < 0 ? `−${text}` : text;
}

const capitalise = (t: string) => t.charAt(0).toUpperCase() + t.slice(1);

/** "1 Indikator", "3 Indikatoren", "keinem Indikator" (dative after "bei"). */
const count = (n: number): string =>
  n === 0 ? 'keinem Indikator' : n === 1 ? 'einem Indikator' : `${n} Indikatoren`;

/**
 * `::zusammenfassung`: where the region stands against its widest reference (NRW), over every
 * public indicator with a direction (higher or lower is better): the favourable and the
 * unfavourable findings, each with both values, and how many lie within rounding. Small counts
 * and values of limited reliability are left out, as in the sentences.
 */
async function summary(st: ReportState): Promise<Raw> {
  const reference = st.ctx.references.at(-1);
  if (!reference) return html``;
  const better: Raw[] = [];
  const worse: Raw[] = [];
  let even = 0;
  for (const ind of st.catalog.indicators) {
    if (ind.visibility !== 'public' || ind.status !== 'active' || ind.polarity === 'neutral')
      continue;
    const values = await valuesOf(st.ctx, ind);
    const period = latestPeriod(values, st.ctx.focus.code);
    if (!period) continue;
    const at = byRegion(values, period);
    const focus = at.get(st.ctx.focus.code);
    const ref = at.get(reference.code);
    if (
      !focus ||
      !ref ||
      focus.value === null ||
      ref.value === null ||
      focus.flag === '()' ||
      ref.flag === '()'
    )
      continue;
    if ((focus.numerator ?? Infinity) < 20) continue;
    if (!beyondRounding(focus, ref, ind.decimals)) {
      even += 1;
      continue;
    }
    st.used.add(ind.id);
    const higher = focus.value > ref.value;
    const good = higher === (ind.polarity === 'higher_is_better');
    const unit = ind.unit === 'Anzahl' ? '' : ` ${ind.unit}`;
    const item = html`<li>
      ${ind.title_de} (${periodLabel(ind, period)}):
      ${formatValue(focus.value, focus.flag, ind.decimals)}${unit} gegenüber
      ${formatValue(ref.value, ref.flag, ind.decimals)}${unit}
    </li>`;
    (good ? better : worse).push(item);
  }
  const list = (items: Raw[], empty: string) =>
    items.length === 0
      ? html`<p>${empty}</p>`
      : html`<ul>
          ${items}
        </ul>`;
  return html`<div class="summary">
    <p>
      Gemessen an ${reference.name} steht
      ${regionWords(st.ctx.focus.name, st.ctx.focus.level).nominative} bei ${count(better.length)}
      günstiger und bei ${count(worse.length)} ungünstiger da; bei ${count(even)} liegt der
      Unterschied innerhalb der Rundungsungenauigkeit. Gezählt sind Indikatoren mit Wertungsrichtung
      und ausreichend großen Fallzahlen, jeweils mit dem neuesten Stand.
    </p>
    <h3>Günstiger als ${reference.name}</h3>
    ${list(better, 'Keiner.')}
    <h3>Ungünstiger als ${reference.name}</h3>
    ${list(worse, 'Keiner.')}
  </div>`;
}

/**
 * The indicator section: key figures, the generated sentence, the NRW map with the Revier
 * outlined, the ranking chart with reference lines, the data table (the text alternative of
 * both graphics) and the metadata. One renderer for the portal page and the report chapter;
 * the portal adds the view form, time series, breakdowns and downloads around it.
 */
import { FLAG_LABELS_DE, type Flag } from '../../domain/index.ts';
import {
  formatNumber,
  formatValue,
  renderChoropleth,
  renderRankingChart,
} from '../../viz/index.ts';
import { html, raw, type Raw } from '../html.ts';
import type { Lang } from '../i18n.ts';
import { FLAG_LABELS_EN, dimWord, periodPhrase, periodPhraseEn } from '../text.ts';
import type { IndicatorView } from '../view-data.ts';
import type { ValueRow } from '../../api/values.ts';

export interface SectionOptions {
  /** Link target for a region on the map, or null for no links (PDF). */
  regionHref?: (code: string) => string | null;
  headingLevel?: 2 | 3;
  lang?: Lang;
  /** Markup placed after the table (the portal's time series, breakdowns, downloads). */
  extra?: Raw;
}

const T = {
  de: {
    revier: 'Rheinisches Revier',
    nrw: 'Nordrhein-Westfalen',
    germany: 'Deutschland',
    of: 'von',
    levelKreis: 'Kreisen und kreisfreien Städten',
    levelGemeinde: 'Gemeinden',
    mapCaption: (title: string, level: string) =>
      `Karte: ${title} in den ${level} Nordrhein-Westfalens; das Rheinische Revier ist dick umrandet. Zeigen oder fokussieren Sie eine Region, um ihren Wert zu sehen; ein Klick öffnet das Regionsprofil. Die Werte stehen in der Tabelle unten.`,
    rankTitle: (title: string, level: string) => `${title}: Rangfolge der ${level} in NRW`,
    rankCaption:
      'Rangfolge mit Referenzlinien für NRW und das Rheinische Revier; Regionen des Reviers hervorgehoben.',
    highlight: 'Regionen des Rheinischen Reviers',
    table: 'Tabelle',
    region: 'Region',
    key: 'Schlüssel',
    value: 'Wert',
    numerator: 'Zähler',
    denominator: 'Nenner',
    sign: 'Zeichen',
    meta: 'Definition und Quellen',
    definition: 'Definition',
    formula: 'Formel',
    caveats: 'Hinweise',
    sources: 'Quellen',
    table_: 'Tabelle',
    stand: 'Stand',
    licence:
      '© Statistische Ämter des Bundes und der Länder, Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0)',
    signs: 'Zeichenerklärung',
    method: 'Rechenweg',
    none: 'keine',
    allSigns: 'Alle amtlichen Zeichen',
    rates:
      'Anteile werden auf jeder Ebene aus summierten Zählern und Nennern berechnet, nie aus gemittelten Quoten.',
    revierSum:
      'Der Wert des Rheinischen Reviers ist die Summe seiner sieben Kreise und kreisfreien Städte.',
    noGeometry: 'Keine Kartengeometrie vorhanden (bimo init ausführen).',
  },
  en: {
    revier: 'Rhenish mining area',
    nrw: 'North Rhine-Westphalia',
    germany: 'Germany',
    of: 'of',
    levelKreis: 'districts and district-free cities',
    levelGemeinde: 'municipalities',
    mapCaption: (title: string, level: string) =>
      `Map: ${title} in the ${level} of North Rhine-Westphalia; the Rhenish mining area has a thick outline. Point at or focus a region to see its value; a click opens the region profile. The values are in the table below.`,
    rankTitle: (title: string, level: string) => `${title}: ranking of the ${level} in NRW`,
    rankCaption:
      'Ranking with reference lines for NRW and the Rhenish mining area; regions of the area highlighted.',
    highlight: 'Regions of the Rhenish mining area',
    table: 'Table',
    region: 'Region',
    key: 'Code',
    value: 'Value',
    numerator: 'Numerator',
    denominator: 'Denominator',
    sign: 'Sign',
    meta: 'Definition and sources',
    definition: 'Definition',
    formula: 'Formula',
    caveats: 'Caveats (German)',
    sources: 'Sources',
    table_: 'table',
    stand: 'as of',
    licence:
      '© Statistical Offices of the Federation and the Länder, Data licence Germany – attribution – version 2.0 (dl-de/by-2-0)',
    signs: 'Explanation of signs',
    method: 'Method',
    none: 'none',
    allSigns: 'All official signs',
    rates:
      'Rates are computed at every level from summed numerators and denominators, never from averaged rates.',
    revierSum: 'The value of the Rhenish mining area is the sum of its seven districts.',
    noGeometry: 'No map geometry (run bimo init).',
  },
} as const;

function figure(view: IndicatorView, row: IndicatorView['nrw'], label: string, of: string): Raw {
  const ind = view.indicator;
  return html`<div class="keyfigure">
    <span class="keyfigure-label">${label}</span>
    <span class="keyfigure-value"
      >${row ? formatValue(row.value, row.flag, ind.decimals, ind.unit) : '–'}</span
    >
    ${
      row && row.numerator !== null && row.denominator !== null
        ? html`<span class="keyfigure-detail"
            >${formatNumber(row.numerator, 0)} ${of} ${formatNumber(row.denominator, 0)}</span
          >`
        : ''
    }
  </div>`;
}

/** Title of the indicator in the page language, with the chosen breakdown item. */
export function viewTitle(view: IndicatorView, lang: Lang): string {
  const ind = view.indicator;
  const title = lang === 'en' ? ind.title_en : ind.title_de;
  return view.breakdown ? `${title} (${dimWord(view.breakdown.item, lang)})` : title;
}

export function whenText(view: IndicatorView, lang: Lang): string {
  return lang === 'en'
    ? periodPhraseEn(view.indicator, view.period)
    : periodPhrase(view.indicator, view.period);
}

/** The map alone (also served as karte.svg). */
export function renderMap(
  view: IndicatorView,
  lang: Lang,
  regionHref: (code: string) => string | null = () => null,
): string | null {
  if (!view.topology) return null;
  const t = T[lang];
  const level = view.level === 'gemeinde' ? t.levelGemeinde : t.levelKreis;
  const values = new Map(
    view.kreise.map((r) => [r.region, { value: r.value, flag: r.flag, name: r.name }] as const),
  );
  return renderChoropleth({
    topology: view.topology,
    object: view.geometryObject ?? 'kreise',
    filter: (id) => id.startsWith('05'),
    values,
    outline: { ids: view.revierCodes, label: t.revier },
    title:
      lang === 'en'
        ? `${viewTitle(view, lang)}, ${level} in NRW, ${whenText(view, lang)}`
        : `${viewTitle(view, lang)}, ${level === t.levelKreis ? 'Kreise und kreisfreie Städte' : 'Gemeinden'} in NRW, ${whenText(view, lang)}`,
    unit: view.indicator.unit,
    decimals: view.indicator.decimals,
    method: view.method ?? 'quantile',
    lang,
    flagLabels: lang === 'en' ? FLAG_LABELS_EN : FLAG_LABELS_DE,
    linkHref: regionHref,
  });
}

/** The ranking chart alone (also served as rangfolge.svg). */
export function renderRanking(view: IndicatorView, lang: Lang): string {
  const ind = view.indicator;
  const t = T[lang];
  const level = view.level === 'gemeinde' ? t.levelGemeinde : t.levelKreis;
  const references = [
    view.nrw && view.nrw.value !== null
      ? { label: `NRW ${formatNumber(view.nrw.value, ind.decimals)}`, value: view.nrw.value }
      : null,
    view.revier && view.revier.value !== null
      ? {
          label: `${t.revier} ${formatNumber(view.revier.value, ind.decimals)}`,
          value: view.revier.value,
        }
      : null,
  ].filter((r): r is { label: string; value: number } => r !== null);
  return renderRankingChart({
    rows: view.kreise.map((r) => ({
      code: r.region,
      name: r.name,
      value: r.value,
      flag: r.flag,
      highlight: view.revierCodes.includes(r.region),
    })),
    references,
    title: t.rankTitle(viewTitle(view, lang), level),
    unit: ind.unit,
    decimals: ind.decimals,
    highlightLabel: t.highlight,
  });
}

export function renderIndicatorSection(view: IndicatorView, opts: SectionOptions = {}): Raw {
  const ind = view.indicator;
  const lang = opts.lang ?? 'de';
  const t = T[lang];
  const h = opts.headingLevel ?? 2;
  const level = view.level === 'gemeinde' ? t.levelGemeinde : t.levelKreis;
  const map = renderMap(view, lang, opts.regionHref) ?? `<p>${t.noGeometry}</p>`;
  const chart = renderRanking(view, lang);
  const flagLabels = lang === 'en' ? FLAG_LABELS_EN : FLAG_LABELS_DE;
  const flags = [...new Set(view.kreise.map((r) => r.flag).filter((f): f is Flag => f !== null))];
  const sorted = [...view.kreise].sort((a, b) => a.name.localeCompare(b.name, 'de'));
  const tableRows = [
    ...(view.germany ? [view.germany] : []),
    ...(view.nrw ? [view.nrw] : []),
    ...(view.revier ? [view.revier] : []),
    ...sorted,
  ];
  const hx = `h${h}`;
  const hy = `h${h + 1}`;
  const title = viewTitle(view, lang);
  const when = whenText(view, lang);
  return html`<section class="indicator" aria-labelledby="ind-${ind.id}">
    ${raw(`<${hx} id="ind-${ind.id}">`)}${ind.id} · ${title}${raw(`</${hx}>`)}
    <p class="subtitle">${lang === 'en' ? when : `${ind.short_de}, ${when}`}</p>
    <div class="keyfigures">
      ${figure(view, view.revier, t.revier, t.of)} ${figure(view, view.nrw, t.nrw, t.of)}
      ${figure(view, view.germany, t.germany, t.of)}
    </div>
    <p class="lead" data-testid="sentence">${view.sentence}</p>
    <figure class="map">
      ${raw(map)}
      <figcaption>${t.mapCaption(title, level)}</figcaption>
    </figure>
    <figure class="chart">
      ${raw(chart)}
      <figcaption>${t.rankCaption}</figcaption>
    </figure>
    ${raw(`<${hy} id="tabelle">`)}${t.table}${raw(`</${hy}>`)}
    <table class="data">
      <caption>
        ${title} (${ind.unit}), ${when}
      </caption>
      <thead>
        <tr>
          <th scope="col">${t.region}</th>
          <th scope="col">${t.key}</th>
          <th scope="col" class="num">${t.value} (${ind.unit})</th>
          <th scope="col" class="num">${t.numerator}</th>
          <th scope="col" class="num">${t.denominator}</th>
          <th scope="col">${t.sign}</th>
        </tr>
      </thead>
      <tbody>
        ${tableRows.map(
          (r) =>
            html`<tr
              class="${view.revierCodes.includes(r.region) || !['kreis', 'gemeinde'].includes(r.level) ? 'highlight' : ''}"
            >
              <th scope="row">${r.name}</th>
              <td>${r.region}</td>
              <td class="num">${formatValue(r.value, r.flag, ind.decimals)}</td>
              <td class="num">${r.numerator === null ? '' : formatNumber(r.numerator, 0)}</td>
              <td class="num">${r.denominator === null ? '' : formatNumber(r.denominator, 0)}</td>
              <td>${r.flag ?? ''}</td>
            </tr>`,
        )}
      </tbody>
    </table>
    ${opts.extra ?? ''} ${raw(`<${hy} id="metadaten">`)}${t.meta}${raw(`</${hy}>`)}
    <dl class="meta">
      <dt>${t.definition}</dt>
      <dd>${lang === 'en' ? (ind.definition_en ?? ind.definition_de) : ind.definition_de}</dd>
      <dt>${t.formula}</dt>
      <dd>
        <code
          >${ind.kind === 'formula' ? ind.formula : `${ind.of}: ${ind.minuend} − ${ind.subtrahend}`}</code
        >
      </dd>
      <dt>${t.caveats}</dt>
      <dd>${ind.caveats_de || '–'}</dd>
      <dt>${t.sources}</dt>
      <dd>
        ${
          view.sources.length === 0
            ? ind.sources.join(', ')
            : view.sources.map(
                (s) =>
                  html`${s.database}, ${t.table_}
                  ${s.tableCode}${s.stand ? `, ${t.stand} ${s.stand.split('-').reverse().join('.')}` : ''}; `,
              )
        }
        ${t.licence}
      </dd>
      <dt>${t.signs}</dt>
      <dd>
        ${flags.length === 0 ? t.none : flags.map((f) => html`„${f}“ ${flagLabels[f]}. `)}
        <details class="signs">
          <summary>${t.allSigns}</summary>
          <dl class="signs">
            ${(Object.keys(flagLabels) as Flag[]).map(
              (f) =>
                html`<dt><code>${f}</code></dt>
                  <dd>${flagLabels[f]}</dd>`,
            )}
          </dl>
        </details>
      </dd>
      <dt>${t.method}</dt>
      <dd>
        ${t.rates} ${lang === 'de' ? methodSentence('Nordrhein-Westfalen', view.nrw) : ''}
        ${lang === 'de' ? methodSentence('Deutschland', view.germany) : ''} ${t.revierSum}
      </dd>
    </dl>
  </section>`;
}

/** How a reference value came about, as the table shows it (never claimed, always looked up). */
function methodSentence(name: string, row: ValueRow | undefined): string {
  if (!row || row.value === null) return '';
  switch (row.method) {
    case 'published':
      return `Der Wert für ${name} ist der amtlich veröffentlichte.`;
    case 'aggregated':
      return `Der Wert für ${name} ist aus den Werten der Teilgebiete summiert (kein amtlicher Gesamtwert in den importierten Tabellen).`;
    case 'harmonised':
      return `Der Wert für ${name} ist auf den heutigen Gebietsstand umgerechnet.`;
    default:
      return '';
  }
}

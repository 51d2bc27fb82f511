/**
 * The portal's additions to the indicator section: the view form (a plain GET form, so it works
 * without scripts and every view has an address), the time series of chosen regions, the
 * breakdown by sex or nationality with the gap, and the downloads with the page's filters.
 */
import { formatValue, renderGroupedBars, renderLineChart } from '../../viz/index.ts';
import { html, raw, type Raw } from '../html.ts';
import { href, type Lang } from '../i18n.ts';
import { dimWord, periodLabel } from '../text.ts';
import type { IndicatorView } from '../view-data.ts';
import { viewTitle, whenText } from './indicator-section.ts';

/** The view as query parameters, in a fixed order; defaults are left out. */
export interface ViewParams {
  jahr?: string | undefined;
  ebene?: 'kreis' | 'gemeinde' | undefined;
  klassen?: 'quantile' | 'gleich' | 'jenks' | undefined;
  /** Breakdown item by dimension, e.g. { geschlecht: 'weiblich' }. */
  breakdown?: { dim: string; item: string } | undefined;
  regionen?: string[] | undefined;
}

export function viewQuery(p: ViewParams): string {
  const q = new URLSearchParams();
  if (p.jahr) q.set('jahr', p.jahr);
  if (p.ebene && p.ebene !== 'kreis') q.set('ebene', p.ebene);
  if (p.klassen && p.klassen !== 'quantile') q.set('klassen', p.klassen);
  if (p.breakdown) q.set(p.breakdown.dim, p.breakdown.item);
  if (p.regionen) q.set('regionen', p.regionen.join(','));
  return q.toString();
}

const T = {
  de: {
    form: 'Ansicht wählen',
    year: 'Jahr',
    level: 'Kartenebene',
    kreis: 'Kreise und kreisfreie Städte',
    gemeinde: 'Gemeinden',
    classes: 'Klassen',
    quantile: 'Quantile',
    gleich: 'gleiche Intervalle',
    jenks: 'natürliche Brüche (Jenks)',
    total: 'insgesamt',
    regions: 'Regionen der Zeitreihe (Schlüssel, durch Komma getrennt)',
    regionsHint: 'z. B. 05358 (Kreis Düren), 05 (NRW), rheinisches-revier',
    show: 'Anzeigen',
    series: 'Zeitreihe',
    seriesTitle: (t: string) => `${t}: Zeitreihe`,
    seriesTable: 'Zeitreihe als Tabelle',
    period: 'Zeitraum',
    breakdown: (dim: string) => `Nach ${dim}`,
    bdTitle: (t: string, dim: string, when: string) => `${t} nach ${dim}, ${when}`,
    gap: 'Unterschied',
    downloads: 'Downloads',
    csv: 'Werte als CSV',
    xlsx: 'Werte als Excel (XLSX)',
    mapSvg: 'Karte als SVG',
    mapPng: 'Karte als PNG',
    rankSvg: 'Rangfolge als SVG',
    filters: 'mit den gewählten Filtern',
  },
  en: {
    form: 'Choose the view',
    year: 'Year',
    level: 'Map level',
    kreis: 'Districts',
    gemeinde: 'Municipalities',
    classes: 'Classes',
    quantile: 'quantiles',
    gleich: 'equal intervals',
    jenks: 'natural breaks (Jenks)',
    total: 'total',
    regions: 'Regions of the time series (codes, comma-separated)',
    regionsHint: 'e.g. 05358 (Kreis Düren), 05 (NRW), rheinisches-revier',
    show: 'Show',
    series: 'Time series',
    seriesTitle: (t: string) => `${t}: time series`,
    seriesTable: 'Time series as a table',
    period: 'Period',
    breakdown: (dim: string) => `By ${dim.toLowerCase()}`,
    bdTitle: (t: string, dim: string, when: string) => `${t} by ${dim.toLowerCase()}, ${when}`,
    gap: 'Gap',
    downloads: 'Downloads',
    csv: 'Values as CSV',
    xlsx: 'Values as Excel (XLSX)',
    mapSvg: 'Map as SVG',
    mapPng: 'Map as PNG',
    rankSvg: 'Ranking as SVG',
    filters: 'with the chosen filters',
  },
} as const;

function option(value: string, label: string, selected: boolean): Raw {
  return html`<option value="${value}" ${selected ? raw('selected') : ''}>${label}</option>`;
}

export function renderViewForm(view: IndicatorView, p: ViewParams, lang: Lang): Raw {
  const t = T[lang];
  const id = view.indicator.id;
  return html`<form
    class="view-form"
    method="get"
    action="/indikatoren/${id}"
    aria-label="${t.form}"
  >
    ${lang === 'en' ? raw('<input type="hidden" name="lang" value="en">') : ''}
    <label
      >${t.year}
      <select name="jahr">
        ${[...view.periods].reverse().map((y) => option(y, periodLabel(view.indicator, y), y === view.period))}
      </select></label
    >
    <label
      >${t.level}
      <select name="ebene">
        ${option('kreis', t.kreis, view.level !== 'gemeinde')}
        ${option('gemeinde', t.gemeinde, view.level === 'gemeinde')}
      </select></label
    >
    <label
      >${t.classes}
      <select name="klassen">
        ${(['quantile', 'gleich', 'jenks'] as const).map((k) => option(k, t[k], (p.klassen ?? 'quantile') === k))}
      </select></label
    >
    ${(view.breakdowns ?? []).map(
      (b) =>
        html`<label
          >${dimWord(b.dim, lang)}
          <select name="${b.dim}">
            ${option('', t.total, p.breakdown?.dim !== b.dim)}
            ${b.items.map((i) => option(i, dimWord(i, lang), p.breakdown?.dim === b.dim && p.breakdown.item === i))}
          </select></label
        >`,
    )}
    <label class="wide"
      >${t.regions}
      <input
        type="text"
        name="regionen"
        value="${(view.seriesCodes ?? []).join(',')}"
        aria-describedby="regionen-hint"
      />
      <span id="regionen-hint" class="hint">${t.regionsHint}</span></label
    >
    <button type="submit">${t.show}</button>
  </form>`;
}

export function renderSeries(view: IndicatorView, lang: Lang): Raw {
  const t = T[lang];
  const ind = view.indicator;
  const series = view.series ?? [];
  if (series.length === 0) return html``;
  const periods = view.periods;
  const title = t.seriesTitle(viewTitle(view, lang));
  const svg = renderLineChart({
    series: series.map((s) => ({ label: s.name, points: s.rows })),
    periods,
    periodLabel: (p) => periodLabel(ind, p),
    title,
    unit: ind.unit,
    decimals: ind.decimals,
    idPrefix: 'series',
  });
  return html`<section class="series" aria-labelledby="zeitreihe">
    <h3 id="zeitreihe">${t.series}</h3>
    <figure class="chart">${raw(svg)}</figure>
    <table class="data">
      <caption>
        ${t.seriesTable} (${ind.unit})
      </caption>
      <thead>
        <tr>
          <th scope="col">${t.period}</th>
          ${series.map((s) => html`<th scope="col" class="num">${s.name}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${periods.map(
          (p) =>
            html`<tr>
              <th scope="row">${periodLabel(ind, p)}</th>
              ${series.map((s) => {
                const r = s.rows.find((x) => x.period === p);
                return html`<td class="num">
                  ${r ? formatValue(r.value, r.flag, ind.decimals) : '–'}
                </td>`;
              })}
            </tr>`,
        )}
      </tbody>
    </table>
  </section>`;
}

export function renderBreakdowns(view: IndicatorView, lang: Lang): Raw {
  const t = T[lang];
  const ind = view.indicator;
  return html`${(view.breakdownViews ?? []).map((b) => {
    const dim = dimWord(b.dim, lang);
    const items = b.items.map((i) => dimWord(i, lang));
    const title = t.bdTitle(lang === 'en' ? ind.title_en : ind.title_de, dim, whenText(view, lang));
    const svg = renderGroupedBars({
      items,
      groups: b.rows.map((r) => ({
        label: r.name,
        values: r.values.map((v) => ({ value: v?.value ?? null, flag: v?.flag ?? null })),
      })),
      title,
      unit: ind.unit,
      decimals: ind.decimals,
      idPrefix: `bd-${b.dim}`,
    });
    const gapUnit = b.gap?.indicator.unit ?? '';
    return html`<section class="breakdown" aria-labelledby="bd-${b.dim}">
      <h3 id="bd-${b.dim}">${t.breakdown(dim)}</h3>
      <figure class="chart">${raw(svg)}</figure>
      <table class="data" data-testid="breakdown-${b.dim}">
        <caption>
          ${title} (${ind.unit})
        </caption>
        <thead>
          <tr>
            <th scope="col">Region</th>
            ${items.map((i) => html`<th scope="col" class="num">${i}</th>`)}
            ${b.gap ? html`<th scope="col" class="num">${t.gap} (${gapUnit})</th>` : ''}
          </tr>
        </thead>
        <tbody>
          ${b.rows.map((r) => {
            const gap = b.gap?.rows.find((g) => g.region === r.region);
            return html`<tr>
              <th scope="row">${r.name}</th>
              ${r.values.map(
                (v) =>
                  html`<td class="num">
                    ${v ? formatValue(v.value, v.flag, ind.decimals) : '–'}
                  </td>`,
              )}
              ${
                b.gap
                  ? html`<td class="num">
                      ${gap ? formatValue(gap.value, gap.flag, b.gap.indicator.decimals) : '–'}
                    </td>`
                  : ''
              }
            </tr>`;
          })}
        </tbody>
      </table>
      ${
        b.gap
          ? html`<p class="note">
              ${t.gap}: ${lang === 'en' ? b.gap.indicator.title_en : b.gap.indicator.title_de} (<a
                href="${href(lang, `/indikatoren/${b.gap.indicator.id}`)}"
                >${b.gap.indicator.id}</a
              >).
            </p>`
          : ''
      }
    </section>`;
  })}`;
}

export function renderDownloads(view: IndicatorView, p: ViewParams, lang: Lang): Raw {
  const t = T[lang];
  const id = view.indicator.id;
  const api = new URLSearchParams({
    level: view.level ?? 'kreis',
    within: '05',
    period: view.period,
  });
  if (p.breakdown) api.set(p.breakdown.dim, p.breakdown.item);
  const q = viewQuery({ ...p, jahr: view.period });
  const file = (name: string) => href(lang, `/indikatoren/${id}/${name}${q ? `?${q}` : ''}`);
  return html`<section class="downloads" aria-labelledby="downloads">
    <h3 id="downloads">${t.downloads}</h3>
    <p>
      ${t.filters}:
      ${whenText(view, lang)}${p.breakdown ? `, ${dimWord(p.breakdown.item, lang)}` : ''}.
    </p>
    <ul>
      <li>
        <a href="/api/v1/indicators/${id}/values?${api.toString()}&amp;format=csv" download
          >${t.csv}</a
        >
      </li>
      <li>
        <a href="/api/v1/indicators/${id}/values?${api.toString()}&amp;format=xlsx" download
          >${t.xlsx}</a
        >
      </li>
      <li><a href="${file('karte.svg')}" download>${t.mapSvg}</a></li>
      <li><a href="${file('karte.png')}" download>${t.mapPng}</a></li>
      <li><a href="${file('rangfolge.svg')}" download>${t.rankSvg}</a></li>
    </ul>
  </section>`;
}

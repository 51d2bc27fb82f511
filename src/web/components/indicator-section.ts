/**
 * The indicator section: key figures, the generated sentence, the NRW map with the Revier
 * outlined, the ranking chart with reference lines, the data table (the text alternative of
 * both graphics) and the metadata. One renderer for the portal page and the report chapter.
 */
import { FLAG_LABELS_DE, type Flag } from '../../domain/index.ts';
import {
  formatNumber,
  formatValue,
  renderChoropleth,
  renderRankingChart,
} from '../../viz/index.ts';
import { html, raw, type Raw } from '../html.ts';
import { periodPhrase } from '../text.ts';
import type { IndicatorView } from '../view-data.ts';
import type { ValueRow } from '../../api/values.ts';

export interface SectionOptions {
  /** Link target for a region on the map, or null for no links (PDF). */
  regionHref?: (code: string) => string | null;
  headingLevel?: 2 | 3;
}

function figure(view: IndicatorView, row: IndicatorView['nrw'], label: string): Raw {
  const ind = view.indicator;
  return html`<div class="keyfigure">
    <span class="keyfigure-label">${label}</span>
    <span class="keyfigure-value"
      >${row ? formatValue(row.value, row.flag, ind.decimals, ind.unit) : '–'}</span
    >
    ${
      row && row.numerator !== null && row.denominator !== null
        ? html`<span class="keyfigure-detail"
            >${formatNumber(row.numerator, 0)} von ${formatNumber(row.denominator, 0)}</span
          >`
        : ''
    }
  </div>`;
}

export function renderIndicatorSection(view: IndicatorView, opts: SectionOptions = {}): Raw {
  const ind = view.indicator;
  const h = opts.headingLevel ?? 2;
  const values = new Map(
    view.kreise.map((r) => [r.region, { value: r.value, flag: r.flag, name: r.name }] as const),
  );
  const map = view.topology
    ? renderChoropleth({
        topology: view.topology,
        object: 'kreise',
        filter: (id) => id.startsWith('05'),
        values,
        outline: { ids: view.revierCodes, label: 'Rheinisches Revier' },
        title: `${ind.title_de}, Kreise und kreisfreie Städte in NRW, ${periodPhrase(ind, view.period)}`,
        unit: ind.unit,
        decimals: ind.decimals,
        linkHref: opts.regionHref ?? (() => null),
      })
    : '<p>Keine Kartengeometrie vorhanden (bimo init ausführen).</p>';
  const references = [
    view.nrw && view.nrw.value !== null
      ? { label: `NRW ${formatNumber(view.nrw.value, ind.decimals)}`, value: view.nrw.value }
      : null,
    view.revier && view.revier.value !== null
      ? {
          label: `Rheinisches Revier ${formatNumber(view.revier.value, ind.decimals)}`,
          value: view.revier.value,
        }
      : null,
  ].filter((r): r is { label: string; value: number } => r !== null);
  const chart = renderRankingChart({
    rows: view.kreise.map((r) => ({
      code: r.region,
      name: r.name,
      value: r.value,
      flag: r.flag,
      highlight: view.revierCodes.includes(r.region),
    })),
    references,
    title: `${ind.title_de}: Rangfolge der Kreise und kreisfreien Städte in NRW`,
    unit: ind.unit,
    decimals: ind.decimals,
    highlightLabel: 'Kreise des Rheinischen Reviers',
  });
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
  return html`<section class="indicator" aria-labelledby="ind-${ind.id}">
    ${raw(`<${hx} id="ind-${ind.id}">`)}${ind.id} · ${ind.title_de}${raw(`</${hx}>`)}
    <p class="subtitle">${ind.short_de}, ${periodPhrase(ind, view.period)}</p>
    <div class="keyfigures">
      ${figure(view, view.revier, 'Rheinisches Revier')}
      ${figure(view, view.nrw, 'Nordrhein-Westfalen')} ${figure(view, view.germany, 'Deutschland')}
    </div>
    <p class="lead" data-testid="sentence">${view.sentence}</p>
    <figure class="map">
      ${raw(map)}
      <figcaption>
        Karte: ${ind.title_de} in den Kreisen und kreisfreien Städten Nordrhein-Westfalens; das
        Rheinische Revier ist dick umrandet. Die Werte stehen in der Tabelle unten.
      </figcaption>
    </figure>
    <figure class="chart">
      ${raw(chart)}
      <figcaption>
        Rangfolge mit Referenzlinien für NRW und das Rheinische Revier; Kreise des Reviers
        hervorgehoben.
      </figcaption>
    </figure>
    ${raw(`<${hy}>`)}Tabelle${raw(`</${hy}>`)}
    <table class="data">
      <caption>
        ${ind.title_de} (${ind.unit}), ${periodPhrase(ind, view.period)}
      </caption>
      <thead>
        <tr>
          <th scope="col">Region</th>
          <th scope="col">Schlüssel</th>
          <th scope="col" class="num">Wert (${ind.unit})</th>
          <th scope="col" class="num">Zähler</th>
          <th scope="col" class="num">Nenner</th>
          <th scope="col">Zeichen</th>
        </tr>
      </thead>
      <tbody>
        ${tableRows.map(
          (r) =>
            html`<tr
              class="${view.revierCodes.includes(r.region) || r.level !== 'kreis' ? 'highlight' : ''}"
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
    ${raw(`<${hy}>`)}Definition und Quellen${raw(`</${hy}>`)}
    <dl class="meta">
      <dt>Definition</dt>
      <dd>${ind.definition_de}</dd>
      <dt>Hinweise</dt>
      <dd>${ind.caveats_de || '–'}</dd>
      <dt>Quellen</dt>
      <dd>
        ${
          view.sources.length === 0
            ? ind.sources.join(', ')
            : view.sources.map(
                (s) =>
                  html`${s.database}, Tabelle
                  ${s.tableCode}${s.stand ? `, Stand ${s.stand.split('-').reverse().join('.')}` : ''}; `,
              )
        }
        © Statistische Ämter des Bundes und der Länder, Datenlizenz Deutschland – Namensnennung –
        Version 2.0 (dl-de/by-2-0)
      </dd>
      <dt>Zeichen</dt>
      <dd>
        ${flags.length === 0 ? 'keine' : flags.map((f) => html`„${f}“ ${FLAG_LABELS_DE[f]}. `)}
      </dd>
      <dt>Rechenweg</dt>
      <dd>
        Anteile werden auf jeder Ebene aus summierten Zählern und Nennern berechnet, nie aus
        gemittelten Quoten. ${methodSentence('Nordrhein-Westfalen', view.nrw)}
        ${methodSentence('Deutschland', view.germany)} Der Wert des Rheinischen Reviers ist die
        Summe seiner sieben Kreise und kreisfreien Städte.
        <code
          >${ind.kind === 'formula' ? ind.formula : `${ind.of}: ${ind.minuend} − ${ind.subtrahend}`}</code
        >
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

/**
 * Portal routes: home, indicator list and indicator pages, and the static stylesheet. Pages
 * are server-rendered HTML that works without scripts; every page is reachable by links.
 */
import { readFileSync } from 'node:fs';
import type { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../api/app.ts';
import { viewerOf } from '../api/viewer.ts';
import { audienceOf, findIndicator, visibleIndicators, type Viewer } from '../api/policy.ts';
import { queryValues } from '../api/values.ts';
import { BimoError } from '../domain/index.ts';
import type { Indicator } from '../indicators/index.ts';
import { formatValue } from '../viz/index.ts';
import { renderIndicatorSection } from './components/indicator-section.ts';
import { html, type Raw } from './html.ts';
import { layout } from './layout.ts';
import { periodPhrase } from './text.ts';
import { FOCUS_GROUP, FOCUS_LAND, loadIndicatorView } from './view-data.ts';

const CSS_FILE = new URL('./static/bimo.css', import.meta.url);
export const CSS = readFileSync(CSS_FILE, 'utf8');

export function mountWeb(app: Hono<AppEnv>, deps: AppDeps): void {
  app.get('/static/bimo.css', (c) => {
    c.header('Content-Type', 'text/css; charset=utf-8');
    c.header('Cache-Control', 'public, max-age=3600');
    return c.body(CSS);
  });

  // A small mark in the portal colour; browsers also ask for /favicon.ico on their own.
  const favicon =
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#0b4f8a"/><path d="M8 24V8h8a5 5 0 0 1 0 10H8m8 0a5 5 0 0 1 0 6H8" fill="none" stroke="#fff" stroke-width="3"/></svg>';
  for (const path of ['/favicon.svg', '/favicon.ico']) {
    app.get(path, (c) => {
      c.header('Content-Type', 'image/svg+xml');
      c.header('Cache-Control', 'public, max-age=86400');
      return c.body(favicon);
    });
  }

  // What a page shows is the policy's decision for the viewer (src/api/policy.ts).
  const home = async (viewer: Viewer): Promise<string> => {
    const items = [];
    for (const ind of visibleIndicators(viewer, deps.catalog)) {
      const rows = await queryValues(deps.store, deps.regions, {
        indicator: ind,
        regions: [FOCUS_GROUP, FOCUS_LAND],
        audience: audienceOf(viewer),
      });
      const latest = rows
        .map((r) => r.period)
        .sort()
        .pop();
      const pick = (code: string) => rows.find((r) => r.region === code && r.period === latest);
      const rev = pick(FOCUS_GROUP);
      const nrw = pick(FOCUS_LAND);
      items.push(
        html`<li>
          <h3><a href="/indikatoren/${ind.id}">${ind.id} · ${ind.title_de}</a></h3>
          <p>${ind.short_de}${latest ? `, ${periodPhrase(ind, latest)}` : ''}</p>
          <p>
            Rheinisches Revier:
            <strong
              >${rev ? formatValue(rev.value, rev.flag, ind.decimals, ind.unit) : 'keine Daten'}</strong
            >
            · NRW: ${nrw ? formatValue(nrw.value, nrw.flag, ind.decimals, ind.unit) : 'keine Daten'}
          </p>
        </li>`,
      );
    }
    return layout(
      'Startseite',
      html`<h1>Bildungsmonitoring Rheinisches Revier</h1>
        <p class="lead">
          Amtliche Bildungsdaten für die sieben Kreise und kreisfreien Städte des Rheinischen
          Reviers im Vergleich mit Nordrhein-Westfalen – mit Quelle und Stand zu jedem Wert.
        </p>
        <h2>Indikatoren</h2>
        <ul class="cards">
          ${items}
        </ul>`,
    );
  };
  app.get('/', async (c) => c.html(await home(viewerOf(c))));
  app.get('/indikatoren', async (c) => c.html(await home(viewerOf(c))));

  app.get('/indikatoren/:id', async (c) => {
    const period = c.req.query('jahr');
    if (period !== undefined && !/^\d{4}$/.test(period)) {
      throw new BimoError(
        'BIMO_E_BAD_REQUEST',
        `jahr "${period}" is not a year`,
        'Use e.g. ?jahr=2023.',
        { field: 'jahr' },
      );
    }
    const viewer = viewerOf(c);
    const indicator = findIndicator(deps.catalog, c.req.param('id'), viewer);
    const coverage = await deps.store.indicatorCoverage(indicator.id);
    if (indicator.status === 'planned' || coverage.periods.length === 0) {
      return c.html(layout(`${indicator.id} ${indicator.title_de}`, noDataYet(indicator)));
    }
    const view = await loadIndicatorView(deps, indicator.id, period, viewer);
    const body = renderIndicatorSection(view, { regionHref: (code) => `/api/v1/regions/${code}` });
    return c.html(
      layout(
        `${view.indicator.id} ${view.indicator.title_de}`,
        html`<p><a href="/indikatoren">← alle Indikatoren</a></p>
          ${body}`,
      ),
    );
  });
}

/**
 * The page of an indicator without values: its definition, and which table would feed it
 * (planned) or why the database has none (active, but the imported files lack its years).
 */
function noDataYet(ind: Indicator): Raw {
  const reason =
    ind.status === 'planned'
      ? html`<p>
          <strong>Noch keine Daten.</strong> Gespeist würde der Indikator aus:
          ${ind.feed_de ?? ind.sources.join(', ')}
        </p>`
      : html`<p>
          <strong>Noch keine Daten.</strong> Die importierten Tabellen enthalten die nötigen Jahre
          nicht; gespeist wird der Indikator aus ${ind.sources.join(', ')}.
        </p>`;
  return html`<p><a href="/indikatoren">← alle Indikatoren</a></p>
    <section class="indicator" aria-labelledby="title">
      <h1 id="title">${ind.id} · ${ind.title_de}</h1>
      <p class="subtitle">${ind.short_de}</p>
      <div class="notice" role="status">${reason}</div>
      <dl class="meta">
        <dt>Definition</dt>
        <dd>${ind.definition_de}</dd>
        ${
          ind.kind === 'formula'
            ? html`<dt>Formel</dt>
                <dd><code>${ind.formula}</code></dd>`
            : ''
        }
        <dt>Einheit</dt>
        <dd>${ind.unit}</dd>
        <dt>Hinweise</dt>
        <dd>${ind.caveats_de || '–'}</dd>
        <dt>Quellen</dt>
        <dd>${ind.sources.join(', ')}</dd>
      </dl>
    </section>`;
}

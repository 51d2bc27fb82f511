/** The indicator page: map, ranking, table, text and metadata of one indicator. */
import type { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../../api/app.ts';
import { viewerOf } from '../../api/viewer.ts';
import { findIndicator } from '../../api/policy.ts';
import { BimoError } from '../../domain/index.ts';
import type { Indicator } from '../../indicators/index.ts';
import { renderIndicatorSection } from '../components/indicator-section.ts';
import { html, type Raw } from '../html.ts';
import { layout } from '../layout.ts';
import { loadIndicatorView } from '../view-data.ts';

export function mountIndicatorPages(app: Hono<AppEnv>, deps: AppDeps): void {
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

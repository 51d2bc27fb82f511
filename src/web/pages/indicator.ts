/**
 * The indicator page `/indikatoren/{id}`: view form, map, ranking, table, time series,
 * breakdowns, downloads and metadata of one indicator, German or English. Every view option is a
 * query parameter (jahr, ebene, klassen, geschlecht/nationalitaet, regionen, lang), so an
 * address restores the view. Also the map and ranking as SVG downloads and the map as PNG.
 */
import type { Context, Hono } from 'hono';
import type { AppDeps, AppEnv } from '../../api/app.ts';
import { viewerOf } from '../../api/viewer.ts';
import { findIndicator } from '../../api/policy.ts';
import { getBrowser } from '../../report/browser.ts';
import { BimoError } from '../../domain/index.ts';
import type { Indicator } from '../../indicators/index.ts';
import type { ClassMethod } from '../../viz/index.ts';
import {
  renderBreakdowns,
  renderDownloads,
  renderSeries,
  renderViewForm,
  type ViewParams,
} from '../components/indicator-extras.ts';
import {
  renderIndicatorSection,
  renderMap,
  renderRanking,
  viewTitle,
} from '../components/indicator-section.ts';
import { html, type Raw } from '../html.ts';
import { href, langOf, type Lang } from '../i18n.ts';
import { layout } from '../layout.ts';
import { describeIndicatorEn } from '../text.ts';
import { FOCUS_GROUP, loadIndicatorView, type IndicatorView } from '../view-data.ts';
import { pageFrame } from './portal-common.ts';

const METHODS: Record<NonNullable<ViewParams['klassen']>, ClassMethod> = {
  quantile: 'quantile',
  gleich: 'equal',
  jenks: 'jenks',
};

function bad(field: string, value: string, fix: string): BimoError {
  return new BimoError('BIMO_E_BAD_REQUEST', `${field} "${value}" is not valid`, fix, { field });
}

/** The view parameters of a request, checked; a wrong value is a 400 that says what fits. */
export function viewParams(c: Context, indicator: Indicator): ViewParams {
  const jahr = c.req.query('jahr');
  if (jahr !== undefined && !/^\d{4}$/.test(jahr)) {
    throw new BimoError(
      'BIMO_E_BAD_REQUEST',
      `jahr "${jahr}" is not a year`,
      'Use e.g. ?jahr=2023.',
      {
        field: 'jahr',
      },
    );
  }
  const ebene = c.req.query('ebene') || undefined;
  if (ebene !== undefined && ebene !== 'kreis' && ebene !== 'gemeinde') {
    throw bad('ebene', ebene, 'Use ebene=kreis or ebene=gemeinde.');
  }
  const klassen = c.req.query('klassen') || undefined;
  if (klassen !== undefined && !(klassen in METHODS)) {
    throw bad('klassen', klassen, 'Use klassen=quantile, klassen=gleich or klassen=jenks.');
  }
  let breakdown: ViewParams['breakdown'];
  for (const dim of ['geschlecht', 'nationalitaet', 'altersgruppe', 'wirtschaftsabschnitt']) {
    const item = c.req.query(dim);
    if (item === undefined || item === '' || item === 'insgesamt') continue;
    if (!indicator.breakdowns.includes(dim)) {
      throw bad(dim, item, `Indicator ${indicator.id} has no breakdown by ${dim}; leave it out.`);
    }
    if (breakdown) throw bad(dim, item, 'Choose one breakdown at a time.');
    breakdown = { dim, item };
  }
  const regionenRaw = c.req.query('regionen');
  const regionen =
    regionenRaw === undefined || regionenRaw.trim() === ''
      ? undefined
      : regionenRaw
          .split(',')
          .map((r) => r.trim())
          .filter((r) => r !== '');
  return {
    jahr,
    ebene: ebene as ViewParams['ebene'],
    klassen: klassen as ViewParams['klassen'],
    breakdown,
    regionen,
  };
}

async function viewFor(
  c: Context<AppEnv>,
  deps: AppDeps,
): Promise<{ view: IndicatorView; p: ViewParams; lang: Lang }> {
  const viewer = viewerOf(c);
  const indicator = findIndicator(deps.catalog, c.req.param('id') ?? '', viewer);
  const p = viewParams(c, indicator);
  const lang = langOf(c);
  const view = await loadIndicatorView(deps, indicator.id, p.jahr, viewer, {
    level: p.ebene,
    method: METHODS[p.klassen ?? 'quantile'],
    breakdown: p.breakdown,
    seriesRegions: p.regionen,
  });
  if (lang === 'en' && view.revier) {
    view.sentence = describeIndicatorEn({
      indicator: view.indicator,
      period: view.period,
      focus: view.revier,
      reference: view.nrw,
      members: [],
    });
  }
  return { view, p, lang };
}

function svgDownload(c: Context, svg: string, name: string): Response {
  c.header('Content-Type', 'image/svg+xml; charset=utf-8');
  c.header('Content-Disposition', `attachment; filename="${name}"`);
  return c.body(`<?xml version="1.0" encoding="UTF-8"?>\n${svg}`);
}

function fileName(view: IndicatorView, p: ViewParams, kind: string, ext: string): string {
  const parts = [view.indicator.id, kind, view.period, p.ebene ?? 'kreis'];
  if (p.breakdown) parts.push(p.breakdown.item);
  return `${parts.join('-')}.${ext}`;
}

export function mountIndicatorPages(app: Hono<AppEnv>, deps: AppDeps): void {
  app.get('/indikatoren/:id', async (c) => {
    const viewer = viewerOf(c);
    const indicator = findIndicator(deps.catalog, c.req.param('id'), viewer);
    const lang = langOf(c);
    const frame = pageFrame(c, deps, 'indicators');
    const coverage = await deps.store.indicatorCoverage(indicator.id);
    if (indicator.status === 'planned' || coverage.periods.length === 0) {
      viewParams(c, indicator);
      return c.html(
        layout(`${indicator.id} ${indicator.title_de}`, noDataYet(indicator, lang), frame),
      );
    }
    const { view, p } = await viewFor(c, deps);
    const extra = html`${renderSeries(view, lang)} ${renderBreakdowns(view, lang)}
    ${renderDownloads(view, p, lang)}`;
    const body = renderIndicatorSection(view, {
      lang,
      regionHref: (code) => (code === FOCUS_GROUP ? null : href(lang, `/regionen/${code}`)),
      extra,
    });
    const back = lang === 'en' ? '← all indicators' : '← alle Indikatoren';
    return c.html(
      layout(
        `${view.indicator.id} ${viewTitle(view, lang)}`,
        html`<p><a href="${href(lang, '/indikatoren')}">${back}</a></p>
          ${renderViewForm(view, p, lang)} ${body}`,
        frame,
      ),
    );
  });

  app.get('/indikatoren/:id/karte.svg', async (c) => {
    const { view, p, lang } = await viewFor(c, deps);
    const svg = renderMap(view, lang);
    if (svg === null) throw new BimoError('BIMO_E_NOT_FOUND', 'no map geometry', 'Run bimo init.');
    return svgDownload(c, svg, fileName(view, p, 'karte', 'svg'));
  });

  app.get('/indikatoren/:id/rangfolge.svg', async (c) => {
    const { view, p, lang } = await viewFor(c, deps);
    return svgDownload(c, renderRanking(view, lang), fileName(view, p, 'rangfolge', 'svg'));
  });

  /** The map as PNG: the same SVG, screenshotted by the shared Chromium at twice the size. */
  app.get('/indikatoren/:id/karte.png', async (c) => {
    const { view, p, lang } = await viewFor(c, deps);
    const svg = renderMap(view, lang);
    if (svg === null) throw new BimoError('BIMO_E_NOT_FOUND', 'no map geometry', 'Run bimo init.');
    const browser = await getBrowser();
    const page = await browser.newPage({ deviceScaleFactor: 2, javaScriptEnabled: false });
    try {
      await page.setContent(`<!doctype html><html><body>${svg}</body></html>`);
      const png = await page.locator('svg').first().screenshot({ type: 'png' });
      c.header('Content-Type', 'image/png');
      c.header(
        'Content-Disposition',
        `attachment; filename="${fileName(view, p, 'karte', 'png')}"`,
      );
      return c.body(new Uint8Array(png));
    } finally {
      await page.close();
    }
  });
}

/**
 * The page of an indicator without values: its definition, and which table would feed it
 * (planned) or why the database has none (active, but the imported files lack its years).
 */
function noDataYet(ind: Indicator, lang: Lang): Raw {
  const en = lang === 'en';
  const none = en ? 'No data yet.' : 'Noch keine Daten.';
  const reason =
    ind.status === 'planned'
      ? html`<p>
          <strong>${none}</strong>
          ${en ? 'It would be fed from:' : 'Gespeist würde der Indikator aus:'}
          ${ind.feed_de ?? ind.sources.join(', ')}
        </p>`
      : html`<p>
          <strong>${none}</strong>
          ${
            en
              ? 'The imported tables lack the years needed; it is fed from'
              : 'Die importierten Tabellen enthalten die nötigen Jahre nicht; gespeist wird der Indikator aus'
          }
          ${ind.sources.join(', ')}.
        </p>`;
  return html`<p>
      <a href="${href(lang, '/indikatoren')}">${en ? '← all indicators' : '← alle Indikatoren'}</a>
    </p>
    <section class="indicator" aria-labelledby="title">
      <h1 id="title">${ind.id} · ${en ? ind.title_en : ind.title_de}</h1>
      <p class="subtitle">${ind.short_de}</p>
      <div class="notice" role="status">${reason}</div>
      <dl class="meta">
        <dt>Definition</dt>
        <dd>${en ? (ind.definition_en ?? ind.definition_de) : ind.definition_de}</dd>
        ${
          ind.kind === 'formula'
            ? html`<dt>${en ? 'Formula' : 'Formel'}</dt>
                <dd><code>${ind.formula}</code></dd>`
            : ''
        }
        <dt>${en ? 'Unit' : 'Einheit'}</dt>
        <dd>${ind.unit}</dd>
        <dt>${en ? 'Caveats (German)' : 'Hinweise'}</dt>
        <dd>${ind.caveats_de || '–'}</dd>
        <dt>${en ? 'Sources' : 'Quellen'}</dt>
        <dd>${ind.sources.join(', ')}</dd>
      </dl>
    </section>`;
}

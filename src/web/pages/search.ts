/**
 * Search (/suche?q=) across regions (name or key prefix), indicators (id, titles, definition;
 * only those the viewer may see) and Fragestellungen. A plain GET form; results grouped by kind.
 */
import type { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../../api/app.ts';
import { visibleIndicators, type Viewer } from '../../api/policy.ts';
import { viewerOf } from '../../api/viewer.ts';
import { REGION_LEVELS, type Region } from '../../domain/index.ts';
import type { Indicator, Question } from '../../indicators/index.ts';
import { normaliseName } from '../../regions/index.ts';
import { html, type Raw } from '../html.ts';
import { href, langOf, switchHref, type Lang } from '../i18n.ts';
import { layout } from '../layout.ts';
import { catalogInfo, searchForm, titleOf } from './portal-common.ts';

/** Region results shown at most (the count says how many matched). */
const MAX_REGIONS = 50;
const MIN_LENGTH = 2;

const T = {
  de: {
    title: 'Suche',
    lead: 'Suchen Sie nach einer Region (Name oder Gemeindeschlüssel), einem Indikator oder einer Fragestellung.',
    regions: 'Regionen',
    indicators: 'Indikatoren',
    questions: 'Fragestellungen',
    results: (n: number, q: string) =>
      n === 1 ? `1 Treffer für „${q}“` : `${n} Treffer für „${q}“`,
    none: (q: string) => `Keine Treffer für „${q}“.`,
    tips: 'Prüfen Sie die Schreibweise, versuchen Sie einen kürzeren Begriff (etwa „Düren“ oder „Abschluss“) oder einen Gemeindeschlüssel wie 05358.',
    short: `Bitte geben Sie mindestens ${MIN_LENGTH} Zeichen ein.`,
    more: (shown: number, all: number) => `Die ersten ${shown} von ${all} Regionen.`,
    level: {
      bund: 'Bund',
      land: 'Land',
      rb: 'Regierungsbezirk',
      kreis: 'Kreis',
      gemeinde: 'Gemeinde',
      sozialraum: 'Sozialraum',
    },
  },
  en: {
    title: 'Search',
    lead: 'Search for a region (name or official key), an indicator or a question.',
    regions: 'Regions',
    indicators: 'Indicators',
    questions: 'Questions',
    results: (n: number, q: string) =>
      n === 1 ? `1 result for “${q}”` : `${n} results for “${q}”`,
    none: (q: string) => `No results for “${q}”.`,
    tips: 'Check the spelling, try a shorter term (such as “Düren” or “Abschluss”) or an official key such as 05358.',
    short: `Please enter at least ${MIN_LENGTH} characters.`,
    more: (shown: number, all: number) => `The first ${shown} of ${all} regions.`,
    level: {
      bund: 'Federal',
      land: 'State',
      rb: 'Administrative district',
      kreis: 'District',
      gemeinde: 'Municipality',
      sozialraum: 'Local area',
    },
  },
} as const;

const fold = (s: string): string => s.toLowerCase().replace(/\s+/g, ' ').trim();

export interface SearchResults {
  regions: Region[];
  indicators: Indicator[];
  questions: Question[];
}

/** Everything matching `query` that `viewer` may see. */
export function search(deps: AppDeps, viewer: Viewer, query: string): SearchResults {
  const q = fold(query);
  const name = normaliseName(query);
  const key = query.trim().toUpperCase();
  const regions = deps.regions
    .all()
    // A query of only brackets or commas normalises to nothing, which would match every name.
    .filter(
      (r) =>
        r.code.toUpperCase().startsWith(key) ||
        (name !== '' && normaliseName(r.name).includes(name)),
    )
    .sort(
      (a, b) =>
        REGION_LEVELS.indexOf(a.level) - REGION_LEVELS.indexOf(b.level) ||
        a.name.localeCompare(b.name, 'de') ||
        a.code.localeCompare(b.code),
    );
  const indicators = visibleIndicators(viewer, deps.catalog).filter((i) =>
    [i.id, i.title_de, i.title_en, i.short_de, i.definition_de, i.definition_en ?? ''].some((s) =>
      fold(s).includes(q),
    ),
  );
  const questions = catalogInfo().questions.filter((x) =>
    [x.id, x.title_de, x.title_en].some((s) => fold(s).includes(q)),
  );
  return { regions, indicators, questions };
}

function group(heading: string, id: string, count: number, items: Raw[], note?: string): Raw {
  if (count === 0) return html``;
  return html`<section class="results" aria-labelledby="${id}">
    <h2 id="${id}">${heading} <span class="count">(${count})</span></h2>
    ${note ? html`<p class="meta">${note}</p>` : ''}
    <ul>
      ${items}
    </ul>
  </section>`;
}

function resultsOf(deps: AppDeps, viewer: Viewer, lang: Lang, query: string): Raw {
  const t = T[lang];
  const r = search(deps, viewer, query);
  const total = r.regions.length + r.indicators.length + r.questions.length;
  if (total === 0) {
    return html`<p class="notice" role="status">${t.none(query)}</p>
      <p>${t.tips}</p>`;
  }
  const shown = r.regions.slice(0, MAX_REGIONS);
  return html`<p role="status">${t.results(total, query)}</p>
    ${group(
      t.indicators,
      'hits-indicators',
      r.indicators.length,
      r.indicators.map(
        (i) =>
          html`<li>
            <a href="${href(lang, `/indikatoren/${i.id}`)}">${i.id} · ${titleOf(i, lang)}</a>
            <p lang="de">${i.short_de}</p>
          </li>`,
      ),
    )}
    ${group(
      t.regions,
      'hits-regions',
      r.regions.length,
      shown.map(
        (x) =>
          html`<li>
            <a href="${href(lang, `/regionen/${x.code}`)}">${x.name}</a>
            <span class="meta">${t.level[x.level]} · ${x.code}</span>
          </li>`,
      ),
      r.regions.length > shown.length ? t.more(shown.length, r.regions.length) : undefined,
    )}
    ${group(
      t.questions,
      'hits-questions',
      r.questions.length,
      r.questions.map(
        (x) =>
          html`<li>
            <a href="${href(lang, `/fragestellungen/${x.id}`)}">${titleOf(x, lang)}</a>
          </li>`,
      ),
    )}`;
}

export function mountSearch(app: Hono<AppEnv>, deps: AppDeps): void {
  app.get('/suche', (c) => {
    const lang = langOf(c);
    const t = T[lang];
    const query = (c.req.query('q') ?? '').trim().slice(0, 100);
    let results: Raw = html``;
    if (query.length >= MIN_LENGTH) results = resultsOf(deps, viewerOf(c), lang, query);
    else if (query.length > 0) results = html`<p class="notice" role="status">${t.short}</p>`;
    const body = html`<h1>${t.title}</h1>
      <p class="lead">${t.lead}</p>
      ${searchForm(lang, query)} ${results}`;
    const title = query ? `${query} · ${t.title}` : t.title;
    return c.html(layout(title, body, { lang, switchHref: switchHref(c), current: 'search' }));
  });
}

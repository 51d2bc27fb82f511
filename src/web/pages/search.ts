/**
 * Search (/suche?q=) across regions and region groups (name or key), indicators (id, titles,
 * definition; only those the viewer may see) and Fragestellungen. A plain GET form; results
 * grouped by kind, best matches first (rankOf).
 */
import type { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../../api/app.ts';
import { visibleIndicators, type Viewer } from '../../api/policy.ts';
import { viewerOf } from '../../api/viewer.ts';
import type { Region } from '../../domain/index.ts';
import type { Indicator, Question } from '../../indicators/index.ts';
import { normaliseName } from '../../regions/index.ts';
import { html, type Raw } from '../html.ts';
import { href, langOf, type Lang } from '../i18n.ts';
import { layout } from '../layout.ts';
import { catalogInfo, pageFrame, searchForm, titleOf } from './portal-common.ts';

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
      group: 'Regionsgruppe',
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
      group: 'Group of regions',
    },
  },
} as const;

/**
 * How well a result matches, best first: 0 its id or key is the term (or its title is), 1 its
 * title (or key) starts with the term, 2 a word of its title starts with the term or with each
 * word of it ("Regierungsbezirk Köln" finds "Köln, Regierungsbezirk"), 3 the term is inside its
 * title or text. Results sort by rank, then by title.
 */
export type Rank = 0 | 1 | 2 | 3;

export interface Hit<T> {
  item: T;
  rank: Rank;
}

const fold = (s: string): string => s.toLowerCase().replace(/\s+/g, ' ').trim();
const wordsOf = (s: string): string[] =>
  fold(s)
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);

/** What a search term is compared with: ids/keys, titles and longer texts. */
interface Searchable {
  keys: string[];
  titles: string[];
  texts?: string[];
}

export function rankOf(query: string, s: Searchable): Rank | null {
  const q = fold(query);
  const qWords = wordsOf(query);
  if (q === '') return null;
  const keys = s.keys.map(fold);
  if (keys.includes(q)) return 0;
  // A term of only brackets or commas has no word, and would otherwise match any such name.
  if (qWords.length === 0) return null;
  const titles = s.titles.map(fold);
  if (titles.includes(q)) return 0;
  if (titles.some((t) => t.startsWith(q)) || keys.some((k) => k.startsWith(q))) return 1;
  const phrase = qWords.join(' ');
  const wordStart = (t: string): boolean => {
    const words = wordsOf(t);
    if (words.join(' ').includes(` ${phrase}`) || words.join(' ').startsWith(phrase)) return true;
    return qWords.every((w) => words.some((x) => x.startsWith(w)));
  };
  if (titles.some(wordStart)) return 2;
  const inside = (t: string): boolean =>
    t.includes(q) || qWords.every((w) => wordsOf(t).some((x) => x.includes(w)));
  if (titles.some(inside) || (s.texts ?? []).some((t) => fold(t).includes(q))) return 3;
  return null;
}

/** The items matching `query` with their rank, best first, then by title (then key). */
function ranked<T>(
  items: readonly T[],
  query: string,
  searchable: (item: T) => Searchable,
  title: (item: T) => string,
  key: (item: T) => string,
): Hit<T>[] {
  return items
    .flatMap((item) => {
      const rank = rankOf(query, searchable(item));
      return rank === null ? [] : [{ item, rank }];
    })
    .sort(
      (a, b) =>
        a.rank - b.rank ||
        title(a.item).localeCompare(title(b.item), 'de') ||
        key(a.item).localeCompare(key(b.item)),
    );
}

/** A region or a region group (the Revier, peer groups …) as a search result. */
export interface RegionHit {
  code: string;
  name: string;
  level: Region['level'] | 'group';
}

export interface SearchResults {
  regions: Hit<RegionHit>[];
  indicators: Hit<Indicator>[];
  questions: Hit<Question>[];
}

/** Everything matching `query` that `viewer` may see, best matches first. */
export function search(
  deps: AppDeps,
  viewer: Viewer,
  query: string,
  lang: Lang = 'de',
): SearchResults {
  const all: RegionHit[] = [
    ...deps.regions.all().map((r) => ({ code: r.code, name: r.name, level: r.level })),
    ...deps.regions.groups().map((g) => ({ code: g.id, name: g.name, level: 'group' as const })),
  ];
  const regions = ranked(
    all,
    query,
    // normaliseName drops bracketed notes ("(bis 2009)") and spells out "krfr.".
    (r) => ({ keys: [r.code], titles: [r.name, normaliseName(r.name)] }),
    (r) => r.name,
    (r) => r.code,
  );
  const indicators = ranked(
    visibleIndicators(viewer, deps.catalog),
    query,
    (i) => ({
      keys: [i.id],
      titles: [i.title_de, i.title_en],
      texts: [i.short_de, i.definition_de, i.definition_en ?? ''],
    }),
    (i) => titleOf(i, lang),
    (i) => i.id,
  );
  const questions = ranked(
    catalogInfo().questions,
    query,
    (x) => ({ keys: [x.id], titles: [x.title_de, x.title_en] }),
    (x) => titleOf(x, lang),
    (x) => x.id,
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
  const r = search(deps, viewer, query, lang);
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
        ({ item: i }) =>
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
        ({ item: x }) =>
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
        ({ item: x }) =>
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
    return c.html(layout(title, body, pageFrame(c, deps, 'search')));
  });
}

/**
 * Shared parts of the discovery pages (home, indicator list, Fragestellungen, search): the
 * catalog's areas and questions, titles in the page's language, and a region's latest value
 * against NRW. What is shown is the policy's decision for the viewer (src/api/policy.ts).
 */
import type { Context } from 'hono';
import type { AppDeps } from '../../api/app.ts';
import { appServices } from '../../api/env.ts';
import { audienceOf, visibleIndicators, type Viewer } from '../../api/policy.ts';
import { queryValues, type ValueRow } from '../../api/values.ts';
import { loadCatalogFull, type Catalog, type Indicator } from '../../indicators/index.ts';
import { html, raw, type Raw } from '../html.ts';
import { href, langOf, switchHref, type Lang } from '../i18n.ts';
import type { LayoutOptions, NavKey } from '../layout.ts';
import { signedInAs } from './internal/common.ts';
import type { Signs } from './signs.ts';

export const REVIER = 'rheinisches-revier';
export const NRW = '05';

/**
 * The frame of a public page: its language, the language switch, the current navigation entry
 * and the signed-in account (name, internal area, sign-out), as internal pages show it. The
 * answer then differs per viewer: varyByViewer (src/api/http.ts) adds `Vary: Cookie` to every
 * page and makes a signed-in viewer's copy `private, no-cache`, so no shared cache hands one
 * member's header (with its form token) to anyone else.
 */
export function pageFrame(
  c: Context,
  deps: AppDeps,
  current: NavKey,
  other: string = switchHref(c),
): LayoutOptions {
  const lang = langOf(c);
  return { lang, switchHref: other, current, user: signedInAs(c, appServices(deps)) };
}

let full: Catalog | undefined;

/** Areas, life phases, Handlungsfelder and questions of the catalog (read once). */
export function catalogInfo(): Catalog {
  full ??= loadCatalogFull();
  return full;
}

export const WORDS = {
  de: {
    noData: 'keine Daten',
    planned: 'noch keine Daten',
    nextReport: 'für den nächsten Bericht vorgemerkt',
    searchLabel: 'Suchbegriff',
    searchButton: 'Suchen',
    searchHint: 'Region, Kennziffer, Indikator oder Fragestellung',
  },
  en: {
    noData: 'no data',
    planned: 'no data yet',
    nextReport: 'marked for the next report',
    searchLabel: 'Search term',
    searchButton: 'Search',
    searchHint: 'Region, key, indicator or question',
  },
} as const;

/** The title of anything with `title_de` and `title_en` in the page's language. */
export const titleOf = (item: { title_de: string; title_en: string }, lang: Lang): string =>
  lang === 'en' ? item.title_en : item.title_de;

/** A period as a reader names it: `2023` of a school year → `2022/23`. */
export function periodLabel(
  ind: Pick<Indicator, 'period_kind' | 'stichtag'>,
  period: string,
  lang: Lang,
): string {
  const year = Number(period.slice(0, 4));
  const short = (y: number) => String(y).slice(2);
  switch (ind.period_kind) {
    case 'schuljahr':
      return `${lang === 'en' ? 'school year' : 'Schuljahr'} ${year - 1}/${short(year)}`;
    case 'semester':
      return `${lang === 'en' ? 'winter semester' : 'Wintersemester'} ${year}/${short(year + 1)}`;
    case 'stichtag':
      return `${ind.stichtag ?? ''}${year}`;
    default:
      return String(year);
  }
}

/**
 * A value as shown: German digits, or English ones on English pages; an official sign as an
 * abbreviation with its meaning, collected in `signs` for the page's legend.
 */
export function showValue(row: ValueRow | undefined, ind: Indicator, signs: Signs): Raw {
  if (!row) return html`${WORDS[signs.lang].noData}`;
  // A count needs no unit word on a card ("73.417", not "73.417 Anzahl").
  const unit = ind.unit === 'Anzahl' ? '' : ind.unit;
  return signs.value(row.value, row.flag, ind.decimals, unit);
}

export interface Latest {
  period: string;
  focus: ValueRow | undefined;
  nrw: ValueRow | undefined;
}

/** The latest value of `region`, with NRW in the same period (null: no row at all). */
export async function latestOf(
  deps: AppDeps,
  viewer: Viewer,
  ind: Indicator,
  region: string,
): Promise<Latest | null> {
  if (ind.status === 'planned') return null;
  const rows = await queryValues(deps.store, deps.regions, {
    indicator: ind,
    regions: region === NRW ? [NRW] : [region, NRW],
    audience: audienceOf(viewer),
  });
  // The latest period with a value; without any, the latest with a sign ('x', '.').
  const own = rows.filter((r) => r.region === region);
  const periods = (list: ValueRow[]) => list.map((r) => r.period).sort();
  const period = periods(own.filter((r) => r.value !== null)).pop() ?? periods(own).pop();
  if (period === undefined) return null;
  const pick = (code: string) => rows.find((r) => r.region === code && r.period === period);
  return { period, focus: pick(region), nrw: pick(NRW) };
}

/** The display name of a region or group code. */
export function regionName(deps: AppDeps, code: string): string {
  return deps.regions.get(code)?.name ?? deps.regions.group(code)?.name ?? code;
}

/**
 * A compact card of one indicator: title link, the region's latest value and NRW's. Signs shown
 * go into `signs`, whose legend the page puts below its cards.
 */
export function valueCard(
  ind: Indicator,
  latest: Latest | null,
  focusName: string,
  signs: Signs,
  showNrw: boolean,
  heading: 'h3' | 'h4' = 'h4',
): Raw {
  const lang = signs.lang;
  const w = WORDS[lang];
  const body = latest
    ? html`<p class="when">${periodLabel(ind, latest.period, lang)}</p>
        <dl class="pair">
          <div>
            <dt>${focusName}</dt>
            <dd><strong>${showValue(latest.focus, ind, signs)}</strong></dd>
          </div>
          ${
            showNrw
              ? html`<div>
                  <dt>NRW</dt>
                  <dd>${showValue(latest.nrw, ind, signs)}</dd>
                </div>`
              : ''
          }
        </dl>`
    : html`<p class="nodata">${ind.status === 'planned' ? w.planned : w.noData}</p>`;
  return html`<li class="card">
    ${raw(`<${heading}>`)}<a href="${href(lang, `/indikatoren/${ind.id}`)}"
      >${ind.id} · ${titleOf(ind, lang)}</a
    >${raw(`</${heading}>`)} ${body}
  </li>`;
}

/** The visible indicators of `ids`, in the order given (unknown and hidden ids left out). */
export function visibleByIds(deps: AppDeps, viewer: Viewer, ids: readonly string[]): Indicator[] {
  const visible = new Map(visibleIndicators(viewer, deps.catalog).map((i) => [i.id, i]));
  return ids.flatMap((id) => visible.get(id) ?? []);
}

/** The small search form (a plain GET form; the label is visible to everyone). */
export function searchForm(lang: Lang, q = '', id = 'q'): Raw {
  const w = WORDS[lang];
  return html`<form class="search" role="search" method="get" action="/suche">
    <label for="${id}">${w.searchLabel}</label>
    <input id="${id}" name="q" type="search" value="${q}" placeholder="${w.searchHint}" />
    ${lang === 'en' ? raw('<input type="hidden" name="lang" value="en" />') : ''}
    <button type="submit">${w.searchButton}</button>
  </form>`;
}

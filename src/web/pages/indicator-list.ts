/**
 * The indicator list (/indikatoren): every indicator the viewer may see, grouped by area A–I
 * with its life phase, title, short description and status; `?bereich=D` shows one area.
 */
import type { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../../api/app.ts';
import { visibleIndicators } from '../../api/policy.ts';
import { viewerOf } from '../../api/viewer.ts';
import { html } from '../html.ts';
import { href, langOf } from '../i18n.ts';
import { layout } from '../layout.ts';
import { catalogInfo, pageFrame, titleOf, WORDS } from './portal-common.ts';

const T = {
  de: {
    title: 'Indikatoren',
    lead: 'Alle Indikatoren des Bildungsmonitorings nach Themenbereich. Jeder Indikator hat eine eigene Seite mit Karte, Zeitreihe und Quellen.',
    area: 'Themenbereich',
    all: 'Alle Bereiche',
    show: 'Anzeigen',
    phase: 'Lebensphase',
    count: (n: number) => (n === 1 ? '1 Indikator' : `${n} Indikatoren`),
    unknown: 'Diesen Themenbereich gibt es nicht; gezeigt werden alle Bereiche.',
  },
  en: {
    title: 'Indicators',
    lead: 'All indicators of the education monitoring by area. Each indicator has its own page with map, time series and sources.',
    area: 'Area',
    all: 'All areas',
    show: 'Show',
    phase: 'Life phase',
    count: (n: number) => (n === 1 ? '1 indicator' : `${n} indicators`),
    unknown: 'There is no such area; all areas are shown.',
  },
} as const;

export function mountIndicatorList(app: Hono<AppEnv>, deps: AppDeps): void {
  app.get('/indikatoren', (c) => {
    const lang = langOf(c);
    const t = T[lang];
    const info = catalogInfo();
    const asked = (c.req.query('bereich') ?? '').toUpperCase();
    const known = info.areas.some((a) => a.id === asked);
    const areas = known ? info.areas.filter((a) => a.id === asked) : info.areas;
    const visible = visibleIndicators(viewerOf(c), deps.catalog);
    const sections = areas.map((area) => {
      const phase = info.lifePhases.find((p) => p.id === area.phase);
      const inds = visible.filter((i) => i.area === area.id);
      return html`<section class="area" aria-labelledby="area-${area.id}">
        <h2 id="area-${area.id}">${area.id} · ${titleOf(area, lang)}</h2>
        <p class="meta">
          ${t.phase}: ${phase ? titleOf(phase, lang) : area.phase} · ${t.count(inds.length)}
        </p>
        ${area.description_de ? html`<p lang="de">${area.description_de}</p>` : ''}
        <ul class="indicator-list">
          ${inds.map(
            (i) =>
              html`<li>
                <a href="${href(lang, `/indikatoren/${i.id}`)}">${i.id} · ${titleOf(i, lang)}</a>
                ${
                  i.status === 'planned'
                    ? html`<span class="status">${WORDS[lang].planned}</span>`
                    : ''
                }
                <p lang="de">${i.short_de}</p>
              </li>`,
          )}
        </ul>
      </section>`;
    });
    const filter = html`<form class="area-filter" method="get" action="/indikatoren">
      <label for="bereich">${t.area}</label>
      <select id="bereich" name="bereich">
        <option value="">${t.all}</option>
        ${info.areas.map(
          (a) =>
            html`<option value="${a.id}" ${a.id === asked ? html`selected` : ''}>
              ${a.id} · ${titleOf(a, lang)}
            </option>`,
        )}
      </select>
      ${lang === 'en' ? html`<input type="hidden" name="lang" value="en" />` : ''}
      <button type="submit">${t.show}</button>
    </form>`;
    const body = html`<h1>${t.title}</h1>
      <p class="lead">${t.lead}</p>
      ${filter} ${asked !== '' && !known ? html`<p class="notice">${t.unknown}</p>` : ''}
      ${sections}`;
    return c.html(layout(t.title, body, pageFrame(c, deps, 'indicators')));
  });
}

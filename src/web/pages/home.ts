/**
 * The home page: an overview by life phase and area, with a few key figures of the chosen region
 * (a Kreis of the Revier, the Revier, or NRW) against NRW, then the Fragestellungen by
 * Handlungsfeld. The indicator list (/indikatoren) is mounted here too (indicator-list.ts).
 */
import type { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../../api/app.ts';
import { visibleIndicators, type Viewer } from '../../api/policy.ts';
import { viewerOf } from '../../api/viewer.ts';
import type { Indicator } from '../../indicators/index.ts';
import { html, type Raw } from '../html.ts';
import { href, langOf, type Lang } from '../i18n.ts';
import { layout } from '../layout.ts';
import { mountIndicatorList } from './indicator-list.ts';
import {
  catalogInfo,
  latestOf,
  NRW,
  pageFrame,
  regionName,
  REVIER,
  searchForm,
  titleOf,
  valueCard,
} from './portal-common.ts';
import { Signs } from './signs.ts';

/** Key figures per area on the home page. */
const PER_AREA = 3;

/** The key indicators shown first (then the area's other indicators with values). */
const KEY = ['A1', 'A6', 'A7', 'B3', 'B4', 'C1', 'C2', 'D6', 'D7', 'D2', 'E5', 'E5a', 'F1', 'F1a'];
const keyFirst = (inds: Indicator[]): Indicator[] => [
  ...KEY.flatMap((id) => inds.filter((i) => i.id === id)),
  ...inds.filter((i) => !KEY.includes(i.id)),
];

const T = {
  de: {
    title: 'Startseite',
    h1: 'Bildungsmonitoring Rheinisches Revier',
    lead: 'Amtliche Bildungsdaten für die Kreise und kreisfreien Städte des Rheinischen Reviers im Vergleich mit Nordrhein-Westfalen – mit Quelle und Stand zu jedem Wert.',
    region: 'Region',
    show: 'Anzeigen',
    regionForm: 'Region wählen',
    figures: (name: string) =>
      `Kennzahlen für ${name} im Vergleich mit NRW, jeweils das letzte Jahr mit Daten.`,
    all: (area: string) => `Alle Indikatoren zu ${area}`,
    questions: 'Fragestellungen nach Handlungsfeld',
    questionsLead: 'Die Fragen der AG Bildungsmonitoring und die Indikatoren, die sie beantworten.',
    noFigures: 'Für diese Region liegen in diesem Bereich noch keine Werte vor.',
    noValue: 'keine Angabe: für NRW gibt es in diesem Jahr keinen Wert.',
  },
  en: {
    title: 'Home',
    h1: 'Education monitoring Rhenish mining area',
    lead: 'Official education data for the districts and district-free cities of the Rhenish mining area compared with North Rhine-Westphalia – with source and date for every value.',
    region: 'Region',
    show: 'Show',
    regionForm: 'Choose a region',
    figures: (name: string) =>
      `Key figures for ${name} compared with NRW, each for the latest year with data.`,
    all: (area: string) => `All indicators on ${area}`,
    questions: 'Questions by field of action',
    questionsLead:
      'The questions of the monitoring working group and the indicators that answer them.',
    noFigures: 'No values for this region in this area yet.',
    noValue: 'not available: there is no value for NRW in this year.',
  },
} as const;

/** The regions a visitor can choose: the Revier, its Kreise and kreisfreie Städte, NRW. */
export function homeRegions(deps: AppDeps): { code: string; name: string }[] {
  return [
    { code: REVIER, name: regionName(deps, REVIER) },
    ...deps.regions
      .members(REVIER, 'kreis')
      .map((r) => ({ code: r.code, name: r.name }))
      .sort((a, b) => a.name.localeCompare(b.name, 'de')),
    { code: NRW, name: regionName(deps, NRW) },
  ];
}

function regionForm(lang: Lang, regions: { code: string; name: string }[], chosen: string): Raw {
  const t = T[lang];
  return html`<form class="region-choice" method="get" action="/" aria-label="${t.regionForm}">
    <label for="region">${t.region}</label>
    <select id="region" name="region">
      ${regions.map(
        (r) =>
          html`<option value="${r.code}" ${r.code === chosen ? html`selected` : ''}>
            ${r.name}
          </option>`,
      )}
    </select>
    ${lang === 'en' ? html`<input type="hidden" name="lang" value="en" />` : ''}
    <button type="submit">${t.show}</button>
  </form>`;
}

/** The first few indicators of an area with a value for the region (breakdown gaps left out). */
async function keyFigures(
  deps: AppDeps,
  viewer: Viewer,
  inds: Indicator[],
  region: string,
  signs: Signs,
): Promise<Raw[]> {
  const cards: Raw[] = [];
  const name = regionName(deps, region);
  for (const ind of keyFirst(inds)) {
    if (cards.length >= PER_AREA) break;
    if (ind.kind === 'gap' || ind.status === 'planned') continue;
    const latest = await latestOf(deps, viewer, ind, region);
    if (latest?.focus?.value === undefined || latest.focus.value === null) continue;
    cards.push(valueCard(ind, latest, name, signs, region !== NRW));
  }
  return cards;
}

async function homePage(deps: AppDeps, viewer: Viewer, lang: Lang, region: string): Promise<Raw> {
  const t = T[lang];
  const info = catalogInfo();
  const visible = visibleIndicators(viewer, deps.catalog);
  const regions = homeRegions(deps);
  const signs = new Signs(lang);
  const phases: Raw[] = [];
  for (const phase of info.lifePhases) {
    const areas = info.areas.filter((a) => a.phase === phase.id);
    if (areas.length === 0) continue;
    const blocks: Raw[] = [];
    for (const area of areas) {
      const cards = await keyFigures(
        deps,
        viewer,
        visible.filter((i) => i.area === area.id),
        region,
        signs,
      );
      blocks.push(
        html`<section class="area" aria-labelledby="area-${area.id}">
          <h3 id="area-${area.id}">${area.id} · ${titleOf(area, lang)}</h3>
          ${
            cards.length > 0
              ? html`<ul class="cards figures">
                  ${cards}
                </ul>`
              : html`<p class="nodata">${t.noFigures}</p>`
          }
          <p class="more">
            <a href="${href(lang, `/indikatoren?bereich=${area.id}`)}"
              >${t.all(titleOf(area, lang))}</a
            >
          </p>
        </section>`,
      );
    }
    phases.push(
      html`<section class="phase" aria-labelledby="phase-${phase.id}">
        <h2 id="phase-${phase.id}">${titleOf(phase, lang)}</h2>
        ${blocks}
      </section>`,
    );
  }
  const fields = info.handlungsfelder
    .filter((hf) => hf.chosen)
    .map((hf) => {
      const qs = info.questions.filter((q) => q.handlungsfeld === hf.id);
      return html`<li>
        <h3>${titleOf(hf, lang)}</h3>
        <ul>
          ${qs.map(
            (q) =>
              html`<li>
                <a href="${href(lang, `/fragestellungen/${q.id}`)}">${titleOf(q, lang)}</a>
              </li>`,
          )}
        </ul>
      </li>`;
    });
  return html`<h1>${t.h1}</h1>
    <p class="lead">${t.lead}</p>
    <div class="tools">${searchForm(lang, '', 'home-q')} ${regionForm(lang, regions, region)}</div>
    <p class="figures-note">${t.figures(regionName(deps, region))}</p>
    ${phases} ${signs.legend(t.noValue)}
    <section class="questions" aria-labelledby="questions">
      <h2 id="questions">${t.questions}</h2>
      <p>${t.questionsLead}</p>
      <ul class="fields">
        ${fields}
      </ul>
    </section>`;
}

export function mountHome(app: Hono<AppEnv>, deps: AppDeps): void {
  // What a page shows is the policy's decision for the viewer (src/api/policy.ts).
  app.get('/', async (c) => {
    const lang = langOf(c);
    const asked = c.req.query('region') ?? REVIER;
    const region = homeRegions(deps).some((r) => r.code === asked) ? asked : REVIER;
    const body = await homePage(deps, viewerOf(c), lang, region);
    return c.html(layout(T[lang].title, body, pageFrame(c, deps, 'home')));
  });
  mountIndicatorList(app, deps);
}

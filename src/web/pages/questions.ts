/**
 * Fragestellungen: /fragestellungen lists the questions of the AG Bildungsmonitoring by
 * Handlungsfeld; /fragestellungen/{id} shows one question, its origin, whether it is marked for
 * the next report, and its indicators (those the viewer may see) with the Revier's latest value
 * against NRW.
 */
import type { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../../api/app.ts';
import { viewerOf } from '../../api/viewer.ts';
import { html } from '../html.ts';
import { href, langOf } from '../i18n.ts';
import { layout } from '../layout.ts';
import {
  catalogInfo,
  latestOf,
  pageFrame,
  regionName,
  REVIER,
  titleOf,
  valueCard,
  visibleByIds,
  WORDS,
} from './portal-common.ts';
import { Signs } from './signs.ts';

const T = {
  de: {
    title: 'Fragestellungen',
    lead: 'Die Fragen, die die AG Bildungsmonitoring Rheinisches Revier an die Daten stellt, geordnet nach Handlungsfeld.',
    origin: 'Herkunft',
    report: 'Nächster Bericht',
    yes: 'ja, vorgemerkt',
    no: 'nein',
    field: 'Handlungsfeld',
    indicators: 'Indikatoren zu dieser Frage',
    figures: 'Jeweils der letzte Wert des Rheinischen Reviers im Vergleich mit NRW.',
    none: 'Zu dieser Frage sind noch keine Indikatoren sichtbar.',
    back: 'Alle Fragestellungen',
    notFound: 'Fragestellung nicht gefunden',
    notFoundText: 'Eine Fragestellung mit dieser Kennung gibt es nicht.',
  },
  en: {
    title: 'Questions',
    lead: 'The questions the monitoring working group of the Rhenish mining area asks of the data, by field of action.',
    origin: 'Origin',
    report: 'Next report',
    yes: 'yes, marked',
    no: 'no',
    field: 'Field of action',
    indicators: 'Indicators for this question',
    figures: 'Each the latest value of the Rhenish mining area compared with NRW.',
    none: 'No indicators for this question are visible yet.',
    back: 'All questions',
    notFound: 'Question not found',
    notFoundText: 'There is no question with this id.',
  },
} as const;

export function mountQuestions(app: Hono<AppEnv>, deps: AppDeps): void {
  app.get('/fragestellungen', (c) => {
    const lang = langOf(c);
    const t = T[lang];
    const info = catalogInfo();
    const fields = info.handlungsfelder
      .filter((hf) => hf.chosen)
      .map((hf) => {
        const qs = info.questions.filter((q) => q.handlungsfeld === hf.id);
        return html`<section aria-labelledby="${hf.id}">
          <h2 id="${hf.id}">${titleOf(hf, lang)}</h2>
          <ul class="question-list">
            ${qs.map(
              (q) =>
                html`<li>
                  <a href="${href(lang, `/fragestellungen/${q.id}`)}">${titleOf(q, lang)}</a>
                  ${q.next_report ? html`<span class="status">${WORDS[lang].nextReport}</span>` : ''}
                </li>`,
            )}
          </ul>
        </section>`;
      });
    const body = html`<h1>${t.title}</h1>
      <p class="lead">${t.lead}</p>
      ${fields}`;
    return c.html(layout(t.title, body, pageFrame(c, deps, 'questions')));
  });

  app.get('/fragestellungen/:id', async (c) => {
    const lang = langOf(c);
    const t = T[lang];
    const info = catalogInfo();
    const q = info.questions.find((x) => x.id === c.req.param('id'));
    const opts = pageFrame(c, deps, 'questions');
    if (!q) {
      const body = html`<h1>${t.notFound}</h1>
        <p>${t.notFoundText}</p>
        <p><a href="${href(lang, '/fragestellungen')}">${t.back}</a></p>`;
      return c.html(layout(t.notFound, body, opts), 404);
    }
    const viewer = viewerOf(c);
    const hf = info.handlungsfelder.find((h) => h.id === q.handlungsfeld);
    const name = regionName(deps, REVIER);
    const cards = [];
    const signs = new Signs(lang);
    for (const ind of visibleByIds(deps, viewer, q.indicators)) {
      const latest = await latestOf(deps, viewer, ind, REVIER);
      cards.push(valueCard(ind, latest, name, signs, true, 'h3'));
    }
    const body = html`<p class="crumb"><a href="${href(lang, '/fragestellungen')}">${t.back}</a></p>
      <h1>${titleOf(q, lang)}</h1>
      <dl class="meta">
        <dt>${t.field}</dt>
        <dd>${hf ? titleOf(hf, lang) : q.handlungsfeld}</dd>
        ${
          q.origin_de
            ? html`<dt>${t.origin}</dt>
                <dd lang="de">${q.origin_de}</dd>`
            : ''
        }
        <dt>${t.report}</dt>
        <dd>${q.next_report ? t.yes : t.no}</dd>
      </dl>
      <section aria-labelledby="q-indicators">
        <h2 id="q-indicators">${t.indicators}</h2>
        ${
          cards.length > 0
            ? html`<p>${t.figures}</p>
                <ul class="cards figures">
                  ${cards}
                </ul>
                ${signs.legend()}`
            : html`<p>${t.none}</p>`
        }
      </section>`;
    return c.html(layout(`${q.id} · ${t.title}`, body, opts));
  });
}

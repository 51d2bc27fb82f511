/** The home page (and, for now, the indicator list): every indicator with Revier and NRW. */
import type { Hono } from 'hono';
import type { AppDeps, AppEnv } from '../../api/app.ts';
import { viewerOf } from '../../api/viewer.ts';
import { audienceOf, visibleIndicators, type Viewer } from '../../api/policy.ts';
import { queryValues } from '../../api/values.ts';
import { formatValue } from '../../viz/index.ts';
import { html } from '../html.ts';
import { layout } from '../layout.ts';
import { periodPhrase } from '../text.ts';
import { FOCUS_GROUP, FOCUS_LAND } from '../view-data.ts';

export function mountHome(app: Hono<AppEnv>, deps: AppDeps): void {
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
}

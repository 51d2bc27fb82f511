/**
 * The region list (/regionen: the Revier's Kreise with their Gemeinden, all NRW Kreise, the
 * groups, with a name filter) and the region profiles (/regionen/{code}, src/web/pages/
 * region-profile.ts). Unknown codes get a 404 page that reads like the API's error envelope.
 */
import type { Context, Hono } from 'hono';
import type { AppDeps, AppEnv } from '../../api/app.ts';
import { viewerOf } from '../../api/viewer.ts';
import type { Region } from '../../domain/index.ts';
import type { RegionRegistry } from '../../regions/index.ts';
import { html, type Raw } from '../html.ts';
import { href, langOf, type Lang } from '../i18n.ts';
import { layout } from '../layout.ts';
import { renderProfile } from './region-profile.ts';
import { pageFrame } from './portal-common.ts';
import { loadProfile } from './region-profile-data.ts';
import { NRW, REVIER } from './region-words.ts';

const W = {
  de: {
    title: 'Regionen',
    intro:
      'Alle Regionsprofile: die Kreise des Rheinischen Reviers mit ihren Gemeinden, alle Kreise und kreisfreien Städte in NRW, das Land und die Regionsgruppen.',
    filter: 'Regionen filtern',
    name: 'Name oder Schlüssel',
    apply: 'Filtern',
    reset: 'Filter aufheben',
    hits: (n: number, q: string) => `${n} Regionen passen zu „${q}“.`,
    revier: 'Rheinisches Revier',
    revierProfile: 'Profil des Rheinischen Reviers (alle sieben Kreise zusammen)',
    nrwKreise: 'Alle Kreise und kreisfreien Städte in NRW',
    more: 'Land, Bund und Regionsgruppen',
    gemeinden: (n: number) => `${n} Gemeinden`,
    nothing: 'Keine Region passt zum Filter.',
    notFound: 'Region nicht gefunden',
    code: 'Fehlercode',
    message: 'Meldung',
    fix: 'Abhilfe',
    fixText:
      'Verwenden Sie einen AGS-Schlüssel wie 05358 (Kreis Düren), 05 (NRW) oder eine Gruppe wie rheinisches-revier; die Liste aller Regionen steht unter /regionen.',
    notFoundMsg: 'Zu diesem Schlüssel gibt es weder eine Region noch eine Regionsgruppe.',
  },
  en: {
    title: 'Regions',
    intro:
      'All region profiles: the districts of the Rhenish mining area with their municipalities, all districts and district-free cities of NRW, the Land and the groups of regions.',
    filter: 'Filter regions',
    name: 'Name or key',
    apply: 'Filter',
    reset: 'Clear filter',
    hits: (n: number, q: string) => `${n} regions match “${q}”.`,
    revier: 'Rhenish mining area',
    revierProfile: 'Profile of the Rhenish mining area (all seven districts together)',
    nrwKreise: 'All districts and district-free cities in NRW',
    more: 'Land, Federation and groups of regions',
    gemeinden: (n: number) => `${n} municipalities`,
    nothing: 'No region matches the filter.',
    notFound: 'Region not found',
    code: 'Error code',
    message: 'Message',
    fix: 'Fix',
    fixText:
      'Use an AGS key such as 05358 (Kreis Düren), 05 (NRW) or a group such as rheinisches-revier; /regionen lists all regions.',
    notFoundMsg: 'There is neither a region nor a group of regions with this key.',
  },
} as const;

const link = (lang: Lang, code: string, name: string): Raw =>
  html`<a href="${href(lang, `/regionen/${encodeURIComponent(code)}`)}">${name}</a>`;

function matcher(q: string): (r: { code: string; name: string }) => boolean {
  const needle = q.trim().toLowerCase();
  return (r) => needle === '' || r.name.toLowerCase().includes(needle) || r.code.startsWith(needle);
}

function listPage(regions: RegionRegistry, lang: Lang, q: string): Raw {
  const t = W[lang];
  const ok = matcher(q);
  const revierKreise = regions.members(REVIER, 'kreis');
  const current = (r: Region) => r.validTo === null;
  const revierBlocks = revierKreise
    .map((k) => ({
      k,
      gem: regions
        .children(k.code)
        .filter(current)
        .filter((g) => g.level === 'gemeinde'),
    }))
    .map(({ k, gem }) => ({ k, gem: ok(k) ? gem : gem.filter(ok), show: ok(k) || gem.some(ok) }))
    .filter((b) => b.show);
  const nrwKreise = regions.atLevel('kreis', NRW).filter(current).filter(ok);
  const others = [
    ...['DG', NRW].map((c) => regions.get(c)).filter((r): r is Region => r !== undefined),
    ...regions.groups().map((g) => ({ code: g.id, name: g.name })),
  ].filter(ok);
  const total =
    revierBlocks.reduce((n, b) => n + 1 + b.gem.length, 0) + nrwKreise.length + others.length;
  return html`<h1>${t.title}</h1>
    <p class="lead">${t.intro}</p>
    <form
      class="region-filter"
      method="get"
      action="/regionen"
      role="search"
      aria-label="${t.filter}"
    >
      <label for="q">${t.name}</label>
      <input id="q" name="q" type="search" value="${q}" />
      ${lang === 'en' ? html`<input type="hidden" name="lang" value="en" />` : ''}
      <button type="submit">${t.apply}</button>
      ${q ? html`<a href="${href(lang, '/regionen')}">${t.reset}</a>` : ''}
    </form>
    ${q ? html`<p role="status">${t.hits(total, q)}</p>` : ''}
    ${total === 0 ? html`<p>${t.nothing}</p>` : ''}
    ${
      revierBlocks.length > 0
        ? html`<section aria-labelledby="revier">
            <h2 id="revier">${t.revier}</h2>
            <p>${link(lang, REVIER, t.revierProfile)}</p>
            <ul class="revier-tree">
              ${revierBlocks.map(
                (b) =>
                  html`<li>
                    <h3>${link(lang, b.k.code, b.k.name)} <span class="code">${b.k.code}</span></h3>
                    <p class="count">${t.gemeinden(b.gem.length)}</p>
                    <ul class="region-parts">
                      ${b.gem.map((g) => html`<li>${link(lang, g.code, g.name)}</li>`)}
                    </ul>
                  </li>`,
              )}
            </ul>
          </section>`
        : ''
    }
    ${
      nrwKreise.length > 0
        ? html`<section aria-labelledby="nrw">
            <h2 id="nrw">${t.nrwKreise}</h2>
            <ul class="region-parts">
              ${nrwKreise.map((k) => html`<li>${link(lang, k.code, k.name)} <span class="code">${k.code}</span></li>`)}
            </ul>
          </section>`
        : ''
    }
    ${
      others.length > 0
        ? html`<section aria-labelledby="more">
            <h2 id="more">${t.more}</h2>
            <ul class="region-parts">
              ${others.map((r) => html`<li>${link(lang, r.code, r.name)}</li>`)}
            </ul>
          </section>`
        : ''
    }`;
}

function notFound(c: Context, deps: AppDeps, lang: Lang): Response {
  const t = W[lang];
  const body = html`<p><a href="${href(lang, '/regionen')}">${W[lang].title}</a></p>
    <h1>${t.notFound}</h1>
    <dl class="meta error-envelope">
      <dt>${t.code}</dt>
      <dd><code>BIMO_E_REGION_UNKNOWN</code></dd>
      <dt>${t.message}</dt>
      <dd>${t.notFoundMsg}</dd>
      <dt>${t.fix}</dt>
      <dd>${t.fixText}</dd>
    </dl>`;
  return c.html(layout(t.notFound, body, pageFrame(c, deps, 'regions')), 404);
}

export function mountRegions(app: Hono<AppEnv>, deps: AppDeps): void {
  app.get('/regionen', (c) => {
    const lang = langOf(c);
    const q = (c.req.query('q') ?? '').slice(0, 100);
    return c.html(
      layout(W[lang].title, listPage(deps.regions, lang, q), pageFrame(c, deps, 'regions')),
    );
  });

  app.get('/regionen/:code', async (c) => {
    const lang = langOf(c);
    const code = c.req.param('code');
    const profile = await loadProfile(deps, code, viewerOf(c));
    if (!profile) return notFound(c, deps, lang);
    const revierKreise = deps.regions.members(REVIER, 'kreis').map((k) => k.code);
    const chosen = [code, ...revierKreise.filter((k) => k !== code)].join(',');
    const compareHref = href(lang, `/vergleich?regionen=${chosen}`);
    return c.html(
      layout(
        profile.name,
        renderProfile(lang, profile, compareHref),
        pageFrame(c, deps, 'regions'),
      ),
    );
  });
}

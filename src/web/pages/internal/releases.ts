/**
 * The internal start page and the releases: `/intern` (links by what the policy allows this
 * account), `/intern/freigaben` (drafts, approved and published releases), `/intern/freigaben/:id`
 * (what a release changes, cell by cell) with the approve and publish buttons for admins. The
 * steps are the API's (src/api/workflow.ts); these pages only render them.
 */
import type { Context, Hono } from 'hono';
import type { AppEnv, Services } from '../../../api/env.ts';
import {
  activeUser,
  canAdminUsers,
  canApprove,
  canPublish,
  canReadAudit,
  canSeeRelease,
  canUpload,
} from '../../../api/policy.ts';
import { viewerOf } from '../../../api/viewer.ts';
import { workflowOf } from '../../../api/workflow.ts';
import type { Release } from '../../../domain/index.ts';
import type { CellChange } from '../../../ingest/index.ts';
import { formatNumber } from '../../../viz/index.ts';
import { html } from '../../html.ts';
import { csrfField, dataTable, idParam, internal, page, when } from './common.ts';

const STATUS: Record<Release['status'], string> = {
  draft: 'Entwurf',
  approved: 'freigegeben',
  published: 'veröffentlicht',
};
const CHANGE: Record<CellChange['change'], string> = {
  added: 'neu',
  removed: 'entfernt',
  changed: 'geändert',
};
/** Changed cells shown on one page; the API pages through all of them. */
const DIFF_ROWS = 200;

const cell = (v: CellChange['before']): string =>
  v === null ? '–' : v.value === null ? (v.flag ?? '–') : formatNumber(v.value, 0);

/**
 * A published release whose indicator values are not complete yet (being computed, or the run
 * was stopped): the portal still shows the release before it until `bimo compute` has run.
 */
function pendingNote(r: Release) {
  return r.status === 'published' && r.computedAt === null
    ? html` <small
        >(Kennzahlen werden berechnet; bis dahin zeigt das Portal die vorige Freigabe. Bleibt es
        dabei, <code>bimo compute</code> ausführen.)</small
      >`
    : '';
}

function releaseRows(releases: Release[]) {
  return releases.map(
    (r) =>
      html`<tr>
        <td><a href="/intern/freigaben/${r.id}">Release ${r.id}</a></td>
        <td><span class="status status-${r.status}">${STATUS[r.status]}</span>${pendingNote(r)}</td>
        <td>${r.note}</td>
        <td>${r.createdBy}</td>
        <td>${when(r.createdAt)}</td>
        <td>${when(r.publishedAt)}</td>
      </tr>`,
  );
}

export function mountReleases(app: Hono<AppEnv>, s: Services): void {
  const flow = workflowOf(s);

  app.get(
    '/intern',
    internal(s, async (c, a) => {
      const v = a.viewer;
      const user = activeUser(v);
      const links = [
        html`<li><a href="/intern/freigaben">Freigaben</a>: Entwürfe und was sie ändern</li>`,
        html`<li>
          <a href="/intern/ag">Arbeitsbereich der AG</a>: Handlungsfelder, Fragestellungen und was
          in den nächsten Bericht kommt
        </li>`,
        canUpload(v)
          ? html`<li><a href="/intern/import">Import</a>: Dateien prüfen und übernehmen</li>`
          : '',
        canAdminUsers(v) ? html`<li><a href="/intern/nutzer">Nutzerkonten</a></li>` : '',
        canReadAudit(v) ? html`<li><a href="/intern/protokoll">Protokoll</a> (Audit-Log)</li>` : '',
        html`<li><a href="/indikatoren">Alle Indikatoren</a>, auch die nicht öffentlichen</li>`,
      ];
      const drafts = (await s.store.listReleases()).filter((r) => r.status !== 'published');
      return page(
        c,
        s,
        'Interner Bereich',
        html`<h1>Interner Bereich</h1>
          <p class="lead">
            Angemeldet als ${user?.name || user?.email} (Rolle: ${user?.role}). Hier sehen Sie die
            nicht öffentlichen Indikatoren und die Entwürfe neuer Daten.
          </p>
          <ul class="internal-links">
            ${links}
          </ul>
          <p>
            ${
              drafts.length === 0
                ? 'Keine offenen Entwürfe.'
                : `${drafts.length} Release(s) warten auf Freigabe oder Veröffentlichung.`
            }
          </p>`,
      );
    }),
  );

  app.get(
    '/intern/freigaben',
    internal(s, async (c, a) => {
      const releases = (await s.store.listReleases())
        .filter((r) => canSeeRelease(a.viewer, r))
        .sort((x, y) => y.id - x.id);
      return page(
        c,
        s,
        'Freigaben',
        html`<h1>Freigaben</h1>
          <p class="lead">
            Jeder Import ist ein Release: Entwurf → freigegeben → veröffentlicht. Erst
            veröffentlichte Daten erscheinen im öffentlichen Portal.
          </p>
          ${dataTable('Releases, neueste zuerst', ['Release', 'Status', 'Notiz', 'Erstellt von', 'Erstellt', 'Veröffentlicht'], releaseRows(releases))}`,
      );
    }),
  );

  app.get(
    '/intern/freigaben/:id',
    internal(s, async (c, a) => {
      const id = idParam(c);
      const { base, changes } = await flow.diff(a, id);
      const release = (await s.store.getRelease(id)) as Release;
      return page(c, s, `Release ${id}`, releasePage(c, s, release, base, changes));
    }),
  );

  app.post(
    '/intern/freigaben/:id/freigeben',
    internal(s, async (c, a) => {
      const id = idParam(c);
      await flow.approve(a, id);
      return c.redirect(`/intern/freigaben/${id}`, 303);
    }),
  );

  app.post(
    '/intern/freigaben/:id/veroeffentlichen',
    internal(s, async (c, a) => {
      const id = idParam(c);
      await flow.publish(a, id);
      return c.redirect(`/intern/freigaben/${id}`, 303);
    }),
  );
}

function releasePage(
  c: Context,
  s: Services,
  r: Release,
  base: number | null,
  changes: CellChange[],
) {
  const v = viewerOf(c);
  const actions = [
    r.status === 'draft' && canApprove(v)
      ? html`<form method="post" action="/intern/freigaben/${r.id}/freigeben">
          ${csrfField(c, s)}<button type="submit">Freigeben</button>
        </form>`
      : '',
    r.status === 'approved' && canPublish(v)
      ? html`<form method="post" action="/intern/freigaben/${r.id}/veroeffentlichen">
          ${csrfField(c, s)}<button type="submit">Veröffentlichen</button>
        </form>`
      : '',
  ];
  const rows = changes.slice(0, DIFF_ROWS).map(
    (ch) =>
      html`<tr>
        <td>${CHANGE[ch.change]}</td>
        <td><code>${ch.variable}</code></td>
        <td>${ch.region}</td>
        <td>${ch.period}</td>
        <td>${ch.dims || '–'}</td>
        <td class="num">${cell(ch.before)}</td>
        <td class="num">${cell(ch.after)}</td>
      </tr>`,
  );
  return html`<p><a href="/intern/freigaben">Alle Freigaben</a></p>
    <h1>Release ${r.id}: <span class="status status-${r.status}">${STATUS[r.status]}</span></h1>
    ${r.status === 'published' && r.computedAt === null ? html`<p>${pendingNote(r)}</p>` : ''}
    <dl class="facts">
      <dt>Notiz</dt>
      <dd>${r.note || '–'}</dd>
      <dt>Erstellt von</dt>
      <dd>${r.createdBy}, ${when(r.createdAt)}</dd>
      <dt>Veröffentlicht</dt>
      <dd>${when(r.publishedAt)}</dd>
    </dl>
    <div class="internal-actions">${actions}</div>
    <h2>Geänderte Zellen</h2>
    <p>
      ${changes.length} Zelle(n) gegenüber
      ${base === null ? 'keinem früheren Release' : html`<a href="/intern/freigaben/${base}">Release ${base}</a>`}${
        changes.length > DIFF_ROWS
          ? html`, die ersten ${DIFF_ROWS} hier; alle über
              <a href="/api/v1/releases/${r.id}/diff">die API</a>`
          : ''
      }.
    </p>
    ${dataTable(html`Was Release ${r.id} ändert`, ['Änderung', 'Variable', 'Region', 'Zeitraum', 'Merkmale', { text: 'vorher', num: true }, { text: 'nachher', num: true }], rows)}`;
}

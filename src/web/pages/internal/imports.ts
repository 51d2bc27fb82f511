/**
 * Imports in the portal: `/intern/import` (the upload form and one's uploads), `POST` of the form
 * (a dry run, as `POST /api/v1/imports`), `/intern/import/:id` (the check report: status, rows,
 * values, special signs, issues with line and column) and its buttons "Übernehmen" (commit: a
 * draft release) and "Verwerfen" (discard). The steps are src/api/workflow.ts.
 */
import type { Context, Hono } from 'hono';
import type { AppEnv, Services } from '../../../api/env.ts';
import { canSeeUpload } from '../../../api/policy.ts';
import { storedReport } from '../../../api/routes/import-schemas.ts';
import { workflowOf } from '../../../api/workflow.ts';
import { BimoError } from '../../../domain/index.ts';
import type { ImportReport } from '../../../ingest/index.ts';
import type { UploadWithReport } from '../../../store/index.ts';
import { html } from '../../html.ts';
import { csrfField, dataTable, idParam, internal, page, when } from './common.ts';

const UPLOAD_STATUS: Record<string, string> = {
  checked: 'geprüft',
  rejected: 'abgelehnt',
  committed: 'übernommen',
  discarded: 'verworfen',
};
const REPORT_STATUS: Record<ImportReport['status'], string> = {
  'dry-run': 'geprüft – bereit zur Übernahme',
  rejected: 'abgelehnt – Fehler in der Datei',
  unchanged: 'unverändert – diese Datei wurde schon importiert',
  imported: 'importiert',
};
/** Issues listed on the page; a file with more has the rest in the API's report. */
const ISSUE_ROWS = 200;

function uploadForm(c: Context, s: Services) {
  return html`<form
    class="internal-form"
    method="post"
    action="/intern/import"
    enctype="multipart/form-data"
  >
    ${csrfField(c, s)}
    <p>
      <label for="file">Datei (CSV, XLSX oder ZIP aus GENESIS / Landesdatenbank)</label>
      <input id="file" name="file" type="file" required />
    </p>
    <p><button type="submit">Prüfen</button></p>
  </form>`;
}

function reportView(c: Context, s: Services, u: UploadWithReport) {
  const r = storedReport(u);
  const flags = Object.entries(r.flags)
    .map(([f, n]) => `„${f}“ × ${n}`)
    .join(', ');
  const issues = r.issues.slice(0, ISSUE_ROWS).map(
    (i) =>
      html`<tr class="issue-${i.severity}">
        <td>
          ${i.severity === 'error' ? 'Fehler' : i.severity === 'warning' ? 'Warnung' : 'Hinweis'}
        </td>
        <td class="num">${i.cell ?? i.line}</td>
        <td class="num">${i.cell ? '' : i.column}</td>
        <td><code>${i.code}</code></td>
        <td>${i.message}</td>
        <td>${i.fix}</td>
      </tr>`,
  );
  const decide =
    u.status === 'checked' || u.status === 'rejected'
      ? html`<div class="internal-actions">
          ${
            u.status === 'checked' && r.status === 'dry-run'
              ? html`<form method="post" action="/intern/import/${u.id}/uebernehmen">
                  ${csrfField(c, s)}<button type="submit">Übernehmen</button>
                </form>`
              : ''
          }
          <form method="post" action="/intern/import/${u.id}/verwerfen">
            ${csrfField(c, s)}<button type="submit" class="secondary">Verwerfen</button>
          </form>
        </div>`
      : '';
  return html`<p><a href="/intern/import">Alle Uploads</a></p>
    <h1>Prüfbericht: ${u.fileName}</h1>
    <p class="status-line status-${r.status}"><strong>${REPORT_STATUS[r.status]}</strong></p>
    <dl class="facts">
      <dt>Upload</dt>
      <dd>
        ${u.id}, ${UPLOAD_STATUS[u.status] ?? u.status}, von ${u.uploadedBy}, ${when(u.uploadedAt)}
      </dd>
      <dt>Format</dt>
      <dd>
        ${r.format}${r.tableCode ? `, Tabelle ${r.tableCode}` : ''}${r.encoding ? `, ${r.encoding}` : ''}
      </dd>
      <dt>Zuordnung</dt>
      <dd>${r.mapping ?? '–'}</dd>
      <dt>Zeilen</dt>
      <dd>
        ${r.rows.total} gesamt, ${r.rows.accepted} übernommen, ${r.rows.skipped} übersprungen,
        ${r.rows.rejected} abgelehnt
      </dd>
      <dt>Werte</dt>
      <dd>${r.observations}</dd>
      <dt>Regionen</dt>
      <dd>${r.regions.length > 0 ? r.regions.join(', ') : '–'}</dd>
      <dt>Sonderzeichen</dt>
      <dd>${flags || 'keine'}</dd>
      ${
        u.releaseId !== null
          ? html`<dt>Release</dt>
              <dd><a href="/intern/freigaben/${u.releaseId}">Release ${u.releaseId}</a></dd>`
          : ''
      }
    </dl>
    ${decide}
    <h2>Befunde</h2>
    ${
      r.issues.length === 0
        ? html`<p>Keine Befunde.</p>`
        : dataTable(
            html`${r.issues.length} Befund(e) mit Zeile und Spalte in der Datei`,
            [
              'Art',
              { text: 'Zeile', num: true },
              { text: 'Spalte', num: true },
              'Code',
              'Befund',
              'Was tun',
            ],
            issues,
          )
    }`;
}

export function mountImports(app: Hono<AppEnv>, s: Services): void {
  const flow = workflowOf(s);

  app.get(
    '/intern/import',
    internal(s, async (c, a) => {
      await s.policy.requireUpload(a.viewer, a.req);
      const uploads = (await s.store.listUploads()).filter((u) => canSeeUpload(a.viewer, u));
      const rows = uploads.slice(0, 100).map(
        (u) =>
          html`<tr>
            <td><a href="/intern/import/${u.id}">${u.fileName}</a></td>
            <td>${UPLOAD_STATUS[u.status] ?? u.status}</td>
            <td>${u.uploadedBy}</td>
            <td>${when(u.uploadedAt)}</td>
          </tr>`,
      );
      return page(
        c,
        s,
        'Import',
        html`<h1>Import</h1>
          <p class="lead">
            Eine Datei wird zuerst nur geprüft. Erst „Übernehmen“ macht daraus einen Entwurf, den
            das Bildungsbüro freigibt und veröffentlicht.
          </p>
          ${uploadForm(c, s)}
          <h2>Ihre Uploads</h2>
          ${
            rows.length === 0
              ? html`<p>Noch keine Uploads.</p>`
              : dataTable(
                  'Uploads, neueste zuerst',
                  ['Datei', 'Status', 'Von', 'Hochgeladen'],
                  rows,
                )
          }`,
      );
    }),
  );

  app.post(
    '/intern/import',
    internal(s, async (c, a) => {
      await s.policy.requireUpload(a.viewer, a.req);
      const file = (await c.req.parseBody())['file'];
      if (!(file instanceof File) || file.size === 0) {
        throw new BimoError(
          'BIMO_E_BAD_REQUEST',
          'Es wurde keine Datei gesendet.',
          'Wählen Sie eine Datei aus und senden Sie das Formular noch einmal.',
        );
      }
      const upload = await flow.upload(a, new Uint8Array(await file.arrayBuffer()), file.name);
      return c.redirect(`/intern/import/${upload.id}`, 303);
    }),
  );

  app.get(
    '/intern/import/:id',
    internal(s, async (c, a) => {
      const upload = await flow.find(a, idParam(c));
      return page(c, s, `Prüfbericht ${upload.fileName}`, reportView(c, s, upload));
    }),
  );

  app.post(
    '/intern/import/:id/uebernehmen',
    internal(s, async (c, a) => {
      const committed = await flow.commit(a, idParam(c));
      const to =
        committed.releaseId !== null
          ? `/intern/freigaben/${committed.releaseId}`
          : `/intern/import/${committed.id}`;
      return c.redirect(to, 303);
    }),
  );

  app.post(
    '/intern/import/:id/verwerfen',
    internal(s, async (c, a) => {
      await flow.discard(a, idParam(c));
      return c.redirect('/intern/import', 303);
    }),
  );
}

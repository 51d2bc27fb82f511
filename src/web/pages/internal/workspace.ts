/**
 * The AG Bildungsmonitoring's workspace (`/intern/ag`): choose the Handlungsfelder, write and
 * revise Fragestellungen, link indicators to them and mark what goes into the next report.
 *
 * Every save is a revision (src/workspace/, migration 7) with its author, time and note; each
 * item's page shows its history with what changed, and any earlier version can be restored. A
 * save made against an outdated version is refused and the form comes back with both texts. The
 * public portal keeps showing catalog/questions.yaml until an admin replaces that file with the
 * export (`/intern/ag/questions.yaml` or `bimo questions export`).
 */
import type { Context, Hono } from 'hono';
import type { AppEnv, Services } from '../../../api/env.ts';
import { canEditWorkspace } from '../../../api/policy.ts';
import type { Acting } from '../../../api/workflow.ts';
import { BimoError } from '../../../domain/index.ts';
import type { Indicator } from '../../../indicators/index.ts';
import type { WorkspaceChange, WorkspaceKind, WorkspaceRevision } from '../../../store/index.ts';
import {
  changedItems,
  checkField,
  checkQuestion,
  chooseFields,
  exportQuestionsYaml,
  fieldChanges,
  findItem,
  noteOf,
  removeField,
  removeQuestion,
  restoreVersion,
  saveField,
  saveQuestion,
  workspaceState,
  type Author,
  type FieldBody,
  type FieldProblem,
  type FormInput,
  type QuestionBody,
  type WorkspaceState,
  type WsField,
  type WsQuestion,
} from '../../../workspace/index.ts';
import { html, raw, type Raw } from '../../html.ts';
import { catalogInfo } from '../portal-common.ts';
import { csrfField, dataTable, formInput, internal, page, when } from './common.ts';

const BASE = '/intern/ag';
/** Changes listed on the overview; each item's page has its whole history. */
const RECENT = 15;

/** Loads the state; the public never gets here (internal() sends it to the login form). */
async function load(
  s: Services,
  a: Acting,
): Promise<{ state: WorkspaceState; history: WorkspaceRevision[] }> {
  await s.policy.enforce(a.viewer, canEditWorkspace(a.viewer), 'signedIn', a.req.path, a.req);
  const history = await s.store.listWorkspaceRevisions();
  return { state: workspaceState(catalogInfo(), history), history };
}

function authorOf(a: Acting, input: FormInput): Author {
  return { email: a.actor.actor, at: new Date().toISOString(), note: noteOf(input) };
}

/** Writes the changes with one audit event; false when someone saved in between. */
async function commit(
  s: Services,
  a: Acting,
  changes: WorkspaceChange[],
  summary: string,
): Promise<boolean> {
  if (changes.length === 0) return true;
  const written = await s.store.addWorkspaceRevisions(changes, (first) => ({
    at: changes[0]?.revision.at ?? new Date().toISOString(),
    actor: a.actor.actor,
    action: 'workspace.save',
    target: `workspace ${first}`,
    outcome: 'ok',
    ip: a.actor.ip ?? null,
    details: {
      summary,
      items: changes.map(
        (ch) =>
          `${ch.revision.kind}:${ch.revision.itemId}${ch.revision.deleted ? ' (entfernt)' : ''}`,
      ),
    },
  }));
  return written !== null;
}

const indicatorIds = (): Set<string> => new Set(catalogInfo().indicators.map((i) => i.id));

export function mountWorkspace(app: Hono<AppEnv>, s: Services): void {
  app.get(
    BASE,
    internal(s, async (c, a) => {
      const { state, history } = await load(s, a);
      return page(c, s, 'Arbeitsbereich der AG', overview(c, s, state, history));
    }),
  );

  app.post(
    `${BASE}/handlungsfelder`,
    internal(s, async (c, a) => {
      const { state } = await load(s, a);
      const input = await formInput(c);
      const chosen = new Set(
        Array.isArray(input.chosen) ? input.chosen : input.chosen ? [input.chosen] : [],
      );
      if (chosen.size === 0) {
        throw new BimoError(
          'BIMO_E_BAD_REQUEST',
          'Kein Handlungsfeld gewählt: das Portal hätte dann keine Fragestellungen mehr.',
          'Kreuzen Sie mindestens ein Handlungsfeld an und speichern Sie erneut.',
          { field: 'chosen' },
        );
      }
      // The revisions the form was shown with: a field changed since then is not overwritten.
      const changes = chooseFields(state, chosen, authorOf(a, input)).map((ch) => ({
        ...ch,
        expectedLatest: Number(input[`rev-${ch.revision.itemId}`] ?? ch.expectedLatest),
      }));
      if (!(await commit(s, a, changes, 'Auswahl der Handlungsfelder'))) {
        throw staleError('Die Auswahl der Handlungsfelder', `${BASE}#handlungsfelder`);
      }
      return c.redirect(`${BASE}?gespeichert=auswahl#handlungsfelder`, 303);
    }),
  );

  // ── Fragestellungen ──────────────────────────────────────────────────────────────────────

  app.get(
    `${BASE}/fragestellungen/neu`,
    internal(s, async (c, a) => {
      const { state } = await load(s, a);
      const field = c.req.query('handlungsfeld') ?? '';
      const blank: QuestionBody = {
        handlungsfeld: field,
        title_de: '',
        title_en: '',
        indicators: [],
        origin_de: '',
        next_report: false,
      };
      return page(c, s, 'Neue Fragestellung', questionForm(c, s, state, null, blank, [], ''));
    }),
  );

  app.post(
    `${BASE}/fragestellungen/neu`,
    internal(s, async (c, a) => {
      const { state } = await load(s, a);
      const input = await formInput(c);
      const checked = checkQuestion(input, state, indicatorIds());
      if (!checked.ok) {
        const body = questionForm(
          c,
          s,
          state,
          null,
          asQuestion(input),
          checked.problems,
          noteOf(input),
        );
        return page(c, s, 'Neue Fragestellung', body, 400);
      }
      const ch = saveQuestion(state, null, checked.body, authorOf(a, input));
      if (!(await commit(s, a, [ch], 'neue Fragestellung'))) {
        // Someone took the same number a moment ago: the next save gets the next one.
        throw staleError('Die Nummer der neuen Fragestellung', `${BASE}/fragestellungen/neu`);
      }
      return c.redirect(`${BASE}/fragestellungen/${ch.revision.itemId}?gespeichert=1`, 303);
    }),
  );

  app.get(
    `${BASE}/fragestellungen/:id`,
    internal(s, async (c, a) => {
      const { state, history } = await load(s, a);
      const q = findItem(state.questions, idOf(c));
      return page(c, s, `Fragestellung ${q.id}`, questionPage(c, s, state, history, q));
    }),
  );

  app.post(
    `${BASE}/fragestellungen/:id`,
    internal(s, async (c, a) => {
      const { state, history } = await load(s, a);
      const q = findItem(state.questions, idOf(c));
      const input = await formInput(c);
      const expected = Number(input.rev ?? q.revision);
      const checked = checkQuestion(input, state, indicatorIds());
      if (!checked.ok) {
        const form = questionForm(
          c,
          s,
          state,
          q,
          asQuestion(input),
          checked.problems,
          noteOf(input),
          expected,
        );
        return page(c, s, `Fragestellung ${q.id}`, form, 400);
      }
      const ch = saveQuestion(state, q.id, checked.body, authorOf(a, input), expected);
      if (!(await commit(s, a, [ch], 'Fragestellung bearbeitet'))) {
        return page(
          c,
          s,
          `Fragestellung ${q.id}`,
          conflictPage(c, s, state, history, q, checked.body, noteOf(input)),
          409,
        );
      }
      return c.redirect(`${BASE}/fragestellungen/${q.id}?gespeichert=1`, 303);
    }),
  );

  itemActions(app, s, 'question', 'fragestellungen');

  // ── Handlungsfelder ──────────────────────────────────────────────────────────────────────

  app.get(
    `${BASE}/handlungsfelder/neu`,
    internal(s, async (c, a) => {
      await load(s, a);
      const blank: FieldBody = { title_de: '', title_en: '', areas: [], chosen: true };
      return page(c, s, 'Neues Handlungsfeld', fieldForm(c, s, null, blank, [], ''));
    }),
  );

  app.post(
    `${BASE}/handlungsfelder/neu`,
    internal(s, async (c, a) => {
      const { state } = await load(s, a);
      const input = await formInput(c);
      const checked = checkField(input);
      if (!checked.ok) {
        return page(
          c,
          s,
          'Neues Handlungsfeld',
          fieldForm(c, s, null, asField(input), checked.problems, noteOf(input)),
          400,
        );
      }
      const ch = saveField(state, null, checked.body, authorOf(a, input));
      if (!(await commit(s, a, [ch], 'neues Handlungsfeld'))) {
        throw staleError('Die Kennung des neuen Handlungsfelds', `${BASE}/handlungsfelder/neu`);
      }
      return c.redirect(`${BASE}/handlungsfelder/${ch.revision.itemId}?gespeichert=1`, 303);
    }),
  );

  app.get(
    `${BASE}/handlungsfelder/:id`,
    internal(s, async (c, a) => {
      const { state, history } = await load(s, a);
      const f = findItem(state.fields, idOf(c));
      return page(c, s, `Handlungsfeld ${f.body.title_de}`, fieldPage(c, s, state, history, f));
    }),
  );

  app.post(
    `${BASE}/handlungsfelder/:id`,
    internal(s, async (c, a) => {
      const { state, history } = await load(s, a);
      const f = findItem(state.fields, idOf(c));
      const input = await formInput(c);
      const expected = Number(input.rev ?? f.revision);
      const checked = checkField(input);
      if (!checked.ok) {
        const form = fieldForm(c, s, f, asField(input), checked.problems, noteOf(input), expected);
        return page(c, s, `Handlungsfeld ${f.body.title_de}`, form, 400);
      }
      const ch = saveField(state, f.id, checked.body, authorOf(a, input), expected);
      if (!(await commit(s, a, [ch], 'Handlungsfeld bearbeitet'))) {
        return page(
          c,
          s,
          `Handlungsfeld ${f.body.title_de}`,
          conflictPage(c, s, state, history, f, checked.body, noteOf(input)),
          409,
        );
      }
      return c.redirect(`${BASE}/handlungsfelder/${f.id}?gespeichert=1`, 303);
    }),
  );

  itemActions(app, s, 'handlungsfeld', 'handlungsfelder');

  // ── Export ───────────────────────────────────────────────────────────────────────────────

  app.get(
    `${BASE}/questions.yaml`,
    internal(s, async (c, a) => {
      const { state } = await load(s, a);
      const stand = `${when(new Date().toISOString())}, Arbeitsstand ${state.latest}`;
      const text = exportQuestionsYaml(state, indicatorIds(), stand);
      c.header('Cache-Control', 'no-store');
      c.header('Content-Type', 'application/yaml; charset=utf-8');
      c.header('Content-Disposition', 'attachment; filename="questions.yaml"');
      return c.body(text);
    }),
  );
}

/** Remove and restore, the same for both kinds. */
function itemActions(app: Hono<AppEnv>, s: Services, kind: WorkspaceKind, segment: string): void {
  app.post(
    `${BASE}/${segment}/:id/entfernen`,
    internal(s, async (c, a) => {
      const { state } = await load(s, a);
      const id = idOf(c);
      const input = await formInput(c);
      const by = authorOf(a, input);
      const expected = input.rev === undefined ? undefined : Number(input.rev);
      const ch =
        kind === 'question'
          ? removeQuestion(state, id, by, expected)
          : removeField(state, id, by, expected);
      if (!(await commit(s, a, [ch], 'entfernt'))) throw staleError(id, `${BASE}/${segment}/${id}`);
      return c.redirect(`${BASE}/${segment}/${id}?gespeichert=entfernt`, 303);
    }),
  );

  app.post(
    `${BASE}/${segment}/:id/wiederherstellen`,
    internal(s, async (c, a) => {
      const { state, history } = await load(s, a);
      const id = idOf(c);
      const input = await formInput(c);
      const version = Number(input.fassung);
      if (!Number.isInteger(version) || version < 0) {
        throw new BimoError(
          'BIMO_E_BAD_REQUEST',
          'Keine Fassung gewählt.',
          'Wählen Sie eine Fassung aus der Liste der Änderungen.',
          { field: 'fassung' },
        );
      }
      const expected = input.rev === undefined ? undefined : Number(input.rev);
      const ch = restoreVersion(state, kind, id, history, version, authorOf(a, input), expected);
      if (!(await commit(s, a, [ch], `Fassung ${version} wiederhergestellt`)))
        throw staleError(id, `${BASE}/${segment}/${id}`);
      return c.redirect(`${BASE}/${segment}/${id}?gespeichert=wiederhergestellt`, 303);
    }),
  );
}

/** The item id of the address (the route has one). */
const idOf = (c: Context): string => c.req.param('id') ?? '';

function staleError(what: string, back: string): BimoError {
  return new BimoError(
    'BIMO_E_CONFLICT',
    `${what} wurde inzwischen von jemand anderem geändert; Ihre Änderung ist nicht gespeichert.`,
    `Öffnen Sie ${back} neu, prüfen Sie den aktuellen Stand und speichern Sie dann erneut.`,
  );
}

const asQuestion = (input: FormInput): QuestionBody => {
  const one = (k: string) => (typeof input[k] === 'string' ? input[k] : '');
  const many = input.indicators;
  return {
    handlungsfeld: one('handlungsfeld'),
    title_de: one('title_de'),
    title_en: one('title_en'),
    indicators: Array.isArray(many) ? many : many ? [many] : [],
    origin_de: one('origin_de'),
    next_report: Boolean(input.next_report),
  };
};

const asField = (input: FormInput): FieldBody => {
  const one = (k: string) => (typeof input[k] === 'string' ? input[k] : '');
  const many = input.areas;
  return {
    title_de: one('title_de'),
    title_en: one('title_en'),
    areas: (Array.isArray(many) ? many : many ? [many] : []) as FieldBody['areas'],
    chosen: Boolean(input.chosen),
  };
};

// ── Pages ──────────────────────────────────────────────────────────────────────────────────

const SAVED: Record<string, string> = {
  '1': 'Gespeichert.',
  auswahl: 'Die Auswahl der Handlungsfelder ist gespeichert.',
  entfernt: 'Entfernt. Im Verlauf unten können Sie es wiederherstellen.',
  wiederhergestellt: 'Die gewählte Fassung ist wiederhergestellt.',
};

function savedNotice(c: Context): Raw {
  const text = SAVED[c.req.query('gespeichert') ?? ''];
  return text ? html`<div class="notice notice-ok" role="status"><p>${text}</p></div>` : raw('');
}

function overview(
  c: Context,
  s: Services,
  state: WorkspaceState,
  history: WorkspaceRevision[],
): Raw {
  const changed = changedItems(state);
  const live = state.questions.filter((q) => !q.deleted);
  const marked = live.filter((q) => q.body.next_report);
  const fields = state.fields.filter((f) => !f.deleted);
  const fieldRows = fields.map((f) => {
    const count = live.filter((q) => q.body.handlungsfeld === f.id).length;
    return html`<tr>
      <td>
        <input
          type="checkbox"
          id="chosen-${f.id}"
          name="chosen"
          value="${f.id}"
          ${f.body.chosen ? raw('checked') : ''}
        />
        <input type="hidden" name="rev-${f.id}" value="${f.revision}" />
        <label for="chosen-${f.id}">${f.body.title_de}</label>
      </td>
      <td>${f.body.areas.join(', ')}</td>
      <td class="num">${count}</td>
      <td>
        <a href="${BASE}/handlungsfelder/${f.id}"
          >bearbeiten<span class="visually-hidden">: ${f.body.title_de}</span></a
        >
      </td>
    </tr>`;
  });
  const byField = fields.map((f) => {
    const qs = live.filter((q) => q.body.handlungsfeld === f.id);
    return html`<section class="ws-field" aria-labelledby="f-${f.id}">
      <h3 id="f-${f.id}">
        ${f.body.title_de}${f.body.chosen ? '' : html` <span class="status status-draft">abgewählt</span>`}
      </h3>
      ${
        qs.length === 0
          ? html`<p>Noch keine Fragestellung.</p>`
          : dataTable(
              html`Fragestellungen im Handlungsfeld ${f.body.title_de}`,
              ['Nr.', 'Fragestellung', 'Indikatoren', 'Nächster Bericht', 'Zuletzt geändert'],
              qs.map((q) => questionRow(q)),
            )
      }
      <p>
        <a href="${BASE}/fragestellungen/neu?handlungsfeld=${f.id}"
          >Neue Fragestellung in diesem Handlungsfeld</a
        >
      </p>
    </section>`;
  });
  const removed = [...state.fields, ...state.questions].filter((i) => i.deleted);
  return html`<h1>Arbeitsbereich der AG Bildungsmonitoring</h1>
    ${savedNotice(c)}
    <p class="lead">
      Hier wählt die AG ihre Handlungsfelder, schreibt und überarbeitet die Fragestellungen,
      verknüpft sie mit Indikatoren und merkt vor, was in den nächsten Bildungsbericht kommt. Jede
      Änderung wird mit Name, Zeit und Notiz gespeichert und lässt sich zurücknehmen.
    </p>
    <div class="ws-status">
      <p>
        <strong
          >${changed.length === 0 ? 'Keine Änderungen' : `${changed.length} Änderung(en)`}</strong
        >
        gegenüber dem Katalog, den das öffentliche Portal zeigt. ${marked.length} Fragestellung(en)
        sind für den nächsten Bericht vorgemerkt.
      </p>
      <p>
        <a href="${BASE}/questions.yaml" download>Arbeitsstand als questions.yaml herunterladen</a>
        – öffentlich sichtbar wird er, wenn eine Administratorin diese Datei als
        <code>catalog/questions.yaml</code> übernimmt.
      </p>
    </div>

    <h2 id="handlungsfelder">Handlungsfelder</h2>
    <form method="post" action="${BASE}/handlungsfelder">
      ${csrfField(c, s)}
      ${dataTable(
        'Handlungsfelder; angekreuzt: von der AG beobachtet',
        [
          'Handlungsfeld (beobachtet)',
          'Bildungsbereiche',
          { text: 'Fragestellungen', num: true },
          'Aktion',
        ],
        fieldRows,
      )}
      <p>
        <label for="note-choice">Notiz zur Änderung (optional)</label>
        <input id="note-choice" name="note" type="text" maxlength="1000" />
      </p>
      <p><button type="submit">Auswahl speichern</button></p>
    </form>
    <p><a href="${BASE}/handlungsfelder/neu">Neues Handlungsfeld anlegen</a></p>

    <h2 id="fragestellungen">Fragestellungen</h2>
    <p><a href="${BASE}/fragestellungen/neu">Neue Fragestellung anlegen</a></p>
    ${byField}
    ${
      removed.length === 0
        ? ''
        : html`<h2 id="entfernt">Entfernt</h2>
            <ul>
              ${removed.map((i) => html`<li>${itemLink(i)} (${i.changedBy}, ${when(i.changedAt)})</li>`)}
            </ul>`
    }

    <h2 id="verlauf">Letzte Änderungen</h2>
    ${
      history.length === 0
        ? html`<p>Noch keine Änderung: der Arbeitsstand ist der Katalog.</p>`
        : dataTable(
            `Die letzten ${Math.min(RECENT, history.length)} von ${history.length} Änderungen, neueste zuerst`,
            ['Zeit', 'Von', 'Was', 'Geändert', 'Notiz'],
            [...history]
              .reverse()
              .slice(0, RECENT)
              .map((r) => recentRow(r, state, history)),
          )
    }`;
}

function questionRow(q: WsQuestion): Raw {
  return html`<tr>
    <td>${q.id}</td>
    <td><a href="${BASE}/fragestellungen/${q.id}">${q.body.title_de}</a></td>
    <td>${indicatorLinks(q.body.indicators)}</td>
    <td>${q.body.next_report ? 'vorgemerkt' : '–'}</td>
    <td>${q.changedBy ? html`${q.changedBy}, ${when(q.changedAt)}` : 'wie im Katalog'}</td>
  </tr>`;
}

function indicatorLinks(ids: readonly string[]): Raw {
  return html`${ids.map((id, i) => html`${i > 0 ? ', ' : ''}<a href="/indikatoren/${encodeURIComponent(id)}">${id}</a>`)}`;
}

function itemLink(i: WsField | WsQuestion): Raw {
  return 'handlungsfeld' in i.body
    ? html`<a href="${BASE}/fragestellungen/${i.id}">${i.id} ${i.body.title_de}</a>`
    : html`<a href="${BASE}/handlungsfelder/${i.id}">Handlungsfeld ${i.body.title_de}</a>`;
}

function recentRow(r: WorkspaceRevision, state: WorkspaceState, history: WorkspaceRevision[]): Raw {
  const item =
    r.kind === 'question'
      ? state.questions.find((q) => q.id === r.itemId)
      : state.fields.find((f) => f.id === r.itemId);
  const what = item ? itemLink(item) : html`${r.itemId}`;
  return html`<tr>
    <td>${when(r.at)}</td>
    <td>${r.author}</td>
    <td>${what}</td>
    <td>${changeSummary(r, history, item?.catalog ?? null)}</td>
    <td>${r.note || '–'}</td>
  </tr>`;
}

/** The revision before `r` of the same item, or the catalog text. */
function previousBody(
  r: WorkspaceRevision,
  history: readonly WorkspaceRevision[],
  catalog: unknown,
): unknown {
  const before = history
    .filter((h) => h.kind === r.kind && h.itemId === r.itemId && h.id < r.id)
    .at(-1);
  return before ? (before.deleted ? null : before.body) : catalog;
}

/** Whether the version before `r` was a removal (then `r` brought the item back). */
function restoredBy(r: WorkspaceRevision, history: readonly WorkspaceRevision[]): boolean {
  const before = history
    .filter((h) => h.kind === r.kind && h.itemId === r.itemId && h.id < r.id)
    .at(-1);
  return before?.deleted === true;
}

function changeSummary(
  r: WorkspaceRevision,
  history: readonly WorkspaceRevision[],
  catalog: unknown,
): Raw {
  if (r.deleted) return html`entfernt`;
  const before = previousBody(r, history, catalog);
  if (before === null)
    return html`${restoredBy(r, history) ? 'wiederhergestellt' : 'neu angelegt'}`;
  const changes = fieldChanges(before, r.body);
  return html`${changes.length === 0 ? 'ohne inhaltliche Änderung' : changes.map((ch) => ch.label).join(', ')}`;
}

/** An item's versions, newest first, each with what it changed and a restore button. */
function historySection(
  c: Context,
  s: Services,
  item: WsField | WsQuestion,
  history: readonly WorkspaceRevision[],
  segment: string,
): Raw {
  const mine = history.filter(
    (r) =>
      r.itemId === item.id &&
      r.kind === ('handlungsfeld' in item.body ? 'question' : 'handlungsfeld'),
  );
  const restore = (version: number, label: string) =>
    html`<form
      method="post"
      action="${BASE}/${segment}/${item.id}/wiederherstellen"
      class="inline-form"
    >
      ${csrfField(c, s)}
      <input type="hidden" name="fassung" value="${version}" />
      <input type="hidden" name="rev" value="${item.revision}" />
      <input type="hidden" name="note" value="${`${label} wiederhergestellt`}" />
      <button type="submit" class="secondary">
        Wiederherstellen<span class="visually-hidden">: ${label}</span>
      </button>
    </form>`;
  const rows = [...mine].reverse().map((r) => {
    const before = previousBody(r, history, item.catalog);
    const changes = r.deleted ? [] : fieldChanges(before, r.body);
    const current = r.id === item.revision;
    return html`<li class="ws-version">
      <p>
        <strong>Fassung ${r.id}</strong>${current ? ' (aktuell)' : ''}: ${when(r.at)},
        ${r.author}${r.note ? html` – „${r.note}“` : ''}
      </p>
      ${
        r.deleted
          ? html`<p>Entfernt.</p>`
          : before === null
            ? html`<p>${restoredBy(r, history) ? 'Wiederhergestellt.' : 'Neu angelegt.'}</p>`
            : changes.length === 0
              ? html`<p>Ohne inhaltliche Änderung.</p>`
              : html`<dl class="ws-changes">
                  ${changes.map(
                    (ch) =>
                      html`<dt>${ch.label}</dt>
                        <dd>
                          <del
                            ><span class="visually-hidden">vorher: </span>${ch.before || '–'}</del
                          >
                          <ins
                            ><span class="visually-hidden">nachher: </span>${ch.after || '–'}</ins
                          >
                        </dd>`,
                  )}
                </dl>`
      }
      ${current || r.deleted ? '' : restore(r.id, `Fassung ${r.id}`)}
    </li>`;
  });
  const catalogEntry = item.catalog
    ? html`<li class="ws-version">
        <p>
          <strong>Fassung 0</strong>${item.revision === 0 ? ' (aktuell)' : ''}: wie in
          catalog/questions.yaml
        </p>
        ${item.revision === 0 ? '' : restore(0, 'Fassung aus dem Katalog')}
      </li>`
    : '';
  return html`<h2 id="verlauf">Verlauf</h2>
    <ol class="ws-history" reversed>
      ${rows}${catalogEntry}
    </ol>`;
}

function removeForm(
  c: Context,
  s: Services,
  item: WsField | WsQuestion,
  segment: string,
  label: string,
): Raw {
  if (item.deleted) return raw('');
  return html`<form
    method="post"
    action="${BASE}/${segment}/${item.id}/entfernen"
    class="inline-form"
  >
    ${csrfField(c, s)}
    <input type="hidden" name="rev" value="${item.revision}" />
    <button type="submit" class="secondary">${label}</button>
  </form>`;
}

function questionPage(
  c: Context,
  s: Services,
  state: WorkspaceState,
  history: WorkspaceRevision[],
  q: WsQuestion,
): Raw {
  return html`${questionForm(c, s, state, q, q.body, [], '')}
  ${removeForm(c, s, q, 'fragestellungen', 'Fragestellung entfernen')}
  ${historySection(c, s, q, history, 'fragestellungen')}`;
}

function fieldPage(
  c: Context,
  s: Services,
  state: WorkspaceState,
  history: WorkspaceRevision[],
  f: WsField,
): Raw {
  const qs = state.questions.filter((q) => !q.deleted && q.body.handlungsfeld === f.id);
  return html`${fieldForm(c, s, f, f.body, [], '')}
    <h2>Fragestellungen</h2>
    ${
      qs.length === 0
        ? html`<p>Keine.</p>`
        : html`<ul>
            ${qs.map((q) => html`<li><a href="${BASE}/fragestellungen/${q.id}">${q.id}</a> ${q.body.title_de}</li>`)}
          </ul>`
    }
    ${qs.length === 0 ? removeForm(c, s, f, 'handlungsfelder', 'Handlungsfeld entfernen') : ''}
    ${historySection(c, s, f, history, 'handlungsfelder')}`;
}

/** The list of problems at the top of a form, each linking to its field (WCAG 3.3.1). */
function problemSummary(problems: readonly FieldProblem[]): Raw {
  if (problems.length === 0) return raw('');
  return html`<div
    class="notice notice-error"
    role="alert"
    aria-labelledby="problems-title"
    tabindex="-1"
  >
    <h2 id="problems-title">
      Bitte prüfen Sie ${problems.length === 1 ? 'eine Angabe' : `${problems.length} Angaben`}
    </h2>
    <ul>
      ${problems.map((p) => html`<li><a href="#${p.field}">${p.message}</a></li>`)}
    </ul>
  </div>`;
}

/** The attributes of a field with a problem: invalid, described by its message. */
function fieldState(
  problems: readonly FieldProblem[],
  field: string,
): { attrs: Raw; message: Raw } {
  const p = problems.find((x) => x.field === field);
  if (!p) return { attrs: raw(''), message: raw('') };
  return {
    attrs: raw(`aria-invalid="true" aria-describedby="${field}-problem"`),
    message: html`<span class="field-problem" id="${field}-problem">${p.message}</span>`,
  };
}

function textField(
  name: string,
  label: string,
  value: string,
  problems: readonly FieldProblem[],
  hint = '',
  multiline = true,
): Raw {
  const st = fieldState(problems, name);
  return html`<p>
    <label for="${name}">${label}</label>
    ${hint ? html`<span class="hint" id="${name}-hint">${hint}</span>` : ''} ${st.message}
    ${
      multiline
        ? html`<textarea id="${name}" name="${name}" rows="3" maxlength="400" ${st.attrs}>
${value}</textarea>`
        : html`<input
            id="${name}"
            name="${name}"
            type="text"
            maxlength="400"
            value="${value}"
            ${st.attrs}
          />`
    }
  </p>`;
}

function noteField(note: string): Raw {
  return html`<p>
    <label for="note">Notiz zur Änderung (optional)</label>
    <span class="hint">Zum Beispiel: „Beschluss der AG-Sitzung vom 20.11.“</span>
    <input id="note" name="note" type="text" maxlength="1000" value="${note}" />
  </p>`;
}

function questionForm(
  c: Context,
  s: Services,
  state: WorkspaceState,
  q: WsQuestion | null,
  body: QuestionBody,
  problems: readonly FieldProblem[],
  note: string,
  expected?: number,
  notice: Raw = raw(''),
): Raw {
  const action = q ? `${BASE}/fragestellungen/${q.id}` : `${BASE}/fragestellungen/neu`;
  const fieldProblem = fieldState(problems, 'handlungsfeld');
  const indProblem = fieldState(problems, 'indicators');
  const chosen = new Set(body.indicators);
  const info = catalogInfo();
  const byArea = info.areas.map((area) => {
    const inds = info.indicators.filter((i) => i.area === area.id);
    if (inds.length === 0) return '';
    return html`<fieldset class="ws-indicators">
      <legend>${area.id} ${area.title_de}</legend>
      ${inds.map((i) => indicatorCheckbox(i, chosen.has(i.id)))}
    </fieldset>`;
  });
  return html`<p><a href="${BASE}">Arbeitsbereich der AG</a></p>
    <h1>
      ${q ? html`Fragestellung ${q.id}${q.deleted ? ' (entfernt)' : ''}` : 'Neue Fragestellung'}
    </h1>
    ${savedNotice(c)} ${problemSummary(problems)} ${notice}
    ${
      q
        ? html`<p class="lead">
            ${q.changedBy ? html`Zuletzt geändert von ${q.changedBy}, ${when(q.changedAt)}.` : 'Wie im Katalog.'}
            ${q.deleted ? 'Entfernt: im Verlauf unten wiederherstellen.' : ''}
          </p>`
        : ''
    }
    <form class="internal-form ws-form" method="post" action="${action}">
      ${csrfField(c, s)}
      ${q ? html`<input type="hidden" name="rev" value="${expected ?? q.revision}" />` : ''}
      ${textField('title_de', 'Fragestellung (deutsch)', body.title_de, problems)}
      ${textField('title_en', 'Fragestellung (englisch)', body.title_en, problems, 'Erscheint auf der englischen Seite des Portals.')}
      <p>
        <label for="handlungsfeld">Handlungsfeld</label> ${fieldProblem.message}
        <select id="handlungsfeld" name="handlungsfeld" ${fieldProblem.attrs}>
          <option value="">– bitte wählen –</option>
          ${state.fields
            .filter((f) => !f.deleted)
            .map(
              (f) =>
                html`<option value="${f.id}" ${f.id === body.handlungsfeld ? raw('selected') : ''}>
                  ${f.body.title_de}${f.body.chosen ? '' : ' (abgewählt)'}
                </option>`,
            )}
        </select>
      </p>
      <div
        class="ws-indicator-choice"
        id="indicators"
        role="group"
        aria-labelledby="indicators-label"
        ${indProblem.attrs}
      >
        <p id="indicators-label"><strong>Verknüpfte Indikatoren</strong> (nach Bildungsbereich)</p>
        ${indProblem.message} ${byArea}
      </div>
      ${textField('origin_de', 'Herkunft (optional)', body.origin_de, problems, 'Woher die Frage stammt, etwa ein Themenbericht oder ein Beschluss.', false)}
      <p class="checkbox">
        <input
          type="checkbox"
          id="next_report"
          name="next_report"
          value="ja"
          ${body.next_report ? raw('checked') : ''}
        />
        <label for="next_report">Für den nächsten Bildungsbericht vormerken</label>
      </p>
      ${noteField(note)}
      <p><button type="submit">${q ? 'Änderungen speichern' : 'Fragestellung anlegen'}</button></p>
    </form>`;
}

function indicatorCheckbox(i: Indicator, checked: boolean): Raw {
  const id = `ind-${i.id}`;
  return html`<span class="checkbox">
    <input
      type="checkbox"
      id="${id}"
      name="indicators"
      value="${i.id}"
      ${checked ? raw('checked') : ''}
    />
    <label for="${id}"
      >${i.id}
      ${i.title_de}${i.status === 'planned' ? ' (noch ohne Daten)' : ''}${i.visibility === 'public' ? '' : ' (nicht öffentlich)'}</label
    >
  </span>`;
}

function fieldForm(
  c: Context,
  s: Services,
  f: WsField | null,
  body: FieldBody,
  problems: readonly FieldProblem[],
  note: string,
  expected?: number,
  notice: Raw = raw(''),
): Raw {
  const action = f ? `${BASE}/handlungsfelder/${f.id}` : `${BASE}/handlungsfelder/neu`;
  const areaProblem = fieldState(problems, 'areas');
  const areas = new Set<string>(body.areas);
  return html`<p><a href="${BASE}">Arbeitsbereich der AG</a></p>
    <h1>
      ${f ? html`Handlungsfeld ${f.body.title_de}${f.deleted ? ' (entfernt)' : ''}` : 'Neues Handlungsfeld'}
    </h1>
    ${savedNotice(c)} ${problemSummary(problems)} ${notice}
    ${f ? html`<p class="lead">Kennung <code>${f.id}</code>. ${f.changedBy ? html`Zuletzt geändert von ${f.changedBy}, ${when(f.changedAt)}.` : 'Wie im Katalog.'}</p>` : ''}
    <form class="internal-form ws-form" method="post" action="${action}">
      ${csrfField(c, s)}
      ${f ? html`<input type="hidden" name="rev" value="${expected ?? f.revision}" />` : ''}
      ${textField('title_de', 'Handlungsfeld (deutsch)', body.title_de, problems, '', false)}
      ${textField('title_en', 'Handlungsfeld (englisch)', body.title_en, problems, '', false)}
      <fieldset id="areas" ${areaProblem.attrs}>
        <legend>Bildungsbereiche</legend>
        ${areaProblem.message}
        ${catalogInfo().areas.map(
          (a) =>
            html`<span class="checkbox">
              <input
                type="checkbox"
                id="area-${a.id}"
                name="areas"
                value="${a.id}"
                ${areas.has(a.id) ? raw('checked') : ''}
              />
              <label for="area-${a.id}">${a.id} ${a.title_de}</label>
            </span>`,
        )}
      </fieldset>
      <p class="checkbox">
        <input
          type="checkbox"
          id="chosen"
          name="chosen"
          value="ja"
          ${body.chosen ? raw('checked') : ''}
        />
        <label for="chosen">Von der AG beobachtet (im Portal gezeigt)</label>
      </p>
      ${noteField(note)}
      <p><button type="submit">${f ? 'Änderungen speichern' : 'Handlungsfeld anlegen'}</button></p>
    </form>`;
}

/** Someone saved first: their version, what this save would change, and the form to decide. */
function conflictPage(
  c: Context,
  s: Services,
  state: WorkspaceState,
  history: WorkspaceRevision[],
  item: WsField | WsQuestion,
  mine: FieldBody | QuestionBody,
  note: string,
): Raw {
  const changes = fieldChanges(item.body, mine);
  const isQuestion = 'handlungsfeld' in item.body;
  const notice = html`<div class="notice notice-error" role="alert">
    <h2>Inzwischen geändert</h2>
    <p>
      ${item.changedBy} hat diesen Eintrag ${when(item.changedAt)}
      ${item.deleted ? 'entfernt' : 'gespeichert'} (Fassung ${item.revision}), nachdem Sie das
      Formular geöffnet haben. Ihre Änderung ist noch nicht gespeichert.
      ${item.deleted ? 'Speichern Sie erneut, wird der Eintrag mit Ihrer Fassung wiederhergestellt.' : ''}
    </p>
    ${
      changes.length === 0
        ? html`<p>Ihre Fassung stimmt mit der aktuellen überein; nichts zu tun.</p>`
        : html`<p>Ihre Fassung unterscheidet sich von der aktuellen in:</p>
            <dl class="ws-changes">
              ${changes.map(
                (ch) =>
                  html`<dt>${ch.label}</dt>
                    <dd>aktuell: ${ch.before || '–'}<br />Ihre: ${ch.after || '–'}</dd>`,
              )}
            </dl>
            <p>
              Speichern Sie das Formular unten erneut, wenn Ihre Fassung die aktuelle ersetzen soll.
            </p>`
    }
  </div>`;
  const form = isQuestion
    ? questionForm(
        c,
        s,
        state,
        item as WsQuestion,
        mine as QuestionBody,
        [],
        note,
        item.revision,
        notice,
      )
    : fieldForm(c, s, item as WsField, mine as FieldBody, [], note, item.revision, notice);
  return html`${form}
  ${historySection(c, s, item, history, isQuestion ? 'fragestellungen' : 'handlungsfelder')}`;
}

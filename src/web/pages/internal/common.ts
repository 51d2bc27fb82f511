/**
 * What every internal page shares: who is signed in (and the CSRF field of their forms), the
 * redirect of the public to the login form, the page frame, and errors as HTML pages. Decisions
 * stay in the policy module (src/api/policy.ts); these helpers only render its answers.
 */
import type { Context } from 'hono';
import type { Services } from '../../../api/env.ts';
import { activeUser } from '../../../api/policy.ts';
import { CSRF_FIELD, viewerOf } from '../../../api/viewer.ts';
import { actingOf, type Acting } from '../../../api/workflow.ts';
import { BimoError } from '../../../domain/index.ts';
import { html, raw, type Raw } from '../../html.ts';
import { layout, type LayoutOptions } from '../../layout.ts';

/** The signed-in account of this request as the layout shows it, with its form token. */
export function signedInAs(c: Context, s: Pick<Services, 'sessions'>): LayoutOptions['user'] {
  const user = activeUser(viewerOf(c));
  const session = c.get('session') as { id: string } | undefined;
  if (!user || !session) return undefined;
  return { email: user.email, name: user.name, csrf: s.sessions.formToken(session.id) };
}

/** The hidden CSRF field of a form of this session (empty for the public). */
export function csrfField(c: Context, s: Pick<Services, 'sessions'>): Raw {
  const user = signedInAs(c, s);
  return user ? html`<input type="hidden" name="${CSRF_FIELD}" value="${user.csrf}" />` : raw('');
}

/**
 * A local path to return to after signing in: one slash, then no slash or backslash (so never
 * `//evil.example` or `/\evil.example`), no control characters; anything else goes to /intern.
 */
export function safeNext(next: string | undefined): string {
  if (!next || next.length > 500) return '/intern';
  // eslint-disable-next-line no-control-regex
  if (!/^\/(?![/\\])[^\u0000-\u001f\u007f\s]*$/.test(next)) return '/intern';
  return next;
}

/** The login form's address that brings the viewer back to this page. */
export function loginHref(c: Context): string {
  const url = new URL(c.req.url);
  return `/anmelden?next=${encodeURIComponent(safeNext(`${url.pathname}${url.search}`))}`;
}

/**
 * An internal page in the portal frame, never cached by anyone. The internal area is written
 * for the staff of German Kommunen and exists in German only: it is always marked `lang="de"`
 * and offers no language switch (an English frame around German forms would mislead screen
 * readers).
 */
export function page(
  c: Context,
  s: Pick<Services, 'sessions'>,
  title: string,
  body: Raw,
  status: 200 | 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 = 200,
): Response {
  c.header('Cache-Control', 'no-store');
  const opts = { lang: 'de' as const, current: 'internal' as const };
  return c.html(layout(title, body, { ...opts, user: signedInAs(c, s) }), status);
}

const TITLES: Record<number, string> = {
  400: 'Eingabe nicht verständlich',
  401: 'Anmeldung nötig',
  403: 'Keine Berechtigung',
  404: 'Nicht gefunden',
  409: 'Nicht möglich',
  413: 'Datei zu groß',
  422: 'Datei nicht lesbar',
  429: 'Zu viele Versuche',
};

/** A refusal or failure of the workflow as a page: what happened and what to do. */
export function errorPage(c: Context, s: Pick<Services, 'sessions'>, err: BimoError): Response {
  const status = (TITLES[err.httpStatus] ? err.httpStatus : 400) as 400;
  const title = TITLES[status] ?? 'Fehler';
  return page(
    c,
    s,
    title,
    html`<h1>${title}</h1>
      <div class="notice notice-error" role="alert">
        <p>${err.message}</p>
        <p>${err.fix}</p>
        <p><code>${err.code}</code></p>
      </div>
      <p><a href="/intern">Zurück zum internen Bereich</a></p>`,
    status,
  );
}

type Handler = (c: Context, a: Acting) => Promise<Response>;

/**
 * An internal route: the public goes to the login form (303, coming back here afterwards), a
 * refusal or an expected failure (BimoError) becomes an error page; bugs go on to the app.
 */
export function internal(s: Services, handler: Handler) {
  return async (c: Context): Promise<Response> => {
    if (!activeUser(viewerOf(c))) {
      // Back to a page, not to the action a form posted to.
      const back = c.req.method === 'GET' ? loginHref(c) : '/anmelden';
      c.header('Cache-Control', 'no-store');
      return c.redirect(back, 303);
    }
    try {
      return await handler(c, actingOf(c, s));
    } catch (err) {
      if (err instanceof BimoError && err.httpStatus < 500) return errorPage(c, s, err);
      throw err;
    }
  };
}

/** Every text field of a form: one value, or the values of checkboxes sharing a name. */
export async function formInput(c: Context): Promise<Record<string, string | string[]>> {
  const body = await c.req.parseBody({ all: true });
  const out: Record<string, string | string[]> = {};
  for (const [name, v] of Object.entries(body)) {
    if (typeof v === 'string') out[name] = v;
    else if (Array.isArray(v)) out[name] = v.filter((x): x is string => typeof x === 'string');
  }
  return out;
}

/** A table of the internal pages: caption, column heads (`num`: right-aligned), rows. */
export function dataTable(
  caption: string | Raw,
  head: readonly (string | { text: string; num: true })[],
  rows: readonly Raw[],
): Raw {
  return html`<div class="table-scroll">
    <table class="internal-table">
      <caption>
        ${caption}
      </caption>
      <thead>
        <tr>
          ${head.map((h) =>
            typeof h === 'string'
              ? html`<th scope="col">${h}</th>`
              : html`<th scope="col" class="num">${h.text}</th>`,
          )}
        </tr>
      </thead>
      <tbody>
        ${[...rows]}
      </tbody>
    </table>
  </div>`;
}

/** A form field as text ('' when absent or a file). */
export async function formText(c: Context, name: string): Promise<string> {
  const v = (await c.req.parseBody())[name];
  return typeof v === 'string' ? v : '';
}

/** A positive integer path parameter, or a 404 page's error. */
export function idParam(c: Context): number {
  const id = Number(c.req.param('id'));
  if (!Number.isInteger(id) || id < 1 || id > 999_999_999) {
    throw new BimoError('BIMO_E_NOT_FOUND', 'no such number', 'Follow the links of the list.');
  }
  return id;
}

/** German date and time of an ISO string (Europe/Berlin). */
export function when(iso: string | null): string {
  if (!iso) return '–';
  return new Date(iso).toLocaleString('de-DE', { timeZone: 'Europe/Berlin' });
}

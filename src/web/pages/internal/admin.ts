/**
 * Pages of the admins: `/intern/nutzer` (the accounts, a form to create one, disable and enable,
 * which also lifts a lockout) and `/intern/protokoll` (the audit log with filters and paging).
 * The same operations as `/api/v1/users` and `/api/v1/audit`, through the same Accounts and
 * policy; each write is an audit event.
 */
import type { Hono } from 'hono';
import type { AppEnv, Services } from '../../../api/env.ts';
import { ROLES } from '../../../auth/index.ts';
import { BimoError } from '../../../domain/index.ts';
import type { UserRole } from '../../../store/index.ts';
import { html } from '../../html.ts';
import { csrfField, dataTable, formText, internal, page, when } from './common.ts';

const ROLE_TEXT: Record<string, string> = {
  admin: 'Admin (Bildungsbüro)',
  editor: 'Datenpflege (eigene Regionen)',
  member: 'Lenkungskreis (lesen)',
};
const PAGE_SIZE = 50;
const ISO = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/;

export function mountAdmin(app: Hono<AppEnv>, s: Services): void {
  app.get(
    '/intern/nutzer',
    internal(s, async (c, a) => {
      await s.policy.requireAdminUsers(a.viewer, 'users', a.req);
      const users = await s.store.listUsers();
      const rows = users.map(
        (u) =>
          html`<tr>
            <td>${u.email}</td>
            <td>${u.name}</td>
            <td>${ROLE_TEXT[u.role] ?? u.role}</td>
            <td>${u.regions.join(', ') || '–'}</td>
            <td>
              ${u.disabled ? 'gesperrt' : u.lockedUntil ? `vorübergehend gesperrt bis ${when(u.lockedUntil)}` : 'aktiv'}
            </td>
            <td>
              <form
                method="post"
                action="/intern/nutzer/${encodeURIComponent(u.email)}/${u.disabled || u.lockedUntil ? 'entsperren' : 'sperren'}"
              >
                ${csrfField(c, s)}
                <button type="submit" class="secondary">
                  ${u.disabled || u.lockedUntil ? 'Entsperren' : 'Sperren'}<span
                    class="visually-hidden"
                    >: ${u.email}</span
                  >
                </button>
              </form>
            </td>
          </tr>`,
      );
      c.header('Cache-Control', 'no-store');
      return page(
        c,
        s,
        'Nutzerkonten',
        html`<h1>Nutzerkonten</h1>
          ${dataTable(html`${users.length} Konten`, ['E-Mail', 'Name', 'Rolle', 'Regionen', 'Status', 'Aktion'], rows)}
          <h2>Neues Konto</h2>
          <form class="internal-form" method="post" action="/intern/nutzer">
            ${csrfField(c, s)}
            <p>
              <label for="email">E-Mail</label>
              <input id="email" name="email" type="email" required autocomplete="off" />
            </p>
            <p>
              <label for="name">Name</label>
              <input id="name" name="name" type="text" autocomplete="off" />
            </p>
            <p>
              <label for="password">Erstes Passwort (mindestens 12 Zeichen)</label>
              <input
                id="password"
                name="password"
                type="password"
                required
                minlength="12"
                autocomplete="new-password"
              />
            </p>
            <p>
              <label for="role">Rolle</label>
              <select id="role" name="role">
                ${ROLES.map((r) => html`<option value="${r}">${ROLE_TEXT[r] ?? r}</option>`)}
              </select>
            </p>
            <p>
              <label for="regions"
                >Regionen (nur Datenpflege; Schlüssel, durch Komma getrennt)</label
              >
              <input id="regions" name="regions" type="text" placeholder="05358, 05366" />
            </p>
            <p><button type="submit">Konto anlegen</button></p>
          </form>`,
      );
    }),
  );

  app.post(
    '/intern/nutzer',
    internal(s, async (c, a) => {
      await s.policy.requireAdminUsers(a.viewer, 'users', a.req);
      const role = await formText(c, 'role');
      if (!(ROLES as readonly string[]).includes(role)) {
        throw new BimoError('BIMO_E_BAD_REQUEST', `unknown role ${role}`, 'Choose a role.');
      }
      const regions = (await formText(c, 'regions')).split(/[\s,;]+/).filter((x) => x !== '');
      await s.accounts.createAccount(
        {
          email: (await formText(c, 'email')).trim(),
          password: await formText(c, 'password'),
          name: (await formText(c, 'name')).trim() || undefined,
          role: role as UserRole,
          regions: regions.length > 0 ? regions : undefined,
        },
        a.actor,
        s.regions,
      );
      return c.redirect('/intern/nutzer', 303);
    }),
  );

  for (const [action, disabled] of [
    ['sperren', true],
    ['entsperren', false],
  ] as const) {
    app.post(
      `/intern/nutzer/:email/${action}`,
      internal(s, async (c, a) => {
        const email = c.req.param('email') ?? '';
        await s.policy.requireAdminUsers(a.viewer, email, a.req);
        await s.accounts.setDisabled(email, disabled, a.actor);
        return c.redirect('/intern/nutzer', 303);
      }),
    );
  }

  app.get(
    '/intern/protokoll',
    internal(s, async (c, a) => {
      await s.policy.requireAuditRead(a.viewer, a.req);
      const actor = (c.req.query('actor') ?? '').trim().slice(0, 1000);
      const action = (c.req.query('action') ?? '').trim().slice(0, 100);
      const sinceRaw = (c.req.query('since') ?? '').trim();
      const since = ISO.test(sinceRaw) && !isNaN(Date.parse(sinceRaw)) ? sinceRaw : '';
      const offset = Math.max(0, Math.min(1e7, Math.trunc(Number(c.req.query('offset')) || 0)));
      const events = await s.store.listAudit({
        since: since || undefined,
        actor: actor || undefined,
        action: action || undefined,
        limit: PAGE_SIZE + 1,
        offset,
      });
      const link = (o: number) => {
        const q = new URLSearchParams({ actor, action, since, offset: String(o) });
        return `/intern/protokoll?${q.toString()}`;
      };
      const rows = events.slice(0, PAGE_SIZE).map(
        (e) =>
          html`<tr class="outcome-${e.outcome}">
            <td>${when(e.at)}</td>
            <td>${e.actor}</td>
            <td><code>${e.action}</code></td>
            <td>${e.target}</td>
            <td>${e.outcome}</td>
            <td>${e.ip ?? '–'}</td>
            <td><code class="details">${JSON.stringify(e.details)}</code></td>
          </tr>`,
      );
      c.header('Cache-Control', 'no-store');
      return page(
        c,
        s,
        'Protokoll',
        html`<h1>Protokoll</h1>
          <p class="lead">Jede Änderung, Freigabe, Anmeldung und jeder verweigerte Zugriff.</p>
          <form class="internal-filter" method="get" action="/intern/protokoll">
            <p>
              <label for="f-actor">Wer (E-Mail)</label>
              <input id="f-actor" name="actor" type="text" value="${actor}" />
            </p>
            <p>
              <label for="f-action">Aktion</label>
              <input
                id="f-action"
                name="action"
                type="text"
                value="${action}"
                placeholder="login.failed"
              />
            </p>
            <p>
              <label for="f-since">Ab (Datum)</label>
              <input id="f-since" name="since" type="date" value="${since.slice(0, 10)}" />
            </p>
            <p><button type="submit">Filtern</button></p>
          </form>
          ${dataTable(html`Ereignisse ${offset + 1}–${offset + rows.length}, neueste zuerst`, ['Zeit', 'Wer', 'Aktion', 'Ziel', 'Ergebnis', 'Adresse', 'Details'], rows)}
          <nav class="pager" aria-label="Seiten">
            ${offset > 0 ? html`<a href="${link(Math.max(0, offset - PAGE_SIZE))}">Neuere</a>` : ''}
            ${events.length > PAGE_SIZE ? html`<a href="${link(offset + PAGE_SIZE)}">Ältere</a>` : ''}
          </nav>`,
      );
    }),
  );
}

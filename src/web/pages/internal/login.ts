/**
 * Signing in and out with plain forms (no script): `GET /anmelden` shows the form, `POST
 * /anmelden` checks email and password exactly as `POST /api/v1/auth/login` does (the same
 * Accounts with their lockout and per-address limit, the same session cookie) and goes on to a
 * local page; `POST /abmelden` ends the session. Login CSRF is stopped by the origin check of
 * every portal form (src/api/viewer.ts `crossSite`) and SameSite=Lax (docs/api-security.md).
 */
import type { Context, Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import type { AppEnv, Services } from '../../../api/env.ts';
import { activeUser } from '../../../api/policy.ts';
import {
  clearSessionCookie,
  clientIp,
  SESSION_COOKIE,
  startSession,
  viewerOf,
} from '../../../api/viewer.ts';
import { html } from '../../html.ts';
import { formText, page, safeNext } from './common.ts';

function loginForm(next: string, email = '', problem = '') {
  return html`<h1>Anmelden</h1>
    <p class="lead">
      Der interne Bereich ist für den Lenkungskreis, die Datenpflege der Kommunen und das
      Bildungsbüro.
    </p>
    ${problem ? html`<div class="notice notice-error" role="alert"><p>${problem}</p></div>` : ''}
    <form class="internal-form" method="post" action="/anmelden">
      <input type="hidden" name="next" value="${next}" />
      <p>
        <label for="email">E-Mail</label>
        <input
          id="email"
          name="email"
          type="email"
          autocomplete="username"
          required
          value="${email}"
        />
      </p>
      <p>
        <label for="password">Passwort</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="current-password"
          required
        />
      </p>
      <p><button type="submit">Anmelden</button></p>
    </form>`;
}

export function mountLogin(app: Hono<AppEnv>, s: Services): void {
  app.get('/anmelden', (c) => {
    const next = safeNext(c.req.query('next'));
    return page(c, s, 'Anmelden', loginForm(next));
  });

  app.post('/anmelden', async (c: Context) => {
    const email = (await formText(c, 'email')).trim().slice(0, 1000);
    const password = (await formText(c, 'password')).slice(0, 4096);
    const next = safeNext(await formText(c, 'next'));
    const ip = clientIp(c, s.trustProxy);
    if (email === '' || password === '') {
      return page(
        c,
        s,
        'Anmelden',
        loginForm(next, email, 'Bitte E-Mail und Passwort angeben.'),
        400,
      );
    }
    const result = await s.accounts.authenticate(email, password, ip);
    if (!result.ok) {
      const err = s.accounts.refusalError(result);
      if (err.code === 'BIMO_E_RATE_LIMITED') {
        c.header('Retry-After', String(result.retryAfterSeconds ?? 60));
        const text = 'Zu viele Anmeldeversuche. Bitte später noch einmal versuchen.';
        return page(c, s, 'Anmelden', loginForm(next, email, text), 429);
      }
      const text = 'E-Mail oder Passwort stimmen nicht, oder das Konto ist gesperrt.';
      return page(c, s, 'Anmelden', loginForm(next, email, text), 401);
    }
    await startSession(c, s, result.user, ip);
    return c.redirect(next, 303);
  });

  // The CSRF check of src/api/viewer.ts has run: a session reaching here sent its form token.
  app.post('/abmelden', async (c: Context) => {
    const session = c.get('session') as { id: string } | undefined;
    if (session && activeUser(viewerOf(c))) {
      await s.sessions.logout(session.id, clientIp(c, s.trustProxy));
    }
    if (getCookie(c, SESSION_COOKIE) !== undefined) clearSessionCookie(c, s);
    c.header('Cache-Control', 'no-store');
    return c.redirect('/', 303);
  });
}

/**
 * A browser-like client of the portal's forms in-process (no JSON API, no Chromium): signs in
 * through the login form, keeps the session cookie, reads the form token from /intern and posts
 * url-encoded forms with it, as a browser does.
 */
import { expect } from 'vitest';
import type { createApp } from '../../src/api/app.ts';

type App = ReturnType<typeof createApp>;

export interface Browser {
  cookie: string;
  csrf: string;
}

export interface FormClient {
  /** A url-encoded POST without session (add headers for one). */
  form(
    path: string,
    fields: Record<string, string | string[]>,
    headers?: Record<string, string>,
  ): Promise<Response>;
  signIn(email: string): Promise<Browser>;
  get(b: Browser | null, path: string): Promise<Response>;
  /** A POST of the signed-in browser with its form token; repeated fields as arrays. */
  send(b: Browser, path: string, fields?: Record<string, string | string[]>): Promise<Response>;
}

export function formClient(app: App, password: string): FormClient {
  const post = async (
    path: string,
    fields: Record<string, string | string[]>,
    headers: Record<string, string> = {},
  ) => {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) {
      for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    }
    return app.request(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body: body.toString(),
    });
  };
  return {
    form: post,
    async signIn(email) {
      const res = await post('/anmelden', { email, password, next: '/intern' });
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/intern');
      const cookie = /^(bimo_session=[^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1] ?? '';
      const page = await (await app.request('/intern', { headers: { Cookie: cookie } })).text();
      const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? '';
      expect(csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
      return { cookie, csrf };
    },
    get: async (b, path) => app.request(path, { headers: b ? { Cookie: b.cookie } : {} }),
    send: (b, path, fields = {}) => post(path, { csrf: b.csrf, ...fields }, { Cookie: b.cookie }),
  };
}

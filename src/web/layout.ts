/**
 * The page frame shared by every portal page: skip link, header, navigation by plain links,
 * main landmark and the attribution footer required by the data licences.
 */
import { html, raw, type Raw } from './html.ts';
import { FRAME, href, type Lang } from './i18n.ts';

export const ATTRIBUTION =
  'Daten: © Statistische Ämter des Bundes und der Länder, Deutschland; © IT.NRW. Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0). Geometrien: © GeoBasis-DE / BKG (Daten verändert), dl-de/by-2-0.';

export interface LayoutOptions {
  /** Inline the stylesheet (self-contained files: reports); default: link /static/bimo.css. */
  css?: string | undefined;
  /** The page's language (default German). */
  lang?: Lang;
  /** The address of this page in the other language; absent: no switch is shown. */
  switchHref?: string;
  /** Which navigation entry is the current page (`aria-current="page"`). */
  current?: NavKey;
  /**
   * The signed-in account (src/web/pages/internal/common.ts `signedInAs`): the header then
   * names it, links the internal area and offers to sign out (a form with the CSRF field).
   */
  user?: { email: string; name: string; csrf: string } | undefined;
}

export type NavKey =
  'home' | 'indicators' | 'questions' | 'regions' | 'compare' | 'search' | 'internal';

const NAV: { key: NavKey; path: string }[] = [
  { key: 'home', path: '/' },
  { key: 'indicators', path: '/indikatoren' },
  { key: 'questions', path: '/fragestellungen' },
  { key: 'regions', path: '/regionen' },
  { key: 'compare', path: '/vergleich' },
  { key: 'search', path: '/suche' },
];

export function layout(title: string, body: Raw, opts: LayoutOptions = {}): string {
  const lang = opts.lang ?? 'de';
  const t = FRAME[lang];
  const style = opts.css
    ? raw(`<style>${opts.css}</style>`)
    : raw('<link rel="stylesheet" href="/static/bimo.css">');
  const items = NAV.map(
    (n) =>
      html`<li>
        <a href="${href(lang, n.path)}" ${opts.current === n.key ? raw('aria-current="page"') : ''}
          >${t[n.key]}</a
        >
      </li>`,
  );
  return `<!doctype html>${
    html`<html lang="${lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} – ${t.suffix}</title>
        ${style}
      </head>
      <body>
        <a class="skip" href="#main">${t.skip}</a>
        <header class="site">
          <a class="brand" href="${href(lang, '/')}">bimo <span>${t.brand}</span></a>
          <nav aria-label="${t.nav}">
            <ul>
              ${items}
              ${
                opts.user
                  ? html`<li>
                      <a
                        href="${href(lang, '/intern')}"
                        ${opts.current === 'internal' ? raw('aria-current="page"') : ''}
                        >${t.internal}</a
                      >
                    </li>`
                  : ''
              }
              <li><a href="/api/v1/docs">${t.api}</a></li>
              ${
                opts.switchHref
                  ? html`<li>
                      <a href="${opts.switchHref}" hreflang="${t.otherLang}" lang="${t.otherLang}"
                        >${t.other}</a
                      >
                    </li>`
                  : ''
              }
            </ul>
          </nav>
          ${opts.user ? signedIn(opts.user, lang) : ''}
        </header>
        <main id="main">${body}</main>
        <footer class="site"><p>${ATTRIBUTION}</p></footer>
      </body>
    </html>`.value
  }`;
}

/** "Signed in as …" with the sign-out button (a POST form: no script needed). */
function signedIn(user: NonNullable<LayoutOptions['user']>, lang: Lang) {
  const who = user.name || user.email;
  return html`<form class="signed-in" method="post" action="${href(lang, '/abmelden')}">
    <span>${lang === 'en' ? 'Signed in as' : 'Angemeldet als'} <strong>${who}</strong></span>
    <input type="hidden" name="csrf" value="${user.csrf}" />
    <button type="submit">${lang === 'en' ? 'Sign out' : 'Abmelden'}</button>
  </form>`;
}

/**
 * The page frame shared by every portal page: skip link, header, navigation by plain links,
 * main landmark and the attribution footer required by the data licences.
 */
import { html, raw, type Raw } from './html.ts';

export const ATTRIBUTION =
  'Daten: © Statistische Ämter des Bundes und der Länder, Deutschland; © IT.NRW. Datenlizenz Deutschland – Namensnennung – Version 2.0 (dl-de/by-2-0). Geometrien: © GeoBasis-DE / BKG (Daten verändert), dl-de/by-2-0.';

export function layout(title: string, body: Raw, opts: { css?: string | undefined } = {}): string {
  const style = opts.css
    ? raw(`<style>${opts.css}</style>`)
    : raw('<link rel="stylesheet" href="/static/bimo.css">');
  return `<!doctype html>${
    html`<html lang="de">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title} – bimo Bildungsmonitoring</title>
        ${style}
      </head>
      <body>
        <a class="skip" href="#main">Zum Inhalt springen</a>
        <header class="site">
          <a class="brand" href="/">bimo <span>Bildungsmonitoring Rheinisches Revier</span></a>
          <nav aria-label="Hauptnavigation">
            <ul>
              <li><a href="/">Startseite</a></li>
              <li><a href="/indikatoren">Indikatoren</a></li>
              <li><a href="/api/v1/docs">API</a></li>
            </ul>
          </nav>
        </header>
        <main id="main">${body}</main>
        <footer class="site"><p>${ATTRIBUTION}</p></footer>
      </body>
    </html>`.value
  }`;
}

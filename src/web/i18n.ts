/**
 * German first, English second. The language of a page is its `?lang=en` parameter (absent:
 * German), so every address names its language and a link can be shared as it is. Pages keep
 * their own words in a `{ de, en }` table; `href` keeps the language in every internal link.
 */
import type { Context } from 'hono';

export type Lang = 'de' | 'en';

export function langOf(c: Context): Lang {
  return c.req.query('lang') === 'en' ? 'en' : 'de';
}

/** An internal link in `lang`: `/indikatoren/D6?jahr=2023` → `…&lang=en` for English. */
export function href(lang: Lang, path: string): string {
  if (lang === 'de') return path;
  const [base, hash] = path.split('#', 2) as [string, string | undefined];
  const joined = `${base}${base.includes('?') ? '&' : '?'}lang=en`;
  return hash === undefined ? joined : `${joined}#${hash}`;
}

/** The same page in the other language (the current address with `lang` switched). */
export function switchHref(c: Context): string {
  const url = new URL(c.req.url);
  if (url.searchParams.get('lang') === 'en') url.searchParams.delete('lang');
  else url.searchParams.set('lang', 'en');
  const q = url.searchParams.toString();
  return `${url.pathname}${q ? `?${q}` : ''}`;
}

/** Words of the page frame. */
export const FRAME = {
  de: {
    skip: 'Zum Inhalt springen',
    brand: 'Bildungsmonitoring Rheinisches Revier',
    nav: 'Hauptnavigation',
    home: 'Startseite',
    indicators: 'Indikatoren',
    questions: 'Fragestellungen',
    regions: 'Regionen',
    compare: 'Vergleich',
    search: 'Suche',
    internal: 'Intern',
    api: 'API',
    other: 'English',
    otherLang: 'en',
    suffix: 'bimo Bildungsmonitoring',
  },
  en: {
    skip: 'Skip to content',
    brand: 'Education monitoring Rhenish mining area',
    nav: 'Main navigation',
    home: 'Home',
    indicators: 'Indicators',
    questions: 'Questions',
    regions: 'Regions',
    compare: 'Compare',
    search: 'Search',
    internal: 'Internal',
    api: 'API',
    other: 'Deutsch',
    otherLang: 'de',
    suffix: 'bimo education monitoring',
  },
} as const;

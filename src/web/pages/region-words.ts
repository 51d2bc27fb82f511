/**
 * Words and number formatting shared by the region list, the region profiles and the comparison
 * page, German first and English second. Numbers follow the page language: '5,9 %' / '5.9 %'.
 */
import type { Flag, RegionLevel } from '../../domain/index.ts';
import { loadCatalogFull, type Area, type Indicator } from '../../indicators/index.ts';
import { formatValue } from '../../viz/index.ts';
import type { Lang } from '../i18n.ts';

export const REVIER = 'rheinisches-revier';
export const NRW = '05';

export const LEVELS: Record<Lang, Record<RegionLevel | 'group', string>> = {
  de: {
    bund: 'Bund',
    land: 'Land',
    rb: 'Regierungsbezirk',
    kreis: 'Kreis / kreisfreie Stadt',
    gemeinde: 'Gemeinde',
    sozialraum: 'Sozialraum',
    group: 'Regionsgruppe',
  },
  en: {
    bund: 'Federal level',
    land: 'Land (federal state)',
    rb: 'Government district',
    kreis: 'District / district-free city',
    gemeinde: 'Municipality',
    sozialraum: 'Social area',
    group: 'Group of regions',
  },
};

/** Plural names for ranks: "Rang 3 von 53 Kreisen in NRW". */
export const LEVELS_PLURAL: Record<Lang, Record<RegionLevel, string>> = {
  de: {
    bund: 'Staaten',
    land: 'Ländern',
    rb: 'Regierungsbezirken',
    kreis: 'Kreisen',
    gemeinde: 'Gemeinden',
    sozialraum: 'Sozialräumen',
  },
  en: {
    bund: 'states',
    land: 'Länder',
    rb: 'government districts',
    kreis: 'districts',
    gemeinde: 'municipalities',
    sozialraum: 'social areas',
  },
};

/** Swaps decimal comma and thousands dot between digits for English pages. */
function english(text: string): string {
  return text.replace(
    /(\d)([.,])(?=\d)/g,
    (_m, d: string, s: string) => `${d}${s === ',' ? '.' : ','}`,
  );
}

/** A value as the reader sees it, with unit and official sign, in the page's number format. */
export function fmtValue(
  lang: Lang,
  value: number | null,
  flag: Flag | null,
  decimals: number,
  unit?: string,
): string {
  const text = formatValue(value, flag, decimals, unit);
  return lang === 'en' ? english(text) : text;
}

/** A signed difference: '+0,6' / '−1,9' (typographic minus). */
export function fmtDiff(lang: Lang, diff: number, decimals: number): string {
  const abs = fmtValue(lang, Math.abs(diff), null, decimals);
  const zero = Math.round(Math.abs(diff) * 10 ** decimals) === 0;
  return zero ? abs : `${diff > 0 ? '+' : '−'}${abs}`;
}

export function titleOf(ind: Pick<Indicator, 'title_de' | 'title_en'>, lang: Lang): string {
  return lang === 'en' ? ind.title_en : ind.title_de;
}

let areas: Area[] | undefined;

/** The catalog's areas (A Rahmenbedingungen … I), read once. */
export function areaList(): Area[] {
  areas ??= loadCatalogFull().areas;
  return areas;
}

export function areaTitle(id: string, lang: Lang): string {
  const a = areaList().find((x) => x.id === id);
  return a ? `${a.id} · ${lang === 'en' ? a.title_en : a.title_de}` : id;
}

/**
 * Names of the upper levels (Bund, Länder, Regierungsbezirke) and the rules that turn the VG250
 * boundary attributes (GEN, BEZ) of Kreise and Gemeinden into Regionaldatenbank-style labels.
 *
 * The labels are the ones GENESIS / Regionaldatenbank print next to the keys, so that a person
 * comparing our tables with the official download sees the same text. Every rule below was
 * checked against the key/label pairs in ../shared/data/genesis-samples: the rules reproduce
 * 391 of 400 Kreis labels; the 9 exceptions (honorary titles, Regionalverband, "Landkreis Rostock")
 * are listed in KREIS_NAME_OVERRIDES.
 */

export const BUND_NAME = 'Deutschland';

/** Länder by 2-digit AGS. */
export const LAND_NAMES: Readonly<Record<string, string>> = {
  '01': 'Schleswig-Holstein',
  '02': 'Hamburg',
  '03': 'Niedersachsen',
  '04': 'Bremen',
  '05': 'Nordrhein-Westfalen',
  '06': 'Hessen',
  '07': 'Rheinland-Pfalz',
  '08': 'Baden-Württemberg',
  '09': 'Bayern',
  '10': 'Saarland',
  '11': 'Berlin',
  '12': 'Brandenburg',
  '13': 'Mecklenburg-Vorpommern',
  '14': 'Sachsen',
  '15': 'Sachsen-Anhalt',
  '16': 'Thüringen',
};

/**
 * Regierungsbezirke and statistische Regionen: every 3-digit AGS prefix whose third digit is not 0.
 * Niedersachsen (2004), Rheinland-Pfalz (2000) and Sachsen (2012) abolished their Bezirke, but the
 * key digit survives and the statistical offices publish these units as "Statistische Region".
 * The Regionaldatenbank also lists pseudo units `010`, `020`, … for Länder without Bezirke; they
 * are the Land itself and deliberately not modelled here.
 */
export const RB_NAMES: Readonly<Record<string, string>> = {
  '031': 'Braunschweig',
  '032': 'Hannover',
  '033': 'Lüneburg',
  '034': 'Weser-Ems',
  '051': 'Düsseldorf',
  '053': 'Köln',
  '055': 'Münster',
  '057': 'Detmold',
  '059': 'Arnsberg',
  '064': 'Darmstadt',
  '065': 'Gießen',
  '066': 'Kassel',
  '071': 'Koblenz',
  '072': 'Trier',
  '073': 'Rheinhessen-Pfalz',
  '081': 'Stuttgart',
  '082': 'Karlsruhe',
  '083': 'Freiburg',
  '084': 'Tübingen',
  '091': 'Oberbayern',
  '092': 'Niederbayern',
  '093': 'Oberpfalz',
  '094': 'Oberfranken',
  '095': 'Mittelfranken',
  '096': 'Unterfranken',
  '097': 'Schwaben',
  '145': 'Chemnitz',
  '146': 'Dresden',
  '147': 'Leipzig',
};

/** Länder whose 3-digit units are statistical regions rather than government districts. */
const STATISTISCHE_REGION_LAENDER = new Set(['03', '07', '14']);

/**
 * Display label of a Regierungsbezirk, e.g. 'Köln, Regierungsbezirk'. The suffix is not decoration:
 * without it 'Köln' (053) and 'Köln, kreisfreie Stadt' (05315) would read alike in a region picker.
 */
export function rbLabel(code: string): string | undefined {
  const name = RB_NAMES[code];
  if (name === undefined) return undefined;
  const kind = STATISTISCHE_REGION_LAENDER.has(code.slice(0, 2))
    ? 'Statistische Region'
    : 'Regierungsbezirk';
  return `${name}, ${kind}`;
}

/**
 * Regionaldatenbank labels that no rule derives from GEN + BEZ: honorary titles
 * ("Hansestadt", "Landeshauptstadt", …), the Saarbrücken Regionalverband and the one MV Landkreis
 * written with its type first. Source: labels in ../shared/data/genesis-samples.
 */
export const KREIS_NAME_OVERRIDES: Readonly<Record<string, string>> = {
  '01003': 'Lübeck, kreisfreie Stadt, Hansestadt',
  '02000': 'Hamburg, kreisfreie Stadt, Freie und Hansestadt',
  '03403': 'Oldenburg (Oldenburg), kreisfreie Stadt',
  '06411': 'Darmstadt, kreisfreie Stadt, Wissenschaftsstadt',
  '06414': 'Wiesbaden, kreisfreie Stadt, Landeshauptstadt',
  '06611': 'Kassel, kreisfreie Stadt, documenta-Stadt',
  '10041': 'Saarbrücken, Regionalverband',
  '13072': 'Landkreis Rostock',
  '15003': 'Magdeburg, kreisfreie Stadt, Landeshauptstadt',
};

/** How the Regionaldatenbank writes the VG250 `BEZ` (Kreis type) after the name. */
const KREIS_TYPE_SUFFIX: Readonly<Record<string, string>> = {
  'Kreisfreie Stadt': 'kreisfreie Stadt',
  Stadtkreis: 'Stadtkreis',
  Kreis: 'Kreis',
  Landkreis: 'Landkreis',
};

/**
 * Kreis label from VG250 attributes: 'GEN, <type>' ('Düren, Kreis', 'Mönchengladbach, kreisfreie
 * Stadt', 'Städteregion Aachen, Kreis'), but just GEN when the name already says it is a Kreis
 * ('Rhein-Kreis Neuss', 'Hochsauerlandkreis') — except in Baden-Württemberg, where the
 * Regionaldatenbank keeps the suffix ('Rems-Murr-Kreis, Landkreis').
 */
export function kreisLabel(code: string, gen: string, bez: string): string {
  const override = KREIS_NAME_OVERRIDES[code];
  if (override !== undefined) return override;
  const suffix = KREIS_TYPE_SUFFIX[bez] ?? bez;
  const isLandkreisType = bez === 'Kreis' || bez === 'Landkreis';
  if (isLandkreisType && /kreis/i.test(gen) && !code.startsWith('08')) return gen;
  return `${gen}, ${suffix}`;
}

/**
 * Gemeinde labels the rule cannot know: Jüchen became a Stadt after the 2018 boundary vintage;
 * Aachen keeps the legal status of a kreisfreie Stadt inside the Städteregion (Aachen-Gesetz) and
 * the Regionaldatenbank labels it that way.
 */
export const GEMEINDE_NAME_OVERRIDES: Readonly<Record<string, string>> = {
  '05162012': 'Jüchen, Stadt',
  '05334002': 'Aachen, kreisfreie Stadt',
};

/**
 * Gemeinde label from VG250 attributes: 'GEN, kreisfreie Stadt' for kreisfreie Städte
 * (BEM 'kreisfrei'), 'GEN, Stadt' for towns, plain GEN for other Gemeinden — the Regionaldatenbank
 * convention ('Düren, Stadt', 'Inden').
 */
export function gemeindeLabel(code: string, gen: string, bez: string, bem?: string): string {
  const override = GEMEINDE_NAME_OVERRIDES[code];
  if (override !== undefined) return override;
  if (bem === 'kreisfrei') return `${gen}, kreisfreie Stadt`;
  if (bez === 'Stadt') return `${gen}, Stadt`;
  return gen;
}

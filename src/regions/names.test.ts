import { describe, expect, it } from 'vitest';
import { gemeindeLabel, kreisLabel, LAND_NAMES, RB_NAMES, rbLabel } from './names.ts';

describe('name tables', () => {
  it('has the 16 Länder under 01..16', () => {
    expect(Object.keys(LAND_NAMES).sort()).toEqual(
      Array.from({ length: 16 }, (_, i) => String(i + 1).padStart(2, '0')),
    );
    expect(LAND_NAMES['05']).toBe('Nordrhein-Westfalen');
  });

  it('has 29 Regierungsbezirke / statistische Regionen, all with a non-zero third digit', () => {
    expect(Object.keys(RB_NAMES)).toHaveLength(29);
    for (const code of Object.keys(RB_NAMES)) expect(code).toMatch(/^\d\d[1-9]$/);
    expect(rbLabel('053')).toBe('Köln, Regierungsbezirk');
    expect(rbLabel('031')).toBe('Braunschweig, Statistische Region');
    expect(rbLabel('147')).toBe('Leipzig, Statistische Region');
    expect(rbLabel('050')).toBeUndefined();
  });
});

describe('kreisLabel', () => {
  it.each([
    ['05358', 'Düren', 'Kreis', 'Düren, Kreis'],
    ['05116', 'Mönchengladbach', 'Kreisfreie Stadt', 'Mönchengladbach, kreisfreie Stadt'],
    ['05162', 'Rhein-Kreis Neuss', 'Kreis', 'Rhein-Kreis Neuss'],
    ['05958', 'Hochsauerlandkreis', 'Kreis', 'Hochsauerlandkreis'],
    ['05334', 'Städteregion Aachen', 'Kreis', 'Städteregion Aachen, Kreis'],
    ['03151', 'Gifhorn', 'Landkreis', 'Gifhorn, Landkreis'],
    ['08111', 'Stuttgart', 'Stadtkreis', 'Stuttgart, Stadtkreis'],
    ['08119', 'Rems-Murr-Kreis', 'Landkreis', 'Rems-Murr-Kreis, Landkreis'],
    ['13072', 'Rostock', 'Landkreis', 'Landkreis Rostock'],
    ['10041', 'Regionalverband Saarbrücken', 'Landkreis', 'Saarbrücken, Regionalverband'],
  ])('%s %s (%s) → %s', (code, gen, bez, label) => {
    expect(kreisLabel(code, gen, bez)).toBe(label);
  });
});

describe('gemeindeLabel', () => {
  it('follows the Regionaldatenbank convention', () => {
    expect(gemeindeLabel('05358008', 'Düren', 'Stadt')).toBe('Düren, Stadt');
    expect(gemeindeLabel('05358020', 'Inden', 'Gemeinde')).toBe('Inden');
    expect(gemeindeLabel('05116000', 'Mönchengladbach', 'Stadt', 'kreisfrei')).toBe(
      'Mönchengladbach, kreisfreie Stadt',
    );
    expect(gemeindeLabel('05162012', 'Jüchen', 'Gemeinde')).toBe('Jüchen, Stadt');
    expect(gemeindeLabel('05334002', 'Aachen', 'Stadt')).toBe('Aachen, kreisfreie Stadt');
  });
});

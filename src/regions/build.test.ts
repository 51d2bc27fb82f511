import { beforeAll, describe, expect, it } from 'vitest';
import type { Region } from '../domain/index.ts';
import { buildRegionData } from './build.ts';
import type { RegionData } from './build.ts';
import { expandGroupMembers } from './groups.ts';
import { RB_NAMES } from './names.ts';
import { sampleDataDir } from './sample-data.ts';

let data: RegionData;
const byCode = new Map<string, Region>();
const atLevel = (level: Region['level']) => data.regions.filter((r) => r.level === level);
const region = (code: string): Region => {
  const r = byCode.get(code);
  if (!r) throw new Error(`missing ${code}`);
  return r;
};

beforeAll(async () => {
  data = await buildRegionData(sampleDataDir());
  for (const r of data.regions) byCode.set(r.code, r);
});

describe('buildRegionData: hierarchy', () => {
  it('has unique codes and existing parents', () => {
    expect(byCode.size).toBe(data.regions.length);
    for (const r of data.regions) {
      if (r.parentCode !== null) expect(byCode.has(r.parentCode), r.code).toBe(true);
    }
  });

  it('has the Bund and 16 Länder', () => {
    expect(region('DG')).toMatchObject({ level: 'bund', name: 'Deutschland', parentCode: null });
    expect(atLevel('land')).toHaveLength(16);
    expect(region('05')).toMatchObject({ name: 'Nordrhein-Westfalen', parentCode: 'DG' });
  });

  it('derives every RB of the name table from the Kreis keys, and no other', () => {
    expect(atLevel('rb').map((r) => r.code)).toEqual(Object.keys(RB_NAMES).sort());
    for (const rb of atLevel('rb')) {
      expect(data.regions.some((k) => k.level === 'kreis' && k.parentCode === rb.code)).toBe(true);
    }
    expect(atLevel('rb').filter((r) => r.parentCode === '05')).toHaveLength(5);
  });

  it('has 400 current Kreise plus the two historic Aachen units', () => {
    const kreise = atLevel('kreis');
    expect(kreise.filter((k) => k.validTo === null)).toHaveLength(400);
    expect(kreise.filter((k) => k.validTo !== null).map((k) => k.code)).toEqual(['05313', '05354']);
    expect(kreise.filter((k) => k.code.startsWith('05') && k.validTo === null)).toHaveLength(53);
  });

  it('hangs Kreise under their RB, or under the Land where the key has no RB digit', () => {
    expect(region('05358').parentCode).toBe('053');
    expect(region('01001').parentCode).toBe('01');
    expect(region('11000').parentCode).toBe('11');
  });

  it('has the 396 NRW Gemeinden under their Kreise', () => {
    const gemeinden = atLevel('gemeinde').filter((g) => g.code.startsWith('05'));
    expect(gemeinden).toHaveLength(396);
    for (const g of gemeinden) expect(g.parentCode).toBe(g.code.slice(0, 5));
  });

  it('names Kreise and Gemeinden like the Regionaldatenbank', () => {
    expect(region('05358').name).toBe('Düren, Kreis');
    expect(region('05116').name).toBe('Mönchengladbach, kreisfreie Stadt');
    expect(region('05162').name).toBe('Rhein-Kreis Neuss');
    expect(region('05362').name).toBe('Rhein-Erft-Kreis');
    expect(region('05334').name).toBe('Städteregion Aachen, Kreis');
    expect(region('05358008').name).toBe('Düren, Stadt');
    expect(region('05358020').name).toBe('Inden');
    expect(region('053').name).toBe('Köln, Regierungsbezirk');
  });
});

describe('buildRegionData: special units', () => {
  it('marks Aachen 05334002 as a non-additive Gemeinde of the Städteregion', () => {
    expect(region('05334002')).toMatchObject({
      level: 'gemeinde',
      parentCode: '05334',
      additive: false,
      name: 'Aachen, kreisfreie Stadt',
    });
    // Besides Aachen only the pseudo sub-units of Kreis tables (Hannover, Saarbrücken, Berlin).
    expect(data.regions.filter((r) => !r.additive).map((r) => r.code)).toEqual([
      '05334002',
      '03241001',
      '10041100',
      ...Array.from(
        { length: 12 },
        (_, i) =>
          `11${String(i + 1)
            .padStart(3, '0')
            .repeat(2)}`,
      ),
    ]);
  });

  it('links each NRW kreisfreie Stadt with its Gemeinde', () => {
    expect(region('05116').sameAs).toBe('05116000');
    expect(region('05116000').sameAs).toBe('05116');
    expect(region('05111').sameAs).toBe('05111000');
    const linked = atLevel('kreis').filter((k) => k.code.startsWith('05') && k.sameAs !== null);
    expect(linked).toHaveLength(22);
    expect(region('05334').sameAs).toBeNull();
    expect(region('05334002').sameAs).toBeNull();
  });

  it('links the city states Hamburg and Berlin with their Kreis key', () => {
    expect(region('02').sameAs).toBe('02000');
    expect(region('11000').sameAs).toBe('11');
    expect(region('04').sameAs).toBeNull();
  });

  it('carries the validity periods of the 2009 Aachen reform', () => {
    expect(region('05313')).toMatchObject({
      name: 'Aachen, Stadt (alt)',
      parentCode: '053',
      validTo: '2009-10-20',
    });
    expect(region('05354')).toMatchObject({
      name: 'Aachen, Kreis',
      parentCode: '053',
      validTo: '2009-10-20',
    });
    expect(region('05334').validFrom).toBe('2009-10-21');
    expect(region('05334012').validFrom).toBe('2009-10-21');
    expect(region('05358008').validFrom).toBeNull();
  });
});

describe('buildRegionData: groups', () => {
  const memberCodes = (groupId: string) =>
    data.members.filter((m) => m.groupId === groupId).map((m) => m.regionCode);

  it('defines the five groups', () => {
    expect(data.groups.map((g) => g.id)).toEqual([
      'rheinisches-revier',
      'anrainer',
      'lausitzer-revier',
      'mitteldeutsches-revier',
      'ruhr',
    ]);
    expect(data.groups[0]).toEqual({
      id: 'rheinisches-revier',
      name: 'Rheinisches Revier',
      kind: 'revier',
    });
    expect(data.members.every((m) => m.weight === 1)).toBe(true);
  });

  it('lists the 7 Revier Kreise and their 65 Gemeinden', () => {
    const codes = memberCodes('rheinisches-revier');
    expect(codes.filter((c) => c.length === 5)).toEqual([
      '05116',
      '05162',
      '05334',
      '05358',
      '05362',
      '05366',
      '05370',
    ]);
    expect(codes.filter((c) => c.length === 8)).toHaveLength(65);
  });

  it('lists the 19 Anrainerkommunen by name', () => {
    const names = memberCodes('anrainer').map((c) => region(c).name.split(',')[0]);
    expect(names.sort()).toEqual(
      [
        'Aldenhoven',
        'Bedburg',
        'Bergheim',
        'Düren',
        'Elsdorf',
        'Erkelenz',
        'Eschweiler',
        'Frechen',
        'Grevenbroich',
        'Inden',
        'Jüchen',
        'Jülich',
        'Kerpen',
        'Langerwehe',
        'Merzenich',
        'Mönchengladbach',
        'Niederzier',
        'Rommerskirchen',
        'Titz',
      ].sort(),
    );
  });

  it('lists the Kreise of the other Reviere and the Ruhr', () => {
    expect(memberCodes('lausitzer-revier')).toHaveLength(7);
    expect(memberCodes('mitteldeutsches-revier')).toHaveLength(9);
    expect(memberCodes('ruhr').filter((c) => c.length === 5)).toHaveLength(15);
  });

  it('refuses a group member that is not a region', () => {
    const def = { id: 'x', name: 'X', kind: 'peer' as const, includeGemeinden: false };
    expect(() => expandGroupMembers([{ ...def, codes: ['05358', '05999'] }], data.regions)).toThrow(
      /unknown region key '05999'/,
    );
  });
});

describe('buildRegionData: input errors', () => {
  it('names the directory to fix when the files are missing', async () => {
    await expect(buildRegionData('/nonexistent-bimo-data')).rejects.toThrow(/BIMO_SAMPLE_DATA/);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import type { Region } from '../domain/index.ts';
import { buildRegionData } from './build.ts';
import type { RegionData } from './build.ts';
import { RegionRegistry } from './registry.ts';
import { sampleDataDir } from './sample-data.ts';

let data: RegionData;
let registry: RegionRegistry;
const codes = (regions: Region[]) => regions.map((r) => r.code);

beforeAll(async () => {
  data = await buildRegionData(sampleDataDir());
  registry = new RegionRegistry(data);
});

describe('RegionRegistry: lookups', () => {
  it('gets regions and groups by key', () => {
    expect(registry.get('05358')?.name).toBe('Düren, Kreis');
    expect(registry.has('05358008')).toBe(true);
    expect(registry.has('rheinisches-revier')).toBe(false);
    expect(registry.isGroup('rheinisches-revier')).toBe(true);
    expect(registry.group('anrainer')?.kind).toBe('subregion');
    expect(registry.groups()).toHaveLength(5);
    expect(registry.all()).toHaveLength(data.regions.length);
  });

  it('resolves official keys exactly, with both spellings of Germany', () => {
    expect(registry.resolveKey('DG')?.level).toBe('bund');
    expect(registry.resolveKey('DINSG')?.code).toBe('DG');
    expect(registry.resolveKey(' 05358 ')?.code).toBe('05358');
    expect(registry.resolveKey('05999')).toBeUndefined();
    // No silent level change: the 8-digit key stays a Gemeinde.
    expect(registry.resolveKey('05116000')?.level).toBe('gemeinde');
  });

  it('resolves historic keys only for years they existed in', () => {
    expect(registry.resolveKey('05354', 2005)?.name).toBe('Aachen, Kreis');
    expect(registry.resolveKey('05354', 2010)).toBeUndefined();
    expect(registry.resolveKey('05334', 2008)).toBeUndefined();
    expect(registry.resolveKey('05334', 2009)?.code).toBe('05334');
    expect(registry.resolveKey('05354')?.code).toBe('05354');
  });

  it('finds the same territory under its other key', () => {
    expect(registry.equivalent('05116')?.code).toBe('05116000');
    expect(registry.equivalent('05116000')?.code).toBe('05116');
    expect(registry.equivalent('11')?.code).toBe('11000');
    expect(registry.equivalent('05358')).toBeUndefined();
    expect(registry.equivalent('nope')).toBeUndefined();
  });

  it('answers validity at the end of a year, never both sides of the 2009 reform', () => {
    expect(registry.isValidIn('05313', 2008)).toBe(true);
    expect(registry.isValidIn('05313', 2009)).toBe(false);
    expect(registry.isValidIn('05334', 2009)).toBe(true);
    expect(registry.isValidIn('05358', 1990)).toBe(true);
    expect(registry.isValidIn('05999', 2023)).toBe(false);
  });
});

describe('RegionRegistry: hierarchy', () => {
  it('walks children and ancestors', () => {
    expect(codes(registry.children('05'))).toEqual(['051', '053', '055', '057', '059']);
    expect(registry.children('05334')).toHaveLength(10);
    expect(codes(registry.children('05334'))).toContain('05334002');
    expect(codes(registry.ancestors('05358008'))).toEqual(['05358', '053', '05', 'DG']);
    expect(registry.ancestors('DG')).toEqual([]);
    expect(codes(registry.children('053', 2023))).not.toContain('05354');
    expect(codes(registry.children('053', 2005))).not.toContain('05334');
  });

  it('lists regions of a level, within a region and in a year', () => {
    expect(registry.atLevel('land')).toHaveLength(16);
    expect(registry.atLevel('kreis', undefined, 2023)).toHaveLength(400);
    expect(registry.atLevel('kreis')).toHaveLength(402);
    expect(registry.atLevel('rb', '05')).toHaveLength(5);
    expect(registry.atLevel('kreis', '05', 2023)).toHaveLength(53);
    expect(codes(registry.atLevel('kreis', '05', 2005))).toEqual(
      expect.arrayContaining(['05313', '05354']),
    );
    expect(registry.atLevel('kreis', '05', 2005)).toHaveLength(54);
    expect(registry.atLevel('gemeinde', '05')).toHaveLength(396);
    expect(registry.atLevel('gemeinde', '05358')).toHaveLength(15);
    expect(codes(registry.atLevel('kreis', '05358'))).toEqual(['05358']);
  });

  it('accepts a group id where a region code can stand', () => {
    expect(registry.atLevel('gemeinde', 'rheinisches-revier')).toHaveLength(65);
    expect(registry.atLevel('kreis', 'rheinisches-revier')).toHaveLength(7);
    expect(registry.atLevel('gemeinde', 'anrainer')).toHaveLength(19);
  });

  it('refuses unknown codes instead of answering with an empty list', () => {
    expect(() => registry.atLevel('kreis', '05999')).toThrow(/Unknown region key '05999'/);
    expect(() => registry.children('xx')).toThrow(/Unknown region key/);
    expect(() => registry.members('no-such-group')).toThrow(/Unknown region group/);
  });
});

describe('RegionRegistry: groups', () => {
  it('returns members, optionally of one level', () => {
    expect(registry.members('rheinisches-revier', 'kreis')).toHaveLength(7);
    expect(registry.members('rheinisches-revier', 'gemeinde')).toHaveLength(65);
    expect(registry.members('anrainer', 'gemeinde')).toHaveLength(19);
    expect(registry.members('anrainer', 'kreis')).toHaveLength(0);
    expect(registry.memberRows('lausitzer-revier').every((m) => m.weight === 1)).toBe(true);
  });

  it('knows the coarsest complete level of each group', () => {
    expect(registry.groupLevel('rheinisches-revier')).toBe('kreis');
    expect(registry.groupLevel('anrainer')).toBe('gemeinde');
    expect(registry.groupLevel('lausitzer-revier')).toBe('kreis');
    expect(registry.groupLevel('mitteldeutsches-revier')).toBe('kreis');
    expect(registry.groupLevel('ruhr')).toBe('kreis');
  });

  it('falls to a finer level when a coarse member is incomplete', () => {
    const partial = new RegionRegistry({
      ...data,
      groups: [{ id: 'mixed', name: 'Mixed', kind: 'peer' }],
      members: [
        { groupId: 'mixed', regionCode: '05358', weight: 1 },
        { groupId: 'mixed', regionCode: '05362004', weight: 1 },
      ],
    });
    expect(partial.groupLevel('mixed')).toBe('gemeinde');
  });
});

describe('RegionRegistry: consistency checks', () => {
  const base = (): Region => ({
    code: '05',
    level: 'land',
    name: 'NRW',
    parentCode: 'DG',
    validFrom: null,
    validTo: null,
    additive: true,
    sameAs: null,
  });

  it('rejects dangling parents, duplicate keys and one-sided sameAs', () => {
    const empty = { groups: [], members: [] };
    expect(() => new RegionRegistry({ regions: [base()], ...empty })).toThrow(/parent DG/);
    const bund = { ...base(), code: 'DG', level: 'bund' as const, parentCode: null };
    expect(() => new RegionRegistry({ regions: [bund, bund], ...empty })).toThrow(/twice/);
    const oneSided = { ...base(), sameAs: 'DG' };
    expect(() => new RegionRegistry({ regions: [bund, oneSided], ...empty })).toThrow(/sameAs/);
  });

  it('rejects group members that are not regions', () => {
    expect(
      () =>
        new RegionRegistry({
          ...data,
          members: [...data.members, { groupId: 'anrainer', regionCode: '05999999', weight: 1 }],
        }),
    ).toThrow(/05999999/);
  });
});

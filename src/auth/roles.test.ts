/** Roles and an editor's region scope on the real registry (../shared/data boundaries). */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildRegionData, RegionRegistry } from '../regions/index.ts';
import { sampleDataDir } from '../regions/sample-data.ts';
import { canWriteRegion, checkScope, isRole, parseRegions } from './roles.ts';

let registry: RegionRegistry;

beforeAll(async () => {
  registry = new RegionRegistry(await buildRegionData(sampleDataDir()));
});

const editor = (regions: string[]) => ({ role: 'editor' as const, regions, disabled: false });

describe('canWriteRegion', () => {
  it('lets an editor for 05358 write inside Kreis Düren only', () => {
    const u = editor(['05358']);
    expect(canWriteRegion(u, '05358', registry)).toBe(true);
    expect(canWriteRegion(u, '05358008', registry)).toBe(true);
    // A Sozialraum of Düren, whether or not its list was imported yet.
    expect(canWriteRegion(u, '05358008-01', registry)).toBe(true);
    expect(canWriteRegion(u, '05366', registry)).toBe(false);
    expect(canWriteRegion(u, '05366004', registry)).toBe(false);
    expect(canWriteRegion(u, '05', registry)).toBe(false);
    expect(canWriteRegion(u, '053', registry)).toBe(false);
    expect(canWriteRegion(u, 'DG', registry)).toBe(false);
    expect(canWriteRegion(u, '99999', registry)).toBe(false);
    expect(canWriteRegion(u, '99999999-01', registry)).toBe(false);
    expect(canWriteRegion(u, 'rheinisches-revier', registry)).toBe(false);
  });

  it('covers the other key of a kreisfreie Stadt (05111 ≡ 05111000)', () => {
    expect(canWriteRegion(editor(['05111000']), '05111', registry)).toBe(true);
    expect(canWriteRegion(editor(['05111']), '05111000', registry)).toBe(true);
  });

  it('lets a group cover its members and what lies below them', () => {
    const u = editor(['rheinisches-revier']);
    expect(canWriteRegion(u, 'rheinisches-revier', registry)).toBe(true);
    expect(canWriteRegion(u, '05358', registry)).toBe(true);
    expect(canWriteRegion(u, '05358008', registry)).toBe(true);
    expect(canWriteRegion(u, '05358008-01', registry)).toBe(true);
    expect(canWriteRegion(u, '05366', registry)).toBe(true);
    expect(canWriteRegion(u, '05111', registry)).toBe(false);
    expect(canWriteRegion(u, '05', registry)).toBe(false);
  });

  it('lets an editor write a group whose members all lie in their regions', () => {
    const revierKreise = registry.members('rheinisches-revier', 'kreis').map((r) => r.code);
    expect(revierKreise).toHaveLength(7);
    expect(canWriteRegion(editor(['05']), 'rheinisches-revier', registry)).toBe(true);
    expect(canWriteRegion(editor(revierKreise), 'rheinisches-revier', registry)).toBe(true);
    expect(canWriteRegion(editor(revierKreise.slice(1)), 'rheinisches-revier', registry)).toBe(
      false,
    );
  });

  it('admins may write everything, members and disabled accounts nothing', () => {
    const admin = { role: 'admin' as const, regions: [], disabled: false };
    expect(canWriteRegion(admin, '05', registry)).toBe(true);
    expect(canWriteRegion(admin, 'ruhr', registry)).toBe(true);
    expect(canWriteRegion({ ...admin, disabled: true }, '05', registry)).toBe(false);
    expect(canWriteRegion({ ...admin, role: 'member' }, '05358', registry)).toBe(false);
    expect(canWriteRegion({ ...editor(['05358']), disabled: true }, '05358', registry)).toBe(false);
  });
});

describe('scope checks', () => {
  it('parses --regions and knows the roles', () => {
    expect(parseRegions(' 05358, 05366,,05358 ')).toEqual(['05358', '05366']);
    expect(parseRegions(undefined)).toEqual([]);
    expect(isRole('editor')).toBe(true);
    expect(isRole('public')).toBe(false);
    expect(isRole(undefined)).toBe(false);
  });

  it('requires regions of editors only, and known ones', () => {
    expect(() => checkScope('editor', ['05358', 'anrainer'], registry)).not.toThrow();
    expect(() => checkScope('admin', [], registry)).not.toThrow();
    expect(() => checkScope('member', ['05358'], registry)).toThrow(/only editors/);
    expect(() => checkScope('editor', [], registry)).toThrow(/needs the regions/);
    expect(() => checkScope('editor', ['05358', '0535'], registry)).toThrow(
      expect.objectContaining({
        code: 'BIMO_E_REGION_UNKNOWN',
        details: expect.objectContaining({ unknown: ['0535'] }),
      }),
    );
  });
});

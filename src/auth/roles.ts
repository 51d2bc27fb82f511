/**
 * Roles and the region scope of an editor (ARCHITECTURE §6). The one policy module builds on
 * these facts; nothing else should compare role names or walk the region hierarchy for access.
 *
 * An editor holds region codes and group ids (`05358`, `rheinisches-revier`). A held code covers
 * itself, everything below it (Gemeinden, Sozialräume) and its other key for the same territory
 * (kreisfreie Stadt 05111 ≡ Gemeinde 05111000); a held group covers its members and everything
 * below them. Nothing covers a region above the held ones: an editor for 05358 may not write 05.
 */
import { BimoError, LOCAL_AREA_KEY } from '../domain/index.ts';
import type { RegionRegistry } from '../regions/index.ts';
import type { User, UserRole } from '../store/index.ts';

export type Role = UserRole;
/** Anonymous visitors are `public`; they have no account. */
export type RoleOrPublic = Role | 'public';

export const ROLES: readonly Role[] = ['admin', 'editor', 'member'];

export function isRole(value: string | undefined): value is Role {
  return (ROLES as readonly string[]).includes(value ?? '');
}

/** `05358, 05366,,` → ['05358', '05366']: the form of `--regions` and of the stored column. */
export function parseRegions(text: string | undefined): string[] {
  return [
    ...new Set(
      (text ?? '')
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean),
    ),
  ];
}

/**
 * Checks the role/regions pair of an account: only editors hold regions, every editor holds at
 * least one, and each is a region code or group id of the registry.
 */
export function checkScope(role: Role, regions: string[], registry?: RegionRegistry): void {
  if (role !== 'editor') {
    if (regions.length > 0) {
      throw new BimoError(
        'BIMO_E_BAD_REQUEST',
        `only editors hold regions; a ${role} sees and edits according to the role alone`,
        `Leave out --regions, or use --role editor --regions ${regions.join(',')}.`,
        { field: 'regions' },
      );
    }
    return;
  }
  if (regions.length === 0) {
    throw new BimoError(
      'BIMO_E_BAD_REQUEST',
      'an editor needs the regions they may write',
      'Add --regions with region codes or group ids, e.g. --regions 05358,05366 or --regions rheinisches-revier.',
      { field: 'regions' },
    );
  }
  if (!registry) throw new Error('checkScope needs the registry to check an editor’s regions');
  const unknown = regions.filter((c) => !registry.has(c) && !registry.isGroup(c));
  if (unknown.length > 0) {
    throw new BimoError(
      'BIMO_E_REGION_UNKNOWN',
      `not a region code or group id of the registry: ${unknown.join(', ')}`,
      'Use AGS keys (05, 053, 05358, 05358008) or a group id (rheinisches-revier, anrainer, ruhr).',
      { field: 'regions', unknown },
    );
  }
}

/**
 * The code itself, its other key for the same territory and all ancestors (of both). A
 * Sozialraum not (yet) in the registry is placed under the Gemeinde its key names.
 */
function chainOf(code: string, registry: RegionRegistry): Set<string> {
  const chain = new Set<string>();
  const add = (c: string): void => {
    if (chain.has(c) || !registry.has(c)) return;
    chain.add(c);
    const same = registry.equivalent(c);
    if (same) add(same.code);
    for (const a of registry.ancestors(c)) add(a.code);
  };
  if (registry.has(code)) add(code);
  else {
    const m = LOCAL_AREA_KEY.exec(code);
    if (m?.[1] !== undefined && registry.has(m[1])) {
      chain.add(code);
      add(m[1]);
    }
  }
  return chain;
}

/** Whether the held codes and groups cover the region `code` (see the header). */
function covers(held: string[], code: string, registry: RegionRegistry): boolean {
  const chain = chainOf(code, registry);
  if (chain.size === 0) return false;
  return held.some((h) =>
    registry.isGroup(h)
      ? registry.memberRows(h).some((m) => chain.has(m.regionCode))
      : chain.has(h),
  );
}

/**
 * May this user write data of `code` (a region code, Sozialraum key or group id)? Admins
 * always; editors within their regions; members and disabled accounts never. A group id is
 * writable when the editor holds the group or every member of it; unknown codes never are.
 */
export function canWriteRegion(
  user: Pick<User, 'role' | 'regions' | 'disabled'>,
  code: string,
  registry: RegionRegistry,
): boolean {
  if (user.disabled) return false;
  if (user.role === 'admin') return true;
  if (user.role !== 'editor') return false;
  if (registry.isGroup(code)) {
    if (user.regions.includes(code)) return true;
    const members = registry.memberRows(code);
    return members.length > 0 && members.every((m) => covers(user.regions, m.regionCode, registry));
  }
  return covers(user.regions, code, registry);
}

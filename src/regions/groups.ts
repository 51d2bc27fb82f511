/**
 * Named groups of regions (domain.md §2.3 and §6): the lignite Reviere per § 2 InvKG, the Ruhr
 * (Regionalverband Ruhr) and the 19 Anrainerkommunen of the Rheinisches Revier.
 * Definitions are data; expandGroupMembers turns them into member rows and refuses unknown keys,
 * so a typo in a key fails the build instead of silently shrinking a group total.
 */
import type { Region, RegionGroup, RegionGroupMember } from '../domain/index.ts';

export interface GroupDefinition extends RegionGroup {
  /** Member keys as listed in the sources. */
  codes: readonly string[];
  /**
   * Also list every Gemeinde of the member Kreise, so the group can be aggregated from the
   * Gemeinde level too (only where Gemeinden are loaded, i.e. NRW).
   */
  includeGemeinden: boolean;
}

export const GROUP_DEFINITIONS: readonly GroupDefinition[] = [
  {
    id: 'rheinisches-revier',
    name: 'Rheinisches Revier',
    kind: 'revier',
    // § 2 Nr. 1 InvKG: Stadt Mönchengladbach, Rhein-Kreis Neuss, Städteregion Aachen, Kreise Düren,
    // Rhein-Erft, Euskirchen, Heinsberg.
    codes: ['05116', '05162', '05334', '05358', '05362', '05366', '05370'],
    includeGemeinden: true,
  },
  {
    id: 'anrainer',
    name: 'Anrainerkommunen (Tagebau/Kraftwerk)',
    kind: 'subregion',
    // The 19 "direkte Tagebauanrainerkommunen und Kraftwerksstandorte" (Bürgermeisterkonferenz
    // Düren 2019), domain.md §2.3 column "Anrainer".
    codes: [
      '05116000', // Mönchengladbach
      '05162008', // Grevenbroich
      '05162012', // Jüchen
      '05162028', // Rommerskirchen
      '05334012', // Eschweiler
      '05358004', // Aldenhoven
      '05358008', // Düren
      '05358020', // Inden
      '05358024', // Jülich
      '05358032', // Langerwehe
      '05358040', // Merzenich
      '05358048', // Niederzier
      '05358056', // Titz
      '05362004', // Bedburg
      '05362008', // Bergheim
      '05362016', // Elsdorf
      '05362024', // Frechen
      '05362032', // Kerpen
      '05370004', // Erkelenz
    ],
    includeGemeinden: false,
  },
  {
    id: 'lausitzer-revier',
    name: 'Lausitzer Revier',
    kind: 'revier',
    codes: ['12052', '12061', '12062', '12066', '12071', '14625', '14626'],
    includeGemeinden: false,
  },
  {
    id: 'mitteldeutsches-revier',
    name: 'Mitteldeutsches Revier',
    kind: 'revier',
    codes: ['14713', '14729', '14730', '15002', '15082', '15084', '15087', '15088', '16077'],
    includeGemeinden: false,
  },
  {
    id: 'ruhr',
    name: 'Metropole Ruhr (Regionalverband Ruhr)',
    kind: 'association',
    codes: [
      '05112',
      '05113',
      '05117',
      '05119',
      '05512',
      '05513',
      '05911',
      '05913',
      '05914',
      '05915',
      '05916',
      '05170',
      '05562',
      '05954',
      '05978',
    ],
    includeGemeinden: true,
  },
];

/**
 * Member rows for the given definitions. Throws when a key is not a known region: group totals
 * built from a partial member list would be wrong without any visible sign.
 */
export function expandGroupMembers(
  definitions: readonly GroupDefinition[],
  regions: readonly Region[],
): { groups: RegionGroup[]; members: RegionGroupMember[] } {
  const known = new Set(regions.map((r) => r.code));
  const gemeindenOfKreis = new Map<string, string[]>();
  for (const r of regions) {
    if (r.level !== 'gemeinde' || r.parentCode === null) continue;
    const list = gemeindenOfKreis.get(r.parentCode) ?? [];
    list.push(r.code);
    gemeindenOfKreis.set(r.parentCode, list);
  }

  const groups: RegionGroup[] = [];
  const members: RegionGroupMember[] = [];
  for (const def of definitions) {
    groups.push({ id: def.id, name: def.name, kind: def.kind });
    const codes: string[] = [];
    for (const code of def.codes) {
      if (!known.has(code)) {
        throw new Error(
          `Region group '${def.id}' lists unknown region key '${code}'. ` +
            'Fix the key in src/regions/groups.ts or load the boundary file that contains it.',
        );
      }
      codes.push(code);
      if (def.includeGemeinden) codes.push(...(gemeindenOfKreis.get(code) ?? []));
    }
    if (new Set(codes).size !== codes.length) {
      throw new Error(`Region group '${def.id}' lists a region twice; remove the duplicate key.`);
    }
    // Weight 1: every member counts fully (no share of a divided Kreis in these groups).
    for (const regionCode of codes) members.push({ groupId: def.id, regionCode, weight: 1 });
  }
  return { groups, members };
}

/**
 * The regional frame of the SqlStore: the official registry (regions and region groups) and the
 * local areas a Kommune defines below its Gemeinden, one set of statements for both backends.
 */
import type { Region, RegionGroup, RegionGroupMember, RegionLevel } from '../domain/index.ts';
import { insertMany, type SqlDriver, type SqlExecutor } from './sql.ts';
import { str, strOrNull } from './sql-rows.ts';
import type { LocalArea, RegionSet, Store } from './types.ts';

/** The region part of the Store. */
export type RegionStore = Pick<
  Store,
  'replaceRegions' | 'loadRegions' | 'replaceGroupsOfKind' | 'saveLocalAreas' | 'listLocalAreas'
>;

/** Writes region groups and their members inside `tx` (the caller removes the old ones). */
async function insertGroups(
  tx: SqlExecutor,
  groups: RegionGroup[],
  members: RegionGroupMember[],
): Promise<void> {
  await insertMany(
    tx,
    'region_group',
    ['id', 'name', 'kind'],
    groups.map((g) => [g.id, g.name, g.kind]),
  );
  await insertMany(
    tx,
    'region_group_member',
    ['group_id', 'region_code', 'weight'],
    members.map((m) => [m.groupId, m.regionCode, m.weight]),
  );
}

export class SqlRegionStore implements RegionStore {
  constructor(private readonly db: SqlDriver) {}

  async replaceRegions(set: RegionSet): Promise<void> {
    await this.db.transaction(async (tx) => {
      // The computed peer groups are not part of the official registry: a rebuild keeps them
      // (the next `bimo compute` renews them), so the values computed for them stay reachable.
      await tx.exec(
        "DELETE FROM region_group_member WHERE group_id NOT IN (SELECT id FROM region_group WHERE kind = 'peer')",
      );
      await tx.exec("DELETE FROM region_group WHERE kind <> 'peer'");
      await tx.exec('DELETE FROM region');
      await insertMany(
        tx,
        'region',
        ['code', 'level', 'name', 'parent_code', 'valid_from', 'valid_to', 'additive', 'same_as'],
        set.regions.map((r) => [
          r.code,
          r.level,
          r.name,
          r.parentCode,
          r.validFrom,
          r.validTo,
          r.additive,
          r.sameAs,
        ]),
      );
      await insertGroups(tx, set.groups, set.members);
    });
  }

  async loadRegions(): Promise<RegionSet> {
    const regions = (await this.db.query('SELECT * FROM region ORDER BY code')).map(
      (r): Region => ({
        code: str(r.code),
        level: str(r.level) as RegionLevel,
        name: str(r.name),
        parentCode: strOrNull(r.parent_code),
        validFrom: strOrNull(r.valid_from),
        validTo: strOrNull(r.valid_to),
        additive: Boolean(r.additive),
        sameAs: strOrNull(r.same_as),
      }),
    );
    const groups = (await this.db.query('SELECT * FROM region_group ORDER BY id')).map((r) => ({
      id: str(r.id),
      name: str(r.name),
      kind: str(r.kind) as RegionSet['groups'][number]['kind'],
    }));
    const members = (
      await this.db.query('SELECT * FROM region_group_member ORDER BY group_id, region_code')
    ).map((r) => ({
      groupId: str(r.group_id),
      regionCode: str(r.region_code),
      weight: Number(r.weight),
    }));
    const known = new Set(regions.map((r) => r.code));
    for (const a of await this.listLocalAreas()) {
      if (!known.has(a.parentCode)) continue;
      regions.push({
        code: a.code,
        level: 'sozialraum',
        name: a.name,
        parentCode: a.parentCode,
        validFrom: a.validFrom,
        validTo: a.validTo,
        additive: true,
        sameAs: null,
      });
    }
    return { regions, groups, members };
  }

  async replaceGroupsOfKind(
    kind: RegionGroup['kind'],
    groups: RegionGroup[],
    members: RegionGroupMember[],
  ): Promise<void> {
    if (groups.some((g) => g.kind !== kind)) throw new Error(`all groups must be of kind ${kind}`);
    await this.db.transaction(async (tx) => {
      await tx.exec(
        'DELETE FROM region_group_member WHERE group_id IN (SELECT id FROM region_group WHERE kind = $1)',
        [kind],
      );
      await tx.exec('DELETE FROM region_group WHERE kind = $1', [kind]);
      await insertGroups(tx, groups, members);
    });
  }

  async saveLocalAreas(areas: LocalArea[], by: string): Promise<void> {
    const now = new Date().toISOString();
    await this.db.transaction(async (tx) => {
      for (const a of areas) {
        await tx.exec('DELETE FROM local_area WHERE code = $1', [a.code]);
        await tx.exec(
          `INSERT INTO local_area (code, name, parent_code, valid_from, valid_to, list_name, updated_at, updated_by)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [a.code, a.name, a.parentCode, a.validFrom, a.validTo, a.listName, now, by],
        );
      }
    });
  }

  async listLocalAreas(): Promise<LocalArea[]> {
    return (await this.db.query('SELECT * FROM local_area ORDER BY code')).map((r) => ({
      code: str(r.code),
      name: str(r.name),
      parentCode: str(r.parent_code),
      validFrom: strOrNull(r.valid_from),
      validTo: strOrNull(r.valid_to),
      listName: str(r.list_name),
    }));
  }
}

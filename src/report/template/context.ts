/**
 * What a report is about and pinned to: the focus (a region group such as the Rheinisches
 * Revier, a Kreis or a Gemeinde), its references (NRW, the Revier, the Kreis of a Gemeinde), the
 * regions it is made of (the Kreise of a group, the Gemeinden of a Kreis, the Gemeinden of the
 * Kreis a Gemeinde belongs to), and the values of one release as the public sees them. Values are
 * read once per indicator and kept, so a report that shows an indicator three times reads once.
 */
import type { AppDeps } from '../../api/app.ts';
import { queryValues, type ValueRow } from '../../api/values.ts';
import { BimoError, type Region, type RegionLevel, type Source } from '../../domain/index.ts';
import type { Indicator } from '../../indicators/index.ts';

export const NRW = '05';
export const REVIER = 'rheinisches-revier';

export interface Focus {
  code: string;
  name: string;
  /** `group` for a region group, else the region's level. */
  level: RegionLevel | 'group';
}

export interface ReportContext {
  deps: AppDeps;
  focus: Focus;
  /** Reference regions and groups, nearest first (the Kreis of a Gemeinde, the Revier, NRW). */
  references: Focus[];
  /** The regions the focus is compared among in maps, rankings and tables. */
  members: Region[];
  memberLevel: 'kreis' | 'gemeinde';
  /** The release the values come from (the published one when the report was made). */
  releaseId: number | undefined;
  /** Publication date of that release (ISO) or null. */
  stand: string | null;
  sources: Source[];
  /** Values of every region and period per indicator id (loaded on first use). */
  cache: Map<string, Promise<ValueRow[]>>;
}

function focusOf(deps: AppDeps, code: string): Focus {
  const group = deps.regions.group(code);
  if (group) return { code, name: group.name, level: 'group' };
  const region = deps.regions.get(code);
  if (!region) {
    throw new BimoError(
      'BIMO_E_REGION_UNKNOWN',
      `region "${code}" is neither a region code nor a group id`,
      'Use a group such as rheinisches-revier, a Kreis key such as 05358 or a Gemeinde key such as 05358008.',
      { field: 'region', value: code },
    );
  }
  return { code, name: region.name, level: region.level };
}

/** The context of a report on `code`, pinned to `releaseId` (default: the published release). */
export async function reportContext(
  deps: AppDeps,
  code: string,
  releaseId?: number,
): Promise<ReportContext> {
  const focus = focusOf(deps, code);
  const releases = await deps.store.listReleases();
  // Served releases only: a publication still being computed has incomplete values.
  const published = releases
    .filter((r) => r.status === 'published' && r.computedAt !== null)
    .sort((a, b) => b.id - a.id);
  const release = releaseId === undefined ? published[0] : releases.find((r) => r.id === releaseId);
  if (releaseId !== undefined && (release?.status !== 'published' || release.computedAt === null)) {
    throw new BimoError(
      'BIMO_E_NOT_FOUND',
      `release ${releaseId} is not a published release`,
      'Reports show published data only; `bimo releases` lists the releases and their status.',
      { field: 'release', value: releaseId },
    );
  }
  let members: Region[];
  let memberLevel: 'kreis' | 'gemeinde';
  const references: Focus[] = [];
  if (focus.level === 'group') {
    memberLevel = 'kreis';
    members = deps.regions.members(code, 'kreis');
    if (members.length === 0) {
      memberLevel = 'gemeinde';
      members = deps.regions.members(code, 'gemeinde');
    }
  } else if (focus.level === 'kreis') {
    memberLevel = 'gemeinde';
    members = deps.regions.children(code).filter((r) => r.level === 'gemeinde' && r.additive);
  } else if (focus.level === 'gemeinde') {
    memberLevel = 'gemeinde';
    const kreis = deps.regions.ancestors(code).find((r) => r.level === 'kreis');
    members = kreis
      ? deps.regions.children(kreis.code).filter((r) => r.level === 'gemeinde' && r.additive)
      : [];
    if (kreis) references.push(focusOf(deps, kreis.code));
  } else {
    throw new BimoError(
      'BIMO_E_BAD_REQUEST',
      `reports are made for groups, Kreise and Gemeinden, not for ${focus.level} ${code}`,
      'Choose a group (rheinisches-revier), a Kreis (05358) or a Gemeinde (05358008).',
      { field: 'region', value: code },
    );
  }
  const inRevier =
    focus.code !== REVIER &&
    deps.regions.group(REVIER) !== undefined &&
    deps.regions
      .memberRows(REVIER)
      .some((m) => m.regionCode === code || m.regionCode === code.slice(0, 5));
  if (inRevier) references.push(focusOf(deps, REVIER));
  if (code !== NRW && deps.regions.get(NRW)) references.push(focusOf(deps, NRW));
  const sources = (await deps.store.listSources()).filter(
    (s) => release === undefined || s.releaseId === undefined || s.releaseId <= release.id,
  );
  return {
    deps,
    focus,
    references,
    members: members.sort((a, b) => a.name.localeCompare(b.name, 'de')),
    memberLevel,
    releaseId: release?.id,
    stand: release?.publishedAt ?? null,
    sources,
    cache: new Map(),
  };
}

/** Every value of `indicator` for the focus, its references and members, all periods. */
export function valuesOf(ctx: ReportContext, indicator: Indicator): Promise<ValueRow[]> {
  let hit = ctx.cache.get(indicator.id);
  if (!hit) {
    const codes = [
      ctx.focus.code,
      ...ctx.references.map((r) => r.code),
      ...ctx.members.map((m) => m.code),
    ];
    hit = queryValues(ctx.deps.store, ctx.deps.regions, {
      indicator,
      regions: [...new Set(codes)],
      releaseId: ctx.releaseId,
      audience: 'public',
    });
    ctx.cache.set(indicator.id, hit);
  }
  return hit;
}

/** The latest period in which the focus has a value (or any region, when it has none). */
export function latestPeriod(rows: readonly ValueRow[], focus: string): string | undefined {
  const own = rows.filter((r) => r.region === focus && r.value !== null).map((r) => r.period);
  const any = rows.filter((r) => r.value !== null).map((r) => r.period);
  return [...(own.length > 0 ? own : any)].sort().at(-1);
}

/** The sources of an indicator among those of the report's release. */
export function sourcesOf(ctx: ReportContext, indicator: Indicator): Source[] {
  const seen = new Set<string>();
  return ctx.sources.filter((s) => {
    if (!indicator.sources.includes(s.tableCode) || seen.has(s.tableCode)) return false;
    seen.add(s.tableCode);
    return true;
  });
}

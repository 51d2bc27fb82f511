/**
 * A read cache of indicator values for the server process. An indicator's values of one release
 * are read once, whole, and then every query (a region list, a level, a period, a breakdown) is
 * answered from memory; coverage (periods, breakdown items) comes from the same rows. Values of a
 * release only change when it is computed again, so the cache keys by release; the latest
 * published release id is re-read after writes through this store and at most every `ttlMs`
 * (another process, e.g. `bimo import` on PostgreSQL, may publish meanwhile). Entries older than
 * `ttlMs` are read again, which bounds staleness after an in-place recompute by another process.
 *
 * The wrapper is transparent: every other Store method passes through unchanged.
 */
import type {
  IndicatorCoverage,
  IndicatorValue,
  IndicatorValueQuery,
  Store,
} from '../store/index.ts';

export interface ValueCacheOptions {
  /** Most values held over all indicators (default 500 000, about 100 MB). */
  maxRows?: number;
  /** How long the latest release id and an entry are trusted (default 60 s). */
  ttlMs?: number;
  now?: () => number;
}

interface Entry {
  rows: IndicatorValue[];
  at: number;
}

/** Methods after which the latest release or the stored values may have changed. */
const WRITES = new Set([
  'commitImport',
  'setReleaseStatus',
  'replaceIndicatorValues',
  'replaceRegions',
  'replaceGroupsOfKind',
]);

export function withValueCache(store: Store, opts: ValueCacheOptions = {}): Store {
  const maxRows = opts.maxRows ?? Number(process.env.BIMO_VALUE_CACHE_ROWS ?? 500_000);
  const ttl = opts.ttlMs ?? 60_000;
  const now = opts.now ?? Date.now;
  // Insertion order is recency: a hit moves the entry to the end; eviction takes the first.
  const entries = new Map<string, Entry>();
  let held = 0;
  let latest: { id: number | null; at: number } | null = null;

  const clear = () => {
    entries.clear();
    held = 0;
    latest = null;
  };
  const releaseOf = async (id: number | undefined): Promise<number | null> => {
    if (id !== undefined) return id;
    if (!latest || now() - latest.at > ttl) {
      latest = { id: (await store.latestPublishedRelease())?.id ?? null, at: now() };
    }
    return latest.id;
  };
  const rowsOf = async (indicatorId: string, release: number): Promise<IndicatorValue[]> => {
    const key = `${release}\u0000${indicatorId}`;
    const hit = entries.get(key);
    if (hit && now() - hit.at <= ttl) {
      entries.delete(key);
      entries.set(key, hit);
      return hit.rows;
    }
    if (hit) {
      entries.delete(key);
      held -= hit.rows.length;
    }
    const rows = await store.queryIndicatorValues({ indicatorId, releaseId: release });
    if (rows.length <= maxRows) {
      entries.set(key, { rows, at: now() });
      held += rows.length;
      for (const [k, e] of entries) {
        if (held <= maxRows) break;
        entries.delete(k);
        held -= e.rows.length;
      }
    }
    return rows;
  };

  const queryIndicatorValues = async (q: IndicatorValueQuery): Promise<IndicatorValue[]> => {
    const release = await releaseOf(q.releaseId);
    if (release === null) return [];
    const codes = q.regionCodes && new Set(q.regionCodes);
    const periods = q.periods && new Set(q.periods);
    return (await rowsOf(q.indicatorId, release)).filter(
      (v) =>
        (!codes || codes.has(v.regionCode)) &&
        (!periods || periods.has(v.period)) &&
        (q.dimsKey === undefined || v.dimsKey === q.dimsKey),
    );
  };
  const indicatorCoverage = async (
    indicatorId: string,
    releaseId?: number,
  ): Promise<IndicatorCoverage> => {
    const release = await releaseOf(releaseId);
    if (release === null) return { periods: [], dimsKeys: [] };
    const rows = await rowsOf(indicatorId, release);
    const sorted = (values: Iterable<string>) => [...new Set(values)].sort();
    return {
      periods: sorted(rows.map((v) => v.period)),
      dimsKeys: sorted(rows.map((v) => v.dimsKey)),
    };
  };

  return new Proxy(store, {
    get(target, prop) {
      if (prop === 'queryIndicatorValues') return queryIndicatorValues;
      if (prop === 'indicatorCoverage') return indicatorCoverage;
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      const fn = (value as (...a: unknown[]) => unknown).bind(target);
      if (typeof prop !== 'string' || !WRITES.has(prop)) return fn;
      return async (...args: unknown[]) => {
        try {
          return await fn(...args);
        } finally {
          clear();
        }
      };
    },
  });
}

/**
 * A read cache of indicator values for the server process. An indicator's values of one release
 * are read once, whole, and then every query (a region list, a level, a period, a breakdown) is
 * answered from memory; coverage (periods, breakdown items) comes from the same rows. Values of a
 * release only change when it is computed again, so the cache keys by release; the latest
 * published release id is re-read after writes through this store and at most every `ttlMs`
 * (another process, e.g. `bimo import` on PostgreSQL, may publish meanwhile). An entry older than
 * `ttlMs` is still answered while one read refreshes it in the background (stale while
 * revalidate), which bounds staleness after an in-place recompute by another process; concurrent
 * misses for one indicator share one read.
 *
 * The wrapper is transparent: every other Store method passes through unchanged. `bimo serve`
 * fills it in the background right after it listens (`warmValueCache`), so that the first region
 * profile, which reads every indicator, does not wait for every read.
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
  /** How long the latest release id and an entry are trusted (default 60 s; env BIMO_VALUE_CACHE_TTL in s). */
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
  'markReleasesComputed',
  'replaceIndicatorValues',
  'replaceRegions',
  'replaceGroupsOfKind',
]);

const keyOf = (indicatorId: string, release: number): string => `${release}\u0000${indicatorId}`;

/** Marks a store that already reads through a value cache. */
const CACHED = Symbol('bimo.valueCache');

/**
 * `store` reading through a value cache. A store that already does is returned as it is (its
 * options stay): one cache per process, also when the caller wraps the store before createApp,
 * which wraps what it is given.
 */
export function withValueCache(store: Store, opts: ValueCacheOptions = {}): Store {
  if ((store as unknown as Record<symbol, unknown>)[CACHED] === true) return store;
  const maxRows = opts.maxRows ?? Number(process.env.BIMO_VALUE_CACHE_ROWS ?? 500_000);
  const ttl = opts.ttlMs ?? Number(process.env.BIMO_VALUE_CACHE_TTL ?? 60) * 1000;
  const now = opts.now ?? Date.now;
  // Insertion order is recency: a hit moves the entry to the end; eviction takes the first.
  const entries = new Map<string, Entry>();
  let held = 0;
  let latest: { id: number | null; at: number } | null = null;

  // Reads under way, by key: concurrent misses for one indicator share one read (no stampede of
  // identical scans when many pages ask at once, e.g. every region profile after a restart).
  const inflight = new Map<string, Promise<IndicatorValue[]>>();
  // Bumped by every write through this store: a read started before it must not be kept.
  let generation = 0;
  // Indicators of a release with more values than the whole budget (A1 for every German
  // Gemeinde and year: 860 000): never held, so their queries go to the store with their filters
  // instead of reading every value again for each request.
  const tooLarge = new Set<string>();

  const clear = () => {
    entries.clear();
    held = 0;
    latest = null;
    generation++;
    tooLarge.clear();
    // A read started before the write must not answer the requests after it.
    inflight.clear();
  };
  const releaseOf = async (id: number | undefined): Promise<number | null> => {
    if (id !== undefined) return id;
    if (!latest || now() - latest.at > ttl) {
      latest = { id: (await store.latestPublishedRelease())?.id ?? null, at: now() };
    }
    return latest.id;
  };
  const load = (key: string, indicatorId: string, release: number): Promise<IndicatorValue[]> => {
    const running = inflight.get(key);
    if (running) return running;
    const started = generation;
    const read = store
      .queryIndicatorValues({ indicatorId, releaseId: release })
      .then((rows) => {
        if (started !== generation) return rows;
        if (rows.length > maxRows) {
          tooLarge.add(key);
          return rows;
        }
        const old = entries.get(key);
        if (old) {
          entries.delete(key);
          held -= old.rows.length;
        }
        entries.set(key, { rows, at: now() });
        held += rows.length;
        for (const [k, e] of entries) {
          if (held <= maxRows) break;
          entries.delete(k);
          held -= e.rows.length;
        }
        return rows;
      })
      .finally(() => {
        if (inflight.get(key) === read) inflight.delete(key);
      });
    inflight.set(key, read);
    return read;
  };
  const rowsOf = async (indicatorId: string, release: number): Promise<IndicatorValue[]> => {
    const key = keyOf(indicatorId, release);
    const hit = entries.get(key);
    if (!hit) return load(key, indicatorId, release);
    entries.delete(key);
    entries.set(key, hit);
    // Older than the TTL: answered from memory while one read refreshes it in the background.
    // The values of a release change only when it is computed again (in place, by `bimo
    // compute` in another process), so the answer is at most one TTL plus one read behind.
    if (now() - hit.at > ttl) {
      load(key, indicatorId, release).catch(() => undefined);
    }
    return hit.rows;
  };

  const queryIndicatorValues = async (q: IndicatorValueQuery): Promise<IndicatorValue[]> => {
    const release = await releaseOf(q.releaseId);
    if (release === null) return [];
    if (tooLarge.has(keyOf(q.indicatorId, release))) {
      return store.queryIndicatorValues({ ...q, releaseId: release });
    }
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
    if (tooLarge.has(keyOf(indicatorId, release))) {
      return store.indicatorCoverage(indicatorId, release);
    }
    const rows = await rowsOf(indicatorId, release);
    const sorted = (values: Iterable<string>) => [...new Set(values)].sort();
    return {
      periods: sorted(rows.map((v) => v.period)),
      dimsKeys: sorted(rows.map((v) => v.dimsKey)),
    };
  };

  return new Proxy(store, {
    get(target, prop) {
      if (prop === CACHED) return true;
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

export interface WarmUpOptions {
  /** Stops the warm-up between two indicators (the server is shutting down). */
  signal?: AbortSignal;
  now?: () => number;
}

export interface WarmUpResult {
  /** Indicators read (with or without values). */
  indicators: number;
  values: number;
  failed: number;
  stopped: boolean;
}

/**
 * Reads every given indicator's values of the latest published release through `store` (a store
 * from withValueCache), one after another, so later requests find them in memory. Meant to run in
 * the background: it never rejects. A failed indicator is logged and skipped, so one broken read
 * cannot take the server down; the cache then reads it again on its first request, as without a
 * warm-up. Values beyond the cache's row budget are read and evicted again, as any read would.
 */
export async function warmValueCache(
  store: Store,
  indicatorIds: readonly string[],
  log: (line: string) => void,
  opts: WarmUpOptions = {},
): Promise<WarmUpResult> {
  const now = opts.now ?? (() => performance.now());
  const started = now();
  const result: WarmUpResult = { indicators: 0, values: 0, failed: 0, stopped: false };
  log(`bimo: value cache warm-up started (${indicatorIds.length} indicators)`);
  for (const id of indicatorIds) {
    if (opts.signal?.aborted) {
      result.stopped = true;
      log(
        `bimo: value cache warm-up stopped after ${result.indicators + result.failed} of ${indicatorIds.length} indicators`,
      );
      return result;
    }
    try {
      result.values += (await store.queryIndicatorValues({ indicatorId: id })).length;
      result.indicators++;
    } catch (err) {
      result.failed++;
      log(
        `bimo: value cache warm-up: reading ${id} failed: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }
  const seconds = ((now() - started) / 1000).toFixed(1);
  log(
    `bimo: value cache warm: ${result.indicators} indicators, ${result.values} values in ${seconds} s` +
      (result.failed > 0 ? ` (${result.failed} failed, see above)` : ''),
  );
  return result;
}

/**
 * The server's value cache answers exactly as the store does (same rows, same order, same
 * coverage) for region lists, levels, periods and breakdowns; it reads again after a write
 * through it, keeps within its row budget, shares one read among concurrent misses and answers
 * an expired entry while it refreshes it. The warm-up `bimo serve` runs at start leaves
 * every indicator in memory, and a failing read neither stops it nor escapes it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppDeps } from '../../src/api/app.ts';
import { warmValueCache, withValueCache } from '../../src/api/value-cache.ts';
import type { IndicatorValueQuery, Store } from '../../src/store/index.ts';
import { buildDemoStore } from '../helpers/demo-store.ts';

let deps: AppDeps;
let counting: Store;
let cached: Store;
let reads = 0;

beforeAll(async () => {
  deps = await buildDemoStore();
  counting = new Proxy(deps.store, {
    get(target, prop) {
      const v: unknown = Reflect.get(target, prop, target);
      if (prop === 'queryIndicatorValues') reads++;
      return typeof v === 'function' ? (v as () => unknown).bind(target) : v;
    },
  });
  cached = withValueCache(counting);
}, 120_000);

afterAll(async () => {
  await deps.store.close();
});

describe('withValueCache', () => {
  const kreise = () => deps.regions.atLevel('kreis', undefined, 2023).map((r) => r.code);
  const queries = (): IndicatorValueQuery[] => [
    { indicatorId: 'D6' },
    { indicatorId: 'D6', periods: ['2023'], dimsKey: '' },
    { indicatorId: 'D6', regionCodes: ['05358', '05', 'rheinisches-revier'], dimsKey: '' },
    { indicatorId: 'D6', regionCodes: kreise(), periods: ['2023'], dimsKey: 'geschlecht=weiblich' },
    { indicatorId: 'D6', regionCodes: [] },
    { indicatorId: 'Z9' },
  ];

  it('answers every query exactly as the store does', async () => {
    for (const q of queries()) {
      expect(await cached.queryIndicatorValues(q), JSON.stringify(q).slice(0, 80)).toEqual(
        await deps.store.queryIndicatorValues(q),
      );
    }
    expect(await cached.indicatorCoverage('D6')).toEqual(await deps.store.indicatorCoverage('D6'));
    const d6 = await cached.queryIndicatorValues({ indicatorId: 'D6', regionCodes: ['05358'] });
    // Kreis Düren, 2023: 150 of 2560 leavers without a Hauptschulabschluss (hand-checked, 21111-02-06-4).
    expect(d6.find((v) => v.period === '2023' && v.dimsKey === '')).toMatchObject({
      numerator: 150,
      denominator: 2560,
    });
  });

  it('reads an indicator once, and again after a write through it', async () => {
    reads = 0;
    for (const q of queries()) await cached.queryIndicatorValues(q);
    expect(reads).toBe(0);
    const release = (await cached.latestPublishedRelease())?.id ?? 0;
    const d6 = await cached.queryIndicatorValues({ indicatorId: 'D6' });
    await cached.replaceIndicatorValues(release, ['D6'], d6.slice(1));
    const after = await cached.queryIndicatorValues({ indicatorId: 'D6' });
    expect(reads).toBe(1);
    expect(after).toHaveLength(d6.length - 1);
    await cached.replaceIndicatorValues(release, ['D6'], d6);
  });

  it('keeps within its row budget and still answers right', async () => {
    const all = (await deps.store.queryIndicatorValues({ indicatorId: 'D6' })).length;
    const small = withValueCache(counting, { maxRows: all - 1 });
    expect(await small.queryIndicatorValues({ indicatorId: 'D6' })).toHaveLength(all);
    // Too large to hold: later queries go to the store with their filters, not for every value.
    const q = { indicatorId: 'D6', regionCodes: ['05358'], periods: ['2023'], dimsKey: '' };
    expect(await small.queryIndicatorValues(q)).toEqual(await deps.store.queryIndicatorValues(q));
    expect(await small.indicatorCoverage('D6')).toEqual(await deps.store.indicatorCoverage('D6'));
    const now = { t: 0 };
    const ttl = withValueCache(deps.store, { ttlMs: 1000, now: () => now.t });
    const first = await ttl.indicatorCoverage('D6');
    now.t = 5000;
    expect(await ttl.indicatorCoverage('D6')).toEqual(first);
  });
});

describe('withValueCache under load', () => {
  it('shares one read among concurrent misses', async () => {
    const fresh = withValueCache(counting);
    await fresh.latestPublishedRelease();
    reads = 0;
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => fresh.queryIndicatorValues({ indicatorId: 'D7' })),
    );
    expect(reads).toBe(1);
    expect(new Set(answers.map((a) => a.length)).size).toBe(1);
  });

  it('answers an expired entry at once and refreshes it with one read in the background', async () => {
    const now = { t: 0 };
    const aging = withValueCache(counting, { ttlMs: 1000, now: () => now.t });
    const first = await aging.queryIndicatorValues({ indicatorId: 'A3' });
    now.t = 1500;
    reads = 0;
    // Release id and entry are both older than the TTL: the release id is read again (cheap), the
    // values come from memory, and one background read renews them.
    const stale = await Promise.all([
      aging.queryIndicatorValues({ indicatorId: 'A3' }),
      aging.queryIndicatorValues({ indicatorId: 'A3' }),
    ]);
    expect(stale).toEqual([first, first]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(reads).toBe(1);
    now.t = 1600;
    await aging.queryIndicatorValues({ indicatorId: 'A3' });
    expect(reads).toBe(1);
  });
});

describe('warmValueCache', () => {
  it('leaves every indicator of the catalog in the cache', async () => {
    const warm = withValueCache(counting);
    const ids = deps.catalog.map((i) => i.id);
    const lines: string[] = [];
    reads = 0;
    const result = await warmValueCache(warm, ids, (l) => lines.push(l));
    expect(reads).toBe(ids.length);
    const d6 = await deps.store.queryIndicatorValues({ indicatorId: 'D6' });
    expect(d6.length).toBeGreaterThan(0);
    expect(result).toMatchObject({ indicators: ids.length, failed: 0, stopped: false });
    expect(result.values).toBeGreaterThanOrEqual(d6.length);
    expect(lines[0]).toBe(`bimo: value cache warm-up started (${ids.length} indicators)`);
    expect(lines[1]).toMatch(
      new RegExp(
        `^bimo: value cache warm: ${ids.length} indicators, ${result.values} values in \\d+\\.\\d s$`,
      ),
    );

    // Every indicator's values and coverage now come from memory, as a region profile asks.
    reads = 0;
    for (const id of ids) {
      await warm.queryIndicatorValues({ indicatorId: id, regionCodes: ['05358'], dimsKey: '' });
      await warm.indicatorCoverage(id);
    }
    expect(reads).toBe(0);
    expect(await warm.queryIndicatorValues({ indicatorId: 'D6' })).toEqual(d6);
  });

  it('is the cache createApp keeps: wrapping a cached store again adds no second cache', () => {
    const once = withValueCache(deps.store);
    expect(withValueCache(once)).toBe(once);
    expect(withValueCache(once, { maxRows: 1 })).toBe(once);
  });

  it('logs a failed read, goes on and never rejects', async () => {
    const broken = new Proxy(deps.store, {
      get(target, prop) {
        if (prop === 'queryIndicatorValues') {
          return async (q: IndicatorValueQuery) => {
            if (q.indicatorId === 'D6') throw new Error('connection lost');
            return target.queryIndicatorValues(q);
          };
        }
        const v: unknown = Reflect.get(target, prop, target);
        return typeof v === 'function' ? (v as () => unknown).bind(target) : v;
      },
    });
    const lines: string[] = [];
    const result = await warmValueCache(withValueCache(broken), ['D6', 'Z9'], (l) => lines.push(l));
    expect(result).toMatchObject({ indicators: 1, failed: 1, stopped: false });
    expect(lines).toContain('bimo: value cache warm-up: reading D6 failed: connection lost');
    expect(lines[lines.length - 1]).toMatch(/ \(1 failed, see above\)$/);
  });

  it('stops between two indicators when the server shuts down', async () => {
    const stop = new AbortController();
    const lines: string[] = [];
    const warm = withValueCache(deps.store);
    const result = await warmValueCache(
      warm,
      ['D6', 'Z9', 'A7'],
      (l) => {
        lines.push(l);
        stop.abort();
      },
      { signal: stop.signal },
    );
    expect(result).toMatchObject({ indicators: 0, stopped: true });
    expect(lines[lines.length - 1]).toBe(
      'bimo: value cache warm-up stopped after 0 of 3 indicators',
    );
  });
});

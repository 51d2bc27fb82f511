/** The sliding window with a fake clock: limit, release as hits age out, bounded memory. */
import { describe, expect, it } from 'vitest';
import { SlidingWindowLimiter } from './rate-limit.ts';

describe('SlidingWindowLimiter', () => {
  it('allows `limit` hits per window and frees a slot as the oldest hit ages out', () => {
    let t = Date.parse('2026-03-02T08:00:00Z');
    const limiter = new SlidingWindowLimiter({
      limit: 3,
      windowMs: 60_000,
      now: () => new Date(t),
    });
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfterMs('a')).toBe(0);
      limiter.hit('a');
      t += 10_000;
    }
    // Hits at 0 s, 10 s, 20 s; now 30 s: the first leaves the window at 60 s.
    expect(limiter.retryAfterMs('a')).toBe(30_000);
    expect(limiter.retryAfterMs('b')).toBe(0);
    t += 30_000;
    expect(limiter.retryAfterMs('a')).toBe(0);
    limiter.hit('a');
    expect(limiter.retryAfterMs('a')).toBe(10_000);
    limiter.reset('a');
    expect(limiter.retryAfterMs('a')).toBe(0);
  });

  it('forgets old keys and keeps at most maxKeys', () => {
    let t = 0;
    const limiter = new SlidingWindowLimiter({
      limit: 1,
      windowMs: 1000,
      now: () => new Date(t),
      maxKeys: 3,
    });
    for (const k of ['a', 'b', 'c', 'd']) limiter.hit(k);
    expect(limiter.size).toBe(3);
    expect(limiter.retryAfterMs('a')).toBe(0);
    expect(limiter.retryAfterMs('d')).toBe(1000);
    t = 5000;
    expect(limiter.retryAfterMs('d')).toBe(0);
    expect(limiter.size).toBe(2);
  });
});

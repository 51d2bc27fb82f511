/**
 * An in-memory sliding-window counter: at most `limit` hits per key within `windowMs`. Used for
 * failed logins per IP address, which the per-account lockout cannot catch (one address trying
 * one password against many accounts). In memory on purpose: it needs no writes, and each server
 * process keeping its own window only multiplies the allowance by the number of processes.
 */

export interface SlidingWindowOptions {
  limit: number;
  windowMs: number;
  now: () => Date;
  /**
   * Keys kept at most, so that an attacker rotating addresses cannot grow the map without bound;
   * the oldest key is dropped first.
   */
  maxKeys?: number;
}

export class SlidingWindowLimiter {
  readonly #hits = new Map<string, number[]>();
  readonly #o: Required<SlidingWindowOptions>;

  constructor(o: SlidingWindowOptions) {
    this.#o = { maxKeys: 10_000, ...o };
  }

  /** The hits of `key` still inside the window (older ones are forgotten here). */
  #recent(key: string, now: number): number[] {
    const list = (this.#hits.get(key) ?? []).filter((t) => t > now - this.#o.windowMs);
    if (list.length === 0) this.#hits.delete(key);
    else this.#hits.set(key, list);
    return list;
  }

  /** Milliseconds until `key` may try again; 0 when it may now. */
  retryAfterMs(key: string): number {
    const now = this.#o.now().getTime();
    const list = this.#recent(key, now);
    if (list.length < this.#o.limit) return 0;
    // The window frees a slot when the oldest hit that still counts leaves it.
    const oldest = list[list.length - this.#o.limit] ?? now;
    return Math.max(1, oldest + this.#o.windowMs - now);
  }

  hit(key: string): void {
    const now = this.#o.now().getTime();
    const list = this.#recent(key, now);
    list.push(now);
    // Re-insert so Map order is "least recently hit first" for eviction.
    this.#hits.delete(key);
    this.#hits.set(key, list);
    while (this.#hits.size > this.#o.maxKeys) {
      const first = this.#hits.keys().next();
      if (first.done) break;
      this.#hits.delete(first.value);
    }
  }

  reset(key: string): void {
    this.#hits.delete(key);
  }

  /** Keys currently tracked (for tests and diagnostics). */
  get size(): number {
    return this.#hits.size;
  }
}

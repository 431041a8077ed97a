/** Token buckets: a burst of `capacity`, refilled at `perSecond`. */
export class TokenBucket {
  #tokens: number;
  #updatedAt: number;

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
    now: number,
  ) {
    this.#tokens = capacity;
    this.#updatedAt = now;
  }

  take(now: number): boolean {
    this.#tokens = Math.min(this.capacity, this.#tokens + ((now - this.#updatedAt) / 1000) * this.perSecond);
    this.#updatedAt = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

/** Per-key buckets (login attempts per address) that forget idle keys. */
export class KeyedLimiter {
  readonly #buckets = new Map<string, { bucket: TokenBucket; seenAt: number }>();

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
  ) {}

  take(key: string, now: number): boolean {
    let entry = this.#buckets.get(key);
    if (!entry) {
      entry = { bucket: new TokenBucket(this.capacity, this.perSecond, now), seenAt: now };
      this.#buckets.set(key, entry);
      if (this.#buckets.size > 10_000) this.#sweep(now);
    }
    entry.seenAt = now;
    return entry.bucket.take(now);
  }

  #sweep(now: number): void {
    const idleMs = (this.capacity / this.perSecond) * 1000;
    for (const [key, entry] of this.#buckets) if (now - entry.seenAt > idleMs) this.#buckets.delete(key);
  }
}

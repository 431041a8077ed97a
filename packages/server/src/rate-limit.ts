/** Token buckets: a burst of `capacity`, refilled at `perSecond`. */
export class TokenBucket {
  #tokens: number;
  #updatedAt: number;

  constructor(
    readonly capacity: number,
    readonly perSecond: number,
    now: number,
  ) {
    this.#tokens = capacity;
    this.#updatedAt = now;
  }

  #refill(now: number): void {
    if (now > this.#updatedAt) {
      this.#tokens = Math.min(this.capacity, this.#tokens + ((now - this.#updatedAt) / 1000) * this.perSecond);
      this.#updatedAt = now;
    }
  }

  /** Tokens available now (fractional). */
  available(now: number): number {
    this.#refill(now);
    return this.#tokens;
  }

  take(now: number): boolean {
    this.#refill(now);
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  /** Whole milliseconds until the bucket holds `tokens` (capped at its capacity); 0 when it does. */
  msUntil(tokens: number, now: number): number {
    this.#refill(now);
    const missing = Math.min(tokens, this.capacity) - this.#tokens;
    return missing <= 0 ? 0 : Math.ceil((missing / this.perSecond) * 1000);
  }
}

/** Keys tracked at most; past it the oldest are forgotten (forgiven), so the map stays bounded. */
const maxKeys = 100_000;

/** Per-key buckets (failed logins per address, new sessions per user) that forget idle keys. */
export class KeyedLimiter {
  readonly #buckets = new Map<string, TokenBucket>();
  #inserts = 0;

  constructor(
    private readonly capacity: number,
    private readonly perSecond: number,
  ) {}

  #bucket(key: string, now: number): TokenBucket {
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      // Swept every 1,000 new keys once there are many: linear work spread over those inserts.
      if (++this.#inserts % 1000 === 0 && this.#buckets.size >= 10_000) this.#sweep(now);
      bucket = new TokenBucket(this.capacity, this.perSecond, now);
      this.#buckets.set(key, bucket);
    }
    return bucket;
  }

  take(key: string, now: number): boolean {
    return this.#bucket(key, now).take(now);
  }

  /** Milliseconds until `key` may spend one token (0: now). Creates no bucket for an unknown key. */
  waitMs(key: string, now: number): number {
    return this.#buckets.get(key)?.msUntil(1, now) ?? 0;
  }

  // A full bucket is the same as no bucket, so forgetting it changes nothing. Under a spread-out
  // attack (more than maxKeys addresses at once) the oldest keys are forgiven instead.
  #sweep(now: number): void {
    for (const [key, bucket] of this.#buckets) if (bucket.available(now) >= this.capacity) this.#buckets.delete(key);
    if (this.#buckets.size < maxKeys) return;
    for (const key of this.#buckets.keys()) {
      if (this.#buckets.size <= maxKeys * 0.9) break;
      this.#buckets.delete(key);
    }
  }

  get size(): number {
    return this.#buckets.size;
  }
}

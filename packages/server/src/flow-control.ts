/**
 * Per-connection flow control (design §3). Messages over the announced rate are refused one by
 * one (`message:nack` rate_limited with `retryAfterMs`), never with a disconnect; only a flood far
 * beyond the limits closes the connection (4429).
 */
import { TokenBucket } from './rate-limit.js';

export type Admission = { ok: true } | { ok: false; retryAfterMs: number };

/**
 * Admits app messages under `perSecond`/`burst` and keeps the accepted order equal to the send
 * order. Once a message is refused, every later message on the connection is refused too, until
 * both (a) its retry deadline has passed and (b) that first refused message comes back. Clients
 * resend refused messages in their original order, so the first one to come back is the first one
 * refused; anything that arrives before it was sent before the client saw the refusal (on a slow
 * uplink that can be after the deadline), and accepting it would put it ahead of the refused one.
 */
export class MessageGate {
  readonly #bucket: TokenBucket;
  /** Tokens the bucket refills before a closed gate reopens: a tenth of a second's worth. */
  readonly #reopenTokens: number;
  #closed: { reopensAt: number; firstMid: string } | null = null;

  constructor(perSecond: number, burst: number, now: number) {
    this.#bucket = new TokenBucket(burst, perSecond, now);
    this.#reopenTokens = Math.max(1, Math.min(burst, Math.ceil(perSecond / 10)));
  }

  admit(mid: string, now: number): Admission {
    const closed = this.#closed;
    if (closed) {
      if (now < closed.reopensAt) return { ok: false, retryAfterMs: closed.reopensAt - now };
      if (mid !== closed.firstMid) return { ok: false, retryAfterMs: this.#windowMs(now) };
      this.#closed = null;
    }
    if (this.#bucket.take(now)) return { ok: true };
    const retryAfterMs = this.#windowMs(now);
    this.#closed = { reopensAt: now + retryAfterMs, firstMid: mid };
    return { ok: false, retryAfterMs };
  }

  /**
   * Refuse `mid`, which was admitted but could not be taken (the shared store is unavailable), and
   * everything after it, as if the rate had refused it: it must come back first, after `retryAfterMs`.
   */
  hold(mid: string, now: number, retryAfterMs: number): void {
    this.#closed = { reopensAt: now + retryAfterMs, firstMid: mid };
  }

  #windowMs(now: number): number {
    return Math.max(1, this.#bucket.msUntil(this.#reopenTokens, now));
  }

  /** The gate is refusing messages (for tests and stats). */
  get closed(): boolean {
    return this.#closed !== null;
  }
}

/**
 * Counts every frame a connection sends (messages, refused ones included, pings, acks, token
 * updates) against `floodFactor` times the message limits. Pings and acks are never refused
 * because messages were, but they cannot flood either.
 */
export class FloodMeter {
  readonly #bucket: TokenBucket;
  /** How long a flooder is asked to stay away: the time the message bucket takes to refill. */
  readonly retryAfterMs: number;

  constructor(perSecond: number, burst: number, floodFactor: number, now: number) {
    this.#bucket = new TokenBucket(Math.ceil(burst * floodFactor), perSecond * floodFactor, now);
    this.retryAfterMs = Math.max(1000, Math.ceil((burst / perSecond) * 1000));
  }

  /** False once the connection is flooding. */
  take(now: number): boolean {
    return this.#bucket.take(now);
  }
}

/**
 * App messages from send() until the server acknowledges them, in send order, with flow control
 * (design §2.4.13): at most `maxInFlight` unacknowledged on the wire, paced by a token bucket under
 * the limits the server announced, a rate-limited nack puts its message back in its place and
 * pauses sending for retryAfterMs. Each message carries a client-made `mid`, so resending what was
 * unacknowledged after a reconnect is safe: the server drops repeats.
 */
import { SessionError } from './errors.js';
import type { NackCode, ProtocolLimits } from './protocol/index.js';
import type { OutgoingMessage } from './transport/types.js';

/** Declared here, not from @types/node (core also runs in browsers, where a page without a bundler defines it: errors.ts). */
// Bundlers replace process.env.NODE_ENV (Vite, webpack, esbuild, Rollup); Node has it.
declare const process: { env: { NODE_ENV?: string } };

interface Entry extends OutgoingMessage {
  /** On the wire since (epoch ms), or null while waiting its turn. */
  sentAt: number | null;
  resolve(): void;
  reject(err: SessionError): void;
}

let midCounter = 0;
/** Unique per page load and across reloads (random prefix), short enough to cost little on the wire. */
export function makeMid(): string {
  const random = globalThis.crypto?.randomUUID?.() ?? Math.random().toString(36).slice(2);
  midCounter = (midCounter + 1) % Number.MAX_SAFE_INTEGER;
  return `${random.slice(0, 13)}-${midCounter.toString(36)}`;
}

export class Outbox {
  /** Insertion-ordered: iteration order is send order, acks remove from anywhere in O(1). */
  readonly #entries = new Map<string, Entry>();
  readonly #max: number;
  readonly #maxInFlight: number;
  #inFlight = 0;
  #pausedUntil = 0;
  #limits: ProtocolLimits | null = null;
  #tokens = 0;
  #refilledAt = 0;

  constructor(max: number, maxInFlight: number) {
    this.#max = max;
    this.#maxInFlight = maxInFlight;
  }

  get size(): number {
    return this.#entries.size;
  }

  /**
   * Accept a message. `connected`: sends made on a live connection are never refused for space
   * (they wait their turn behind maxInFlight); while not connected at most `max` may wait.
   */
  add(body: unknown, connected: boolean): Promise<void> {
    if (!connected && this.#entries.size >= this.#max) {
      return Promise.reject(
        new SessionError(
          'error:client:outbox_full',
          process.env.NODE_ENV !== 'production'
            ? `Outbox is full: ${this.#max} messages wait for the connection (option outbox.max).`
            : '',
          undefined,
          { max: this.#max },
        ),
      );
    }
    return new Promise<void>((resolve, reject) => {
      const mid = makeMid();
      this.#entries.set(mid, { mid, body, sentAt: null, resolve, reject });
    });
  }

  /** A new connection: its announced limits, a full bucket, nothing in flight on it yet. */
  connected(limits: ProtocolLimits | undefined, now: number): void {
    this.#limits = limits ?? null;
    this.#tokens = limits?.burst ?? 0;
    this.#refilledAt = now;
    this.#pausedUntil = 0;
  }

  /** The connection is gone: whatever was on the wire waits again, in its place, for the next one. */
  disconnected(): void {
    for (const entry of this.#entries.values()) entry.sentAt = null;
    this.#inFlight = 0;
  }

  /**
   * Send what may go now, oldest first. Returns when to try again (epoch ms) if messages are
   * held back by the pace or a nack's wait, or null when nothing waits for time.
   */
  pump(now: number, send: (message: OutgoingMessage) => void): number | null {
    if (now < this.#pausedUntil) return this.#pausedUntil;
    const limits = this.#limits;
    if (limits) {
      this.#tokens = Math.min(
        limits.burst,
        this.#tokens + ((now - this.#refilledAt) / 1000) * limits.messagesPerSecond,
      );
      this.#refilledAt = now;
    }
    for (const entry of this.#entries.values()) {
      if (this.#inFlight >= this.#maxInFlight) return null;
      if (entry.sentAt !== null) continue;
      if (limits) {
        if (this.#tokens < 1) return now + Math.ceil(((1 - this.#tokens) / limits.messagesPerSecond) * 1000);
        this.#tokens -= 1;
      }
      entry.sentAt = now;
      this.#inFlight += 1;
      send({ mid: entry.mid, body: entry.body });
    }
    return null;
  }

  /** Returns false for an ack of a message we no longer hold (a repeat ack after a resend). */
  ack(mid: string): boolean {
    const entry = this.#entries.get(mid);
    if (!entry) return false;
    this.#entries.delete(mid);
    if (entry.sentAt !== null) this.#inFlight -= 1;
    entry.resolve();
    return true;
  }

  /**
   * The server did not take `mid`. rate_limited: it waits again in its place and sending pauses
   * for retryAfterMs (the server nacks everything after it until then, so order holds). Otherwise
   * it never will be taken: its send() rejects.
   */
  nack(mid: string, code: NackCode, message: string, retryAfterMs: number | undefined, now: number): boolean {
    const entry = this.#entries.get(mid);
    if (!entry) return false;
    if (entry.sentAt !== null) this.#inFlight -= 1;
    if (code === 'rate_limited') {
      entry.sentAt = null;
      this.#pausedUntil = Math.max(this.#pausedUntil, now + Math.max(retryAfterMs ?? 1000, 1));
      return true;
    }
    this.#entries.delete(mid);
    entry.reject(
      new SessionError(
        code === 'too_large' ? 'error:client:message_too_big' : 'error:client:invalid_message',
        process.env.NODE_ENV !== 'production' ? `The server refused the message: ${message}.` : '',
        undefined,
        { reason: message },
      ),
    );
    return true;
  }

  /** When the oldest unacknowledged message went on the wire, for the ack timeout. */
  oldestSentAt(): number | null {
    let oldest: number | null = null;
    for (const { sentAt } of this.#entries.values())
      if (sentAt !== null && (oldest === null || sentAt < oldest)) oldest = sentAt;
    return oldest;
  }

  rejectAll(err: SessionError): void {
    const entries = [...this.#entries.values()];
    this.#entries.clear();
    this.#inFlight = 0;
    for (const entry of entries) entry.reject(err);
  }

  /** Mids and states, oldest first (devtools). */
  inspect(): { mid: string; body: unknown; sentAt: number | null }[] {
    return [...this.#entries.values()].map(({ mid, body, sentAt }) => ({ mid, body, sentAt }));
  }
}

/**
 * App messages that the server has not acknowledged yet, in send order. Each carries a client-made
 * `mid`, so resending everything unacknowledged after a reconnect is safe: the server drops repeats.
 */
import { SessionError } from './errors.js';
import type { OutgoingMessage } from './transport/types.js';

interface Pending extends OutgoingMessage {
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
  readonly #pending = new Map<string, Pending>();
  readonly #max: number;

  constructor(max: number) {
    this.#max = max;
  }

  get size(): number {
    return this.#pending.size;
  }

  /**
   * Accept a message. `whileDisconnected` applies the limit: messages sent while connected are
   * in flight, not waiting, and are never refused for space.
   */
  add(body: unknown, whileDisconnected: boolean): { message: OutgoingMessage; done: Promise<void> } {
    if (whileDisconnected && this.#pending.size >= this.#max) {
      throw new SessionError(
        'error:client:outbox_full',
        `Outbox is full: ${this.#max} messages are waiting for the connection (option outbox.max).`,
      );
    }
    const mid = makeMid();
    let resolve!: () => void;
    let reject!: (err: SessionError) => void;
    const done = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.#pending.set(mid, { mid, body, resolve, reject });
    return { message: { mid, body }, done };
  }

  /** Returns false for an ack of a message we no longer hold (a repeat ack after a resend). */
  ack(mid: string): boolean {
    const entry = this.#pending.get(mid);
    if (!entry) return false;
    this.#pending.delete(mid);
    entry.resolve();
    return true;
  }

  /** Everything unacknowledged, oldest first: what to (re)send after a connect. */
  unacked(): OutgoingMessage[] {
    return [...this.#pending.values()].map(({ mid, body }) => ({ mid, body }));
  }

  rejectAll(err: SessionError): void {
    const entries = [...this.#pending.values()];
    this.#pending.clear();
    for (const entry of entries) entry.reject(err);
  }
}

/**
 * What a process keeps about a session whose socket it holds, besides what Redis keeps: its
 * epoch (which attach this is: a newer one elsewhere means this socket was replaced), the newest
 * seq it has heard of, and the events that arrived with their notices, ready to write. That
 * queue is bounded by bytes: past it, events are read back from the session's log instead.
 */
import type { SessionRef } from '../backend.js';
import type { StoredEventText } from './store.js';

export class LiveSession implements SessionRef {
  /** Newest seq known to exist in the session's log. */
  knownSeq: number;
  /** Read the log once even if nothing new is known (after going live, after an outage). */
  catchUp = true;
  fetching = false;
  /** Acks: the newest the client sent, the newest Redis has applied, one script at a time. */
  ackWanted = 0;
  ackDone = 0;
  acking = false;
  /** Replaced, ended or logged out: its end must not touch the session in Redis. */
  done = false;
  #ahead: StoredEventText[] = [];
  #head = 0;
  #bytes = 0;

  constructor(
    readonly id: string,
    readonly userId: string,
    readonly epoch: string,
    lastSeq: number,
  ) {
    this.knownSeq = lastSeq;
  }

  /** The first queued event, if any. */
  peek(): StoredEventText | undefined {
    return this.#ahead[this.#head];
  }

  /** Seq of the last queued event, or `fallback` when none is queued. */
  lastQueued(fallback: number): number {
    return this.#ahead.length > this.#head ? (this.#ahead[this.#ahead.length - 1] as StoredEventText).seq : fallback;
  }

  get queuedBytes(): number {
    return this.#bytes;
  }

  push(event: StoredEventText): void {
    this.#ahead.push(event);
    this.#bytes += event.bodyJson.length;
  }

  shift(): void {
    const event = this.#ahead[this.#head];
    if (!event) return;
    this.#ahead[this.#head] = undefined as unknown as StoredEventText;
    this.#head++;
    this.#bytes -= event.bodyJson.length;
    if (this.#head === this.#ahead.length) this.clear();
    else if (this.#head >= 1024 && this.#head * 2 >= this.#ahead.length) {
      this.#ahead = this.#ahead.slice(this.#head);
      this.#head = 0;
    }
  }

  clear(): void {
    this.#ahead = [];
    this.#head = 0;
    this.#bytes = 0;
  }
}

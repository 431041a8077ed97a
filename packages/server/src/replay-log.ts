/**
 * A session's replay buffer: the events its client has not acknowledged, as serialized JSON, so a
 * replay only splices stored text into frames (no parse, no stringify). Capped by bytes and by
 * count; when a cap trims events the client has not seen, `firstSeq` moves past them and the
 * next `session:success` tells the client what is gone.
 *
 * Synchronous today; a shared store (Redis) will need an async variant of this interface, which
 * is why the server reaches the buffer only through these methods.
 */
import { eventOverheadBytes } from './limits.js';

export interface StoredEvent {
  readonly seq: number;
  readonly from: string | null;
  /** The body as JSON text (shared between every session the event went to). */
  readonly bodyJson: string;
  /** What this event counts against the byte cap. */
  readonly bytes: number;
}

export interface ReplayLog {
  /** seq of the newest event ever appended (0 when none). */
  readonly lastSeq: number;
  /** Oldest seq still held; lastSeq + 1 when none is. */
  readonly firstSeq: number;
  readonly count: number;
  readonly bytes: number;
  /** Append an event with the next seq; trims the oldest past the caps. */
  append(from: string | null, bodyJson: string, bodyBytes: number): StoredEvent;
  /** The event with this seq, if still held. */
  get(seq: number): StoredEvent | undefined;
  /** Forget every event up to and including `seq` (a cumulative client ack). */
  ackUpTo(seq: number): void;
}

export interface ReplayCaps {
  maxBytes: number;
  maxEvents: number;
}

/** Bytes an event with this body counts against the cap. */
export const eventBytes = (bodyBytes: number, from: string | null) =>
  bodyBytes + (from === null ? 0 : from.length) + eventOverheadBytes;

export class InMemoryReplayLog implements ReplayLog {
  // events[head..] are held; seq of events[i] is #firstSeq + (i - head).
  #events: StoredEvent[] = [];
  #head = 0;
  #lastSeq: number;
  #bytes = 0;

  constructor(
    private readonly caps: ReplayCaps,
    lastSeq = 0,
  ) {
    this.#lastSeq = lastSeq;
  }

  get lastSeq(): number {
    return this.#lastSeq;
  }

  get firstSeq(): number {
    return this.#lastSeq - this.count + 1;
  }

  get count(): number {
    return this.#events.length - this.#head;
  }

  get bytes(): number {
    return this.#bytes;
  }

  append(from: string | null, bodyJson: string, bodyBytes: number): StoredEvent {
    const event: StoredEvent = { seq: ++this.#lastSeq, from, bodyJson, bytes: eventBytes(bodyBytes, from) };
    this.#events.push(event);
    this.#bytes += event.bytes;
    while (this.count > this.caps.maxEvents || (this.#bytes > this.caps.maxBytes && this.count > 0)) this.#dropOldest();
    this.#compact();
    return event;
  }

  get(seq: number): StoredEvent | undefined {
    if (seq < this.firstSeq || seq > this.#lastSeq) return undefined;
    return this.#events[this.#head + (seq - this.firstSeq)];
  }

  ackUpTo(seq: number): void {
    while (this.count > 0 && this.firstSeq <= seq) this.#dropOldest();
    this.#compact();
  }

  #dropOldest(): void {
    const event = this.#events[this.#head];
    if (!event) return;
    this.#events[this.#head] = undefined as unknown as StoredEvent;
    this.#head++;
    this.#bytes -= event.bytes;
  }

  // Dropping from the front by index keeps trimming O(1); the array is rebuilt only when most of it is dead.
  #compact(): void {
    if (this.#head === 0) return;
    if (this.count === 0) {
      this.#events = [];
      this.#head = 0;
    } else if (this.#head >= 1024 && this.#head * 2 >= this.#events.length) {
      this.#events = this.#events.slice(this.#head);
      this.#head = 0;
    }
  }
}

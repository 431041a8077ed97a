/**
 * One client socket: the order frames are handled in, what it is allowed to read and write right
 * now, and the bytes it may hold. Three things stop reading (the TCP stream is paused, so the
 * client's bytes wait in the kernel and memory does not grow): an async step in progress (token
 * verification), a freeze (/dev/freeze), and a backlog (more than `sendBufferBytes` queued for a
 * client that does not read). A freeze also holds every frame the server writes, in order, and
 * writes them when it ends: a stalled network delays bytes, it does not drop them.
 */
import type { WebSocket } from 'ws';
import { FloodMeter, MessageGate } from './flow-control.js';
import type { VerifiedToken } from './keys.js';
import type { ServerLimits } from './limits.js';
import type { SessionRef } from './registry/backend.js';

export interface ConnectionHooks {
  /** Handle one frame; a returned promise holds later frames until it settles. */
  handle(conn: Connection, text: string): void | Promise<void>;
  /** The socket can take events again (after a backlog or a freeze). */
  writable(conn: Connection): void;
  /** Frames piled up while reading was paused: the client ignores backpressure. */
  overflow(conn: Connection): void;
}

type Held = { text: string } | { code: number; reason: string };

export class Connection {
  state: 'login' | 'live' | 'closed' = 'login';
  /** Its session once live (each backend keeps its own object behind this). */
  session: SessionRef | null = null;
  token: VerifiedToken | null = null;
  loginTimer: ReturnType<typeof setTimeout> | null = null;
  expiryTimer: { cancel(): void } | null = null;
  /** Newest event seq written to this socket. */
  sentSeq = 0;
  readonly gate: MessageGate;
  readonly flood: FloodMeter;
  /** The message rate was exceeded at least once (logged once per connection). */
  rateWarned = false;
  /** Cut for flooding: nothing more it sends is handled while the cut is being recorded. */
  flooding = false;

  readonly #inbox: string[] = [];
  #inboxBytes = 0;
  readonly #maxInboxBytes: number;
  readonly #sendBufferBytes: number;
  #busy = false;
  #frozen = false;
  #backlogged = false;
  #readPaused = false;
  /** Identifies the newest write made while backlogged; its callback means the socket drained. */
  #writeGeneration = 0;
  #held: Held[] | null = null;
  #heldBytes = 0;

  constructor(
    readonly ws: WebSocket,
    readonly address: string,
    limits: ServerLimits,
    private readonly hooks: ConnectionHooks,
    now: number,
  ) {
    this.gate = new MessageGate(limits.messagesPerSecond, limits.messageBurst, now);
    this.flood = new FloodMeter(limits.messagesPerSecond, limits.messageBurst, limits.floodFactor, now);
    this.#sendBufferBytes = limits.sendBufferBytes;
    // Reading is paused while frames wait, but ws still delivers what it had already read (at most
    // a socket read, ~64 KiB): more than this means something is wrong.
    this.#maxInboxBytes = 4 * limits.maxFrameBytes + 256 * 1024;
  }

  /** A frame arrived: handle it now, or after the frames before it. */
  receive(text: string): void {
    if (this.state === 'closed') return;
    if (this.#busy || this.#frozen || this.#inbox.length > 0) {
      this.#inbox.push(text);
      this.#inboxBytes += text.length;
      this.#updateReading();
      if (this.#inboxBytes > this.#maxInboxBytes) this.hooks.overflow(this);
      return;
    }
    this.#run(text);
  }

  #run(text: string): void {
    const pending = this.hooks.handle(this, text);
    if (pending) {
      this.#busy = true;
      this.#updateReading();
      const done = () => {
        this.#busy = false;
        this.#drainInbox();
      };
      pending.then(done, done);
    }
  }

  #drainInbox(): void {
    while (!this.#busy && !this.#frozen && this.#inbox.length > 0 && this.state !== 'closed') {
      const text = this.#inbox.shift() as string;
      this.#inboxBytes -= text.length;
      this.#run(text);
    }
    if (this.state === 'closed') {
      this.#inbox.length = 0;
      this.#inboxBytes = 0;
    }
    this.#updateReading();
  }

  /** Write a frame (held while frozen). */
  send(text: string): void {
    if (this.#held) {
      this.#held.push({ text });
      this.#heldBytes += text.length;
      return;
    }
    const ws = this.ws;
    if (ws.readyState !== ws.OPEN) return;
    if (!this.#backlogged && ws.bufferedAmount + text.length < this.#sendBufferBytes) {
      ws.send(text);
      return;
    }
    this.#backlogged = true;
    const generation = ++this.#writeGeneration;
    // Writes leave in order, so when the newest one is flushed everything before it is too.
    ws.send(text, (err) => {
      if (err || generation !== this.#writeGeneration) return;
      this.#backlogged = false;
      this.#updateReading();
      this.hooks.writable(this);
      this.#drainInbox();
    });
    this.#updateReading();
  }

  /**
   * Events may be written now: open, not backlogged, and, while frozen, the held frames still
   * under the send buffer's size (events past it wait in the replay log, as a full TCP buffer
   * would make them wait).
   */
  get writable(): boolean {
    if (this.ws.readyState !== this.ws.OPEN) return false;
    if (this.#held) return this.#heldBytes < this.#sendBufferBytes;
    return !this.#backlogged;
  }

  /** Close the socket (the close frame is held behind the others while frozen). */
  close(code: number, reason: string): void {
    if (this.#held) this.#held.push({ code, reason });
    else this.ws.close(code, reason);
  }

  freeze(): void {
    this.#frozen = true;
    this.#held ??= [];
    this.#updateReading();
  }

  thaw(): void {
    if (!this.#frozen) return;
    this.#frozen = false;
    const held = this.#held ?? [];
    this.#held = null;
    this.#heldBytes = 0;
    for (const item of held) {
      if ('text' in item) this.send(item.text);
      else this.ws.close(item.code, item.reason);
    }
    if (this.writable) this.hooks.writable(this);
    this.#drainInbox();
  }

  get frozen(): boolean {
    return this.#frozen;
  }

  get backlogged(): boolean {
    return this.#backlogged;
  }

  #updateReading(): void {
    // A closed connection still reads (the close handshake), unless the network is frozen.
    const pause =
      this.#frozen || (this.state !== 'closed' && (this.#busy || this.#backlogged || this.#inbox.length > 0));
    if (pause === this.#readPaused) return;
    this.#readPaused = pause;
    if (pause) this.ws.pause();
    else this.ws.resume();
  }
}

/**
 * A raw protocol client for the abuse suite, speaking design §3 directly over `ws`, so the tests
 * do not depend on the engine being rewritten beside them. It can behave well (acknowledge
 * events, honour `message:nack` rate_limited and resend in order) or badly (never read, never
 * acknowledge). Event frames are read only as far as their seq unless bodies are asked for: a
 * test that receives hundreds of MB should not spend its time in JSON.parse.
 */
import WebSocket from 'ws';
import { until } from '../helpers.js';

export interface ReceivedEvent {
  seq: number;
  /** Raw frame text; parse it when the body matters. */
  text: string;
}

export interface ClientOptions {
  sessionId?: string;
  lastSeq?: number;
  /** Send a cumulative `ack` after events (default true). */
  ack?: boolean;
  /** Keep event frame texts (default true); false keeps only their seqs. */
  keepEvents?: boolean;
}

type Frame = { type: string; [key: string]: unknown };

const eventPrefix = /^\{"type":"event","seq":(\d+)/;

export class ProtocolClient {
  readonly ws: WebSocket;
  readonly frames: Frame[] = [];
  readonly events: ReceivedEvent[] = [];
  readonly eventSeqs: number[] = [];
  /** mids acknowledged, in the order the acks arrived. */
  readonly acked: string[] = [];
  readonly nacks: Frame[] = [];
  closed: { code: number; reason: string } | null = null;
  /** The newest event frame's text (kept even when keepEvents is false). */
  lastEventText = '';
  #ackQueued = false;
  #lastSeq = 0;
  readonly #listeners = new Set<(f: Frame) => void>();

  private constructor(
    url: string,
    private readonly options: ClientOptions,
  ) {
    this.ws = new WebSocket(url);
    this.ws.on('error', () => {});
    this.ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
    });
    this.ws.on('message', (data) => this.#onFrame(data.toString()));
  }

  /** Open a socket and log in (or resume); resolves after `session:success`, rejects on a close. */
  static async login(url: string, token: string, options: ClientOptions = {}): Promise<ProtocolClient> {
    const client = new ProtocolClient(url, options);
    await new Promise<void>((resolve, reject) => {
      client.ws.once('open', () => resolve());
      client.ws.once('error', reject);
    });
    client.send({
      type: 'session:login',
      token,
      ...(options.sessionId ? { sessionId: options.sessionId, lastSeq: options.lastSeq ?? 0 } : {}),
    });
    await until(() => client.success !== undefined || client.closed !== null, 10_000, 'session:success');
    if (!client.success)
      throw new Error(`login refused: ${JSON.stringify(client.closed)} ${JSON.stringify(client.frames)}`);
    return client;
  }

  get success(): Frame | undefined {
    return this.frames.find((f) => f.type === 'session:success');
  }

  get sessionId(): string {
    return this.success?.sessionId as string;
  }

  get lastSeq(): number {
    return this.#lastSeq;
  }

  #onFrame(text: string): void {
    const event = eventPrefix.exec(text);
    if (event) {
      const seq = Number(event[1]);
      this.#lastSeq = Math.max(this.#lastSeq, seq);
      this.eventSeqs.push(seq);
      this.lastEventText = text;
      if (this.options.keepEvents !== false) this.events.push({ seq, text });
      if (this.options.ack !== false && !this.#ackQueued) {
        this.#ackQueued = true;
        queueMicrotask(() => {
          this.#ackQueued = false;
          this.send({ type: 'ack', seq: this.#lastSeq });
        });
      }
      return;
    }
    const frame = JSON.parse(text) as Frame;
    if (frame.type === 'message:ack') this.acked.push(frame.mid as string);
    else if (frame.type === 'message:nack') this.nacks.push(frame);
    else this.frames.push(frame);
    for (const listener of this.#listeners) listener(frame);
  }

  send(frame: unknown): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Stop reading the socket (a client that never reads what it is sent). */
  stopReading(): void {
    (this.ws as unknown as { _socket: { pause(): void } })._socket.pause();
  }

  /** Events' bodies, parsed. */
  bodies(): unknown[] {
    return this.events.map((e) => (JSON.parse(e.text) as { body: unknown }).body);
  }

  /**
   * Send messages the way the protocol asks a client to: back to back; a `message:nack`
   * rate_limited means "not taken, resend after retryAfterMs". Once every message in flight is
   * answered, resend from the first refused one, in the original order. Resolves when all are
   * acknowledged; rejects if the socket closes first. `texts` are the frames' body JSON.
   */
  async sendInOrder(bodyTexts: string[], mids: string[], timeoutMs = 30_000): Promise<{ nacked: number }> {
    let cursor = 0;
    const inFlight = new Set<string>();
    const indexOf = new Map(mids.map((m, i) => [m, i]));
    let firstRefused = Number.POSITIVE_INFINITY;
    let resendAt = 0;
    let nacked = 0;
    let done = 0;
    const outcome: { failure: string | null } = { failure: null };
    let timer: ReturnType<typeof setTimeout> | null = null;
    const pump = () => {
      while (cursor < mids.length && !Number.isFinite(firstRefused)) {
        const mid = mids[cursor] as string;
        inFlight.add(mid);
        this.send(`{"type":"message","mid":${JSON.stringify(mid)},"body":${bodyTexts[cursor]}}`);
        cursor++;
      }
    };
    const listener = (f: Frame) => {
      const mid = f.mid as string;
      if (!inFlight.has(mid)) return;
      inFlight.delete(mid);
      if (f.type === 'message:ack') done++;
      else if (f.type === 'message:nack') {
        if (f.code !== 'rate_limited') {
          outcome.failure = `nack ${f.code} for ${mid}: ${f.message}`;
          return;
        }
        nacked++;
        firstRefused = Math.min(firstRefused, indexOf.get(mid) as number);
        resendAt = Math.max(resendAt, Date.now() + (f.retryAfterMs as number));
      }
      if (inFlight.size === 0 && Number.isFinite(firstRefused)) {
        timer = setTimeout(
          () => {
            cursor = firstRefused;
            firstRefused = Number.POSITIVE_INFINITY;
            pump();
          },
          Math.max(0, resendAt - Date.now()),
        );
      }
    };
    this.#listeners.add(listener);
    try {
      pump();
      await until(
        () => done === mids.length || outcome.failure !== null || this.closed !== null,
        timeoutMs,
        'every message acknowledged',
      );
      if (outcome.failure) throw new Error(outcome.failure);
      if (done !== mids.length) throw new Error(`closed ${JSON.stringify(this.closed)} after ${done} acks`);
      return { nacked };
    } finally {
      if (timer) clearTimeout(timer);
      this.#listeners.delete(listener);
    }
  }

  /**
   * Send one message frame (given as text) and wait for its answer, resending after
   * rate_limited nacks. Resolves with the ack, the final nack, or the close that ended it.
   */
  async sendOne(mid: string, frameText: string, timeoutMs = 10_000): Promise<Frame | { type: 'closed'; code: number }> {
    for (;;) {
      let answer: Frame | null = null;
      const listener = (f: Frame) => {
        if (f.mid === mid && (f.type === 'message:ack' || f.type === 'message:nack')) answer = f;
      };
      this.#listeners.add(listener);
      try {
        this.send(frameText);
        await until(() => answer !== null || this.closed !== null, timeoutMs, `an answer for ${mid}`);
      } finally {
        this.#listeners.delete(listener);
      }
      const got = answer as Frame | null;
      if (!got) return { type: 'closed', code: (this.closed as { code: number }).code };
      if (got.type === 'message:nack' && got.code === 'rate_limited') {
        await new Promise((r) => setTimeout(r, got.retryAfterMs as number));
        continue;
      }
      return got;
    }
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    const closed = new Promise((r) => this.ws.once('close', r));
    this.ws.close();
    await closed;
  }

  terminate(): void {
    this.ws.terminate();
  }
}

/** Seqs rise by exactly 1: nothing lost, nothing repeated, nothing reordered. */
export function contiguous(seqs: readonly number[]): boolean {
  return seqs.every((s, i) => i === 0 || s === (seqs[i - 1] as number) + 1);
}

/**
 * One protocol session over one socket (design §3): the login frame on open, every server frame
 * parsed by the shared protocol module, requests matched by rid, events acknowledged in batches,
 * and one `closed` report that says what the close means. The WebSocket connector builds one per
 * attempt; the reconnecting-websocket adapter builds one per socket its loop opens.
 */

import type { Clock } from '../clock.js';
import { TimerGroup } from '../clock.js';
import { SessionError } from '../errors.js';
import type { ClientFrame } from '../protocol/index.js';
import { CloseCode, closeAction, encodeClientFrame, parseServerFrame } from '../protocol/index.js';
import type { AttemptRequest, CloseKind, Connection, ConnectionHandlers } from './types.js';

/** The part of the WebSocket API the protocol needs; the browser's WebSocket, `ws` and RWS all fit. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

const OPEN = 1;

interface Pending {
  resolve(answer: { tokenExpiresAt: number } | null): void;
  reject(err: SessionError): void;
  timer: number;
}

export class ProtocolConnection implements Connection {
  readonly #socket: SocketLike;
  readonly #request: AttemptRequest;
  readonly #handlers: ConnectionHandlers;
  readonly #timers: TimerGroup;
  readonly #clock: Clock;
  readonly #requestTimeoutMs: number;
  readonly #terminate: () => void;
  #done = false;
  #up = false;
  /** What the server said before closing (`session:error`), or the socket's own error. */
  #serverError: { message: string; retryAfterMs?: number } | null = null;
  #socketError: string | null = null;
  #tokenExpired = false;
  #pending = new Map<string, Pending>();
  #nextRid = 1;
  #ackSeq = 0;
  #ackQueued = false;

  constructor(
    socket: SocketLike,
    request: AttemptRequest,
    handlers: ConnectionHandlers,
    clock: Clock,
    requestTimeoutMs: number,
    terminate: () => void,
  ) {
    this.#socket = socket;
    this.#request = request;
    this.#handlers = handlers;
    this.#timers = new TimerGroup(clock);
    this.#clock = clock;
    this.#requestTimeoutMs = requestTimeoutMs;
    this.#terminate = terminate;
  }

  #write(frame: ClientFrame): boolean {
    if (this.#done || this.#socket.readyState !== OPEN) return false;
    this.#socket.send(encodeClientFrame(frame));
    return true;
  }

  handleOpen(): void {
    const { token, resume } = this.#request;
    this.#write({ type: 'session:login', token, ...(resume ?? {}) });
  }

  handleMessage(data: unknown): void {
    if (this.#done) return;
    const h = this.#handlers;
    const parsed = parseServerFrame(data);
    h.activity();
    if (!parsed.ok) {
      h.warn(
        new SessionError('error:client:transport', `Ignored a frame from the server: ${parsed.violation.message}.`),
      );
      return;
    }
    const f = parsed.frame;
    switch (f.type) {
      case 'session:success':
        this.#up = true;
        h.success({
          sessionId: f.sessionId,
          userId: f.userId,
          resumed: f.resumed,
          serverTime: f.serverTime,
          tokenExpiresAt: f.tokenExpiresAt,
          resumeWindowMs: f.resumeWindowMs,
          firstSeq: f.firstSeq,
          limits: f.limits,
        });
        return;
      case 'event':
        if (!this.#up) return;
        h.event({ seq: f.seq, from: f.from ?? null, body: f.body });
        this.#queueAck(f.seq);
        return;
      case 'message:ack':
        h.acked(f.mid);
        return;
      case 'message:nack':
        h.nacked(f.mid, f.code, f.message, f.retryAfterMs);
        return;
      case 'session:token_updated':
        this.#settle(f.rid, { tokenExpiresAt: f.tokenExpiresAt });
        return;
      case 'session:logged_out':
        this.#settle(f.rid, null);
        return;
      case 'session:error':
        if (f.rid !== undefined && this.#pending.has(f.rid)) {
          this.#settle(
            f.rid,
            new SessionError('error:client:token_invalid', `The server refused the token: ${f.message}.`),
          );
        } else {
          this.#serverError = {
            message: f.message,
            ...(f.retryAfterMs !== undefined ? { retryAfterMs: f.retryAfterMs } : {}),
          };
          const action = closeAction(f.code);
          if (action !== 'retry') h.ending?.(action);
        }
        return;
      case 'session:disconnect':
        this.#tokenExpired = true;
        h.ending?.('token_expired');
        return;
      case 'pong':
        return;
    }
  }

  handleError(message: string | undefined): void {
    if (message) this.#socketError = message;
  }

  handleClose(code: number | null, reason: string): void {
    if (this.#done) return;
    this.#finish();
    const action = code === null ? 'retry' : closeAction(code);
    let kind: CloseKind;
    if (this.#tokenExpired || action === 'token_expired') kind = 'token_expired';
    else if (action === 'retry') kind = this.#up ? 'lost' : 'unreachable';
    else kind = action;
    const why =
      this.#serverError?.message ||
      reason ||
      this.#socketError ||
      (code === null ? 'no close code' : `close code ${code}`);
    const retryAfterMs = this.#serverError?.retryAfterMs;
    this.#handlers.closed({ kind, code, reason: why, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
  }

  #queueAck(seq: number): void {
    this.#ackSeq = Math.max(this.#ackSeq, seq);
    if (this.#ackQueued) return;
    this.#ackQueued = true;
    // One cumulative ack per burst of events (a replay can be thousands).
    queueMicrotask(() => {
      this.#ackQueued = false;
      this.#write({ type: 'ack', seq: this.#ackSeq });
    });
  }

  #ask(frame: { type: 'session:update_token'; token: string } | { type: 'session:logout' }) {
    return new Promise<{ tokenExpiresAt: number } | null>((resolve, reject) => {
      const rid = `r${this.#nextRid++}`;
      if (!this.#write({ ...frame, rid })) return resolve(null);
      const timer = this.#timers.after(this.#requestTimeoutMs, () => this.#settle(rid, null));
      this.#pending.set(rid, { resolve, reject, timer });
    });
  }

  #settle(rid: string, answer: { tokenExpiresAt: number } | SessionError | null): void {
    const p = this.#pending.get(rid);
    if (!p) return;
    this.#pending.delete(rid);
    this.#timers.cancel(p.timer);
    if (answer instanceof SessionError) p.reject(answer);
    else p.resolve(answer);
  }

  /** No more reports: settle requests (unknown outcome), stop timers. */
  #finish(): void {
    this.#done = true;
    this.#timers.cancelAll();
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const p of pending) p.resolve(null);
  }

  send(message: { mid: string; body: unknown }): void {
    if (this.#up) this.#write({ type: 'message', mid: message.mid, body: message.body });
  }

  ping(): void {
    this.#write({ type: 'ping', t: this.#clock.now() });
  }

  updateToken(token: string): Promise<{ tokenExpiresAt: number } | null> {
    return this.#up ? this.#ask({ type: 'session:update_token', token }) : Promise.resolve(null);
  }

  async logout(): Promise<void> {
    if (this.#up) await this.#ask({ type: 'session:logout' });
  }

  close(): void {
    if (this.#done) return;
    this.#finish();
    try {
      this.#socket.close(CloseCode.normal, 'client closing');
    } catch {
      // A socket that never opened may refuse close(); it is going away either way.
    }
    this.#terminate();
  }
}

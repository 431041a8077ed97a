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
import { closeAction, encodeClientFrame, parseServerFrame } from '../protocol/index.js';
import type { AttemptRequest, CloseKind, Connection, ConnectionHandlers } from './types.js';

/** Declared here, not from @types/node (core also runs in browsers, where a page without a bundler defines it: errors.ts). */
// Bundlers replace process.env.NODE_ENV (Vite, webpack, esbuild, Rollup); Node has it.
declare const process: { env: { NODE_ENV?: string } };

/** The part of the WebSocket API the protocol needs; the browser's WebSocket, `ws` and RWS all fit. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

/** A Connection, plus the socket's events for whoever owns the socket to feed in. */
export interface ProtocolConnection extends Connection {
  handleOpen(): void;
  handleMessage(data: unknown): void;
  handleError(message: string | undefined): void;
  handleClose(code: number | null, reason: string): void;
}

type Answer = { tokenExpiresAt: number } | null;

export function protocolConnection(
  socket: SocketLike,
  request: AttemptRequest,
  handlers: ConnectionHandlers,
  clock: Clock,
  requestTimeoutMs: number,
  terminate: () => void,
): ProtocolConnection {
  const h = handlers;
  const timers = new TimerGroup(clock);
  /** Requests waiting for their answer, by rid: settle, and the deadline's timer. */
  const pending = new Map<string, [settle: (answer: Answer | SessionError) => void, timer: number]>();
  let done = false;
  let up = false;
  /** What the server said before closing (`session:error`), or the socket's own error. */
  let serverError: { message: string; retryAfterMs?: number } | null = null;
  let socketError: string | undefined;
  let tokenExpired = false;
  let nextRid = 1;
  let ackSeq = 0;
  let ackQueued = false;

  const write = (frame: ClientFrame): boolean => {
    if (done || socket.readyState !== 1 /* OPEN */) return false;
    socket.send(encodeClientFrame(frame));
    return true;
  };

  const settle = (rid: string, answer: Answer | SessionError): void => {
    const p = pending.get(rid);
    if (!p) return;
    pending.delete(rid);
    timers.cancel(p[1]);
    p[0](answer);
  };

  const ask = (frame: { type: 'session:update_token'; token: string } | { type: 'session:logout' }) =>
    new Promise<Answer>((resolve, reject) => {
      const rid = `r${nextRid++}`;
      if (!write({ ...frame, rid })) return resolve(null);
      const timer = timers.after(requestTimeoutMs, () => settle(rid, null));
      pending.set(rid, [(answer) => (answer instanceof SessionError ? reject(answer) : resolve(answer)), timer]);
    });

  /** No more reports: settle requests (unknown outcome), stop timers. */
  const finish = (): void => {
    done = true;
    timers.cancelAll();
    for (const rid of [...pending.keys()]) settle(rid, null);
  };

  return {
    handleOpen() {
      write({ type: 'session:login', token: request.token, ...request.resume });
    },

    handleMessage(data) {
      if (done) return;
      const parsed = parseServerFrame(data);
      h.activity();
      if (!parsed.ok) {
        h.warn(
          new SessionError(
            'error:client:transport',
            process.env.NODE_ENV !== 'production'
              ? `Ignored a frame from the server: ${parsed.violation.message}.`
              : '',
            undefined,
            { reason: 'bad_frame' },
          ),
        );
        return;
      }
      const f = parsed.frame;
      switch (f.type) {
        case 'session:success':
          up = true;
          return h.success(f);
        case 'event':
          if (!up) return;
          h.event({ seq: f.seq, from: f.from ?? null, body: f.body });
          ackSeq = Math.max(ackSeq, f.seq);
          if (ackQueued) return;
          ackQueued = true;
          // One cumulative ack per burst of events (a replay can be thousands).
          queueMicrotask(() => {
            ackQueued = false;
            write({ type: 'ack', seq: ackSeq });
          });
          return;
        case 'message:ack':
          return h.acked(f.mid);
        case 'message:nack':
          return h.nacked(f.mid, f.code, f.message, f.retryAfterMs);
        case 'session:token_updated':
          return settle(f.rid, { tokenExpiresAt: f.tokenExpiresAt });
        case 'session:logged_out':
          return settle(f.rid, null);
        case 'session:error': {
          if (f.rid !== undefined && pending.has(f.rid)) {
            return settle(
              f.rid,
              new SessionError(
                'error:client:token_invalid',
                process.env.NODE_ENV !== 'production' ? `The server refused the token: ${f.message}.` : '',
                undefined,
                { reason: f.message },
              ),
            );
          }
          serverError = f;
          const action = closeAction(f.code);
          if (action !== 'retry') h.ending?.(action);
          return;
        }
        case 'session:disconnect':
          tokenExpired = true;
          h.ending?.('token_expired');
      }
    },

    handleError(message) {
      if (message) socketError = message;
    },

    handleClose(code, reason) {
      if (done) return;
      finish();
      const action = code === null ? 'retry' : closeAction(code);
      const kind: CloseKind =
        tokenExpired || action === 'token_expired'
          ? 'token_expired'
          : action !== 'retry'
            ? action
            : up
              ? 'lost'
              : 'unreachable';
      const why =
        serverError?.message || reason || socketError || (code === null ? 'no close code' : `close code ${code}`);
      const retryAfterMs = serverError?.retryAfterMs;
      h.closed({ kind, code, reason: why, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) });
    },

    send(message) {
      if (up) write({ type: 'message', mid: message.mid, body: message.body });
    },

    ping() {
      write({ type: 'ping', t: clock.now() });
    },

    updateToken(token) {
      return up ? ask({ type: 'session:update_token', token }) : Promise.resolve(null);
    },

    async logout() {
      if (up) await ask({ type: 'session:logout' });
    },

    close() {
      if (done) return;
      finish();
      try {
        socket.close(1000 /* CloseCode.normal */, 'client closing');
      } catch {
        // A socket that never opened may refuse close(); it is going away either way.
      }
      terminate();
    },
  };
}

/**
 * reconnectingWebSocketTransport(rws): the session protocol over an app's own reconnecting-websocket
 * instance. RWS runs its own retry loop, so this is a self-retrying transport (design §2.5): it
 * speaks the protocol on every socket RWS opens (login, resume, replay, acks) and reports what it
 * can see. What RWS does not tell — when the next attempt starts — stays unknown in the store
 * (`nextRetryAt: null`) instead of being guessed; `reconnecting(n)` is reported when attempt n's
 * outcome is seen (RWS emits nothing when an attempt starts).
 *
 * Only public RWS API is used: add/removeEventListener, send, close, reconnect, readyState. Once
 * handed over, the instance belongs to the session: logout() and destroy() close it.
 */
import { SessionError } from '../errors.js';
import { type ProtocolConnection, protocolConnection } from '../transport/protocol-connection.js';
import type { ConnectedInfo, SelfRetryingTransport, TransportHost } from '../transport/types.js';

/** Declared here, not from @types/node (core also runs in browsers, where a page without a bundler defines it: errors.ts). */
// Bundlers replace process.env.NODE_ENV (Vite, webpack, esbuild, Rollup); Node has it.
declare const process: { env: { NODE_ENV?: string } };

/** The parts of a ReconnectingWebSocket (4.x) instance this adapter uses. */
export interface ReconnectingWebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  reconnect(code?: number, reason?: string): void;
  addEventListener(type: 'open' | 'message' | 'close' | 'error', listener: (event: never) => void): void;
  removeEventListener(type: 'open' | 'message' | 'close' | 'error', listener: (event: never) => void): void;
}

export interface ReconnectingWebSocketTransportOptions {
  /**
   * The `maxRetries` you gave RWS, so the session can say when its loop gave up (RWS itself
   * reports nothing then). Default: Infinity (RWS's default: it never gives up). Prefer that:
   * reconnecting-websocket 4.4 cannot be restarted once it has spent its retries, so after
   * `reconnection_failed` this transport's `connect()` fails too.
   */
  maxRetries?: number;
  /** How long update_token / logout wait for the server's answer. Default 10000. */
  requestTimeoutMs?: number;
}

const OPEN = 1;

export function reconnectingWebSocketTransport(
  rws: ReconnectingWebSocketLike,
  options: ReconnectingWebSocketTransportOptions = {},
): SelfRetryingTransport {
  if (!rws || typeof rws.reconnect !== 'function' || typeof rws.addEventListener !== 'function') {
    throw new TypeError(
      process.env.NODE_ENV !== 'production'
        ? 'reconnectingWebSocketTransport(rws): expected a ReconnectingWebSocket instance.'
        : '',
    );
  }
  const maxRetries = options.maxRetries ?? Number.POSITIVE_INFINITY;
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  let host: TransportHost | null = null;
  let token: string | null = null;
  let conn: ProtocolConnection | null = null;
  let up = false;
  /** Failed attempts since the connection was last up (RWS counts its own, privately). */
  let failures = 0;
  let lost = false;
  /** RWS spent its maxRetries: reconnecting-websocket 4.4 then keeps its connect lock for good. */
  let exhausted = false;

  // RWS is the socket; closing a protocol connection must not close RWS (that would stop its loop).
  const socket = {
    get readyState() {
      return rws.readyState;
    },
    send: (data: string) => rws.send(data),
    close() {},
  };

  function start(): void {
    const h = host;
    if (!h || token === null) return;
    const mine: ProtocolConnection = protocolConnection(
      socket,
      { token, resume: h.resumeInfo(), kind: lost ? 'auto' : 'login', attempt: lost ? failures + 1 : 0 },
      {
        success(info: ConnectedInfo) {
          if (conn !== mine) return;
          if (lost) h.reconnecting(failures + 1);
          up = true;
          lost = false;
          failures = 0;
          h.connected(info);
        },
        event: (e) => conn === mine && h.message(e),
        acked: (mid) => conn === mine && h.acked(mid),
        nacked: (mid, code, message, retryAfterMs) => conn === mine && h.nacked?.(mid, code, message, retryAfterMs),
        activity() {},
        warn: (err) => conn === mine && h.warn(err),
        // Stop RWS now, while its socket is still open: once it has seen the close it schedules a
        // retry, and closing it during that wait leaves its connect lock held for good (RWS 4.4).
        ending: () => conn === mine && rws.close(),
        closed(info) {
          if (conn !== mine) return;
          conn = null;
          const wasUp = up;
          up = false;
          if (info.kind === 'token_expired' || info.kind === 'login_failed' || info.kind === 'replaced') {
            rws.close(); // its next attempt would send the same refused or expired token (usually stopped already)
            if (info.kind === 'token_expired') h.disconnected('TOKEN_EXPIRED');
            else if (info.kind === 'replaced') h.disconnected('CLIENT_DISCONNECTED');
            else
              h.loginFailed(
                new SessionError(
                  'error:client:login_failed',
                  process.env.NODE_ENV !== 'production' ? `The server refused the token: ${info.reason}.` : '',
                  undefined,
                  { code: info.code, reason: info.reason },
                ),
              );
            return;
          }
          if (wasUp) {
            lost = true;
            failures = 0;
            h.disconnected('CONNECTION_FAILED', null);
            return;
          }
          attemptFailed();
        },
      },
      h.clock,
      requestTimeoutMs,
      () => {},
    );
    conn = mine;
    mine.handleOpen();
  }

  /** An attempt ended without a session. The first one (login or connect()) starts the cycle. */
  function attemptFailed(): void {
    const h = host;
    if (!h) return;
    if (!lost) {
      lost = true;
      failures = 0;
      h.retryScheduled(1, null);
      return;
    }
    failures += 1;
    h.reconnecting(failures);
    if (failures >= maxRetries) {
      exhausted = true;
      h.reconnectionFailed();
    } else h.retryScheduled(failures + 1, null);
  }

  const onOpen = () => start();
  const onMessage = (event: { data: unknown }) => conn?.handleMessage(event.data);
  const onError = (event: { message?: string }) => conn?.handleError(event.message);
  const onClose = (event: { code?: number; reason?: string }) => {
    if (conn) conn.handleClose(event.code ?? null, event.reason ?? '');
    else if (token !== null) attemptFailed();
  };
  const listeners = [
    ['open', onOpen],
    ['message', onMessage],
    ['error', onError],
    ['close', onClose],
  ] as const;

  function detach(): void {
    for (const [type, fn] of listeners) rws.removeEventListener(type, fn as (event: never) => void);
  }

  return {
    kind: 'self-retrying',
    attach(h) {
      host = h;
      for (const [type, fn] of listeners) rws.addEventListener(type, fn as (event: never) => void);
    },
    login(t) {
      token = t;
      lost = false;
      failures = 0;
      if (rws.readyState === OPEN) start();
      else rws.reconnect(); // RWS may be closed (startClosed, or an earlier logout)
    },
    connect() {
      if (up) return;
      if (exhausted) {
        // Nothing public restarts it (its connect lock stays held): say so instead of hanging.
        host?.warn(
          new SessionError(
            'error:client:transport',
            process.env.NODE_ENV !== 'production'
              ? 'This reconnecting-websocket instance stopped for good after its maxRetries (reconnecting-websocket 4.4 keeps its connect lock); leave RWS at maxRetries: Infinity so connect() can restart it.'
              : '',
            undefined,
            { reason: 'max_retries' },
          ),
        );
        host?.reconnectionFailed();
        return;
      }
      lost = false;
      failures = 0;
      rws.reconnect();
    },
    retryNow() {
      if (!up) rws.reconnect();
    },
    async updateToken(t) {
      token = t;
      const answer = up && conn ? await conn.updateToken(t) : null;
      return answer ?? {};
    },
    suspend() {
      conn = null;
      up = false;
      rws.close();
    },
    async logout() {
      // The answer comes back through the listeners, so `conn` stays until it has.
      const own = conn;
      up = false;
      token = null;
      try {
        await own?.logout();
      } finally {
        if (conn === own) conn = null;
        rws.close(1000, 'logged out');
      }
    },
    send(message) {
      conn?.send(message);
    },
    ping() {
      conn?.ping();
    },
    destroy() {
      detach();
      conn = null;
      host = null;
      rws.close(1000, 'session destroyed');
    },
  };
}

/**
 * nexmoClientTransport(client): the same store, hooks and components for apps on nexmo-client 9.x.
 * The SDK owns the socket and its retry loop; this adapter only listens and normalises, per the
 * measured behaviour in facts/vonage-sdks.md §1 and §4:
 *
 * - `ready` fires on every socket connect, *before* the server's `session:success`, so the session
 *   id is taken from `session:success` itself (that is how a new id after the window shows up).
 * - `disconnect` reasons are PascalCase ('ConnectionError' | 'TokenExpired' | 'ClientDisconnected').
 *   'TokenExpired' follows *any* server-initiated disconnect, so it only counts as expiry when the
 *   token really is past `exp`; otherwise it is a lost connection, and since socket.io does not
 *   retry after a server disconnect, the adapter starts the cycle with `client.connect()`.
 * - `error` without `type` fires on every failed attempt: noise. With
 *   `type: 'error:client:reconnection_failed'` it is the end of the cycle.
 * - socket.io computes each delay in `backoff.duration()` right after a failure; wrapping it gives
 *   the exact start of the next attempt (`nextRetryAt`), jitter included.
 *
 * The SDK is never imported here: the app passes its client, so the SDK never reaches a bundle
 * that does not already have it.
 */
import { SessionError } from '../errors.js';
import { tokenStillValid } from '../token.js';
import type { SelfRetryingTransport as Transport, TransportHost } from '../transport/types.js';

/** Declared here, not from @types/node (core also runs in browsers, where a page without a bundler defines it: errors.ts). */
// Bundlers replace process.env.NODE_ENV (Vite, webpack, esbuild, Rollup); Node has it.
declare const process: { env: { NODE_ENV?: string } };

type Listener = (...args: never[]) => void;

/**
 * The parts of NexmoClient 9.x this adapter uses. `on`/`off` are optional in the type only because
 * nexmo-client's own declarations omit its WildEmitter methods; they are checked at runtime.
 */
export interface NexmoClientLike {
  createSession(token: string): Promise<unknown>;
  deleteSession(): Promise<unknown>;
  connect(): unknown;
  on?: unknown;
  off?: unknown;
  session_id?: string | null;
  connection?: unknown;
}

interface Emitter {
  on(event: string, fn: Listener): unknown;
  off(event: string, fn: Listener): unknown;
}

export interface NexmoApplicationLike {
  me?: { id?: string; name?: string } | null;
  updateToken(token: string): Promise<unknown>;
}

interface NexmoSocketLike {
  on(event: string, fn: (payload: unknown) => void): unknown;
  off(event: string, fn: (payload: unknown) => void): unknown;
  disconnect(): unknown;
  io?: { backoff?: { duration(): number; attempts: number } } | null;
}

export function nexmoClientTransport(sdkClient: NexmoClientLike): Transport {
  if (!sdkClient || typeof sdkClient.createSession !== 'function' || typeof sdkClient.on !== 'function') {
    throw new TypeError(
      process.env.NODE_ENV !== 'production' ? 'nexmoClientTransport(client): expected a NexmoClient 9.x instance.' : '',
    );
  }
  const client = sdkClient as Omit<NexmoClientLike, 'on' | 'off' | 'connection' | 'createSession'> &
    Emitter & {
      connection?: NexmoSocketLike | null;
      createSession(token: string): Promise<NexmoApplicationLike>;
    };
  let host: TransportHost | null = null;
  let app: NexmoApplicationLike | null = null;
  let token: string | null = null;
  let sessionId: string | null = null;
  let live = false;
  /** Set while we close the socket ourselves, so its ClientDisconnected is not reported. */
  let closingOnPurpose = false;
  let socket: NexmoSocketLike | null = null;
  let restoreBackoff: (() => void) | null = null;

  const onSessionSuccess = (payload: unknown) => {
    const id = (payload as { body?: { id?: unknown } } | null)?.body?.id;
    if (!host || typeof id !== 'string' || sessionId === null) return; // the login reply is handled by createSession
    const resumed = id === sessionId;
    sessionId = id;
    live = true;
    host.connected({ sessionId: id, userId: app?.me?.id ?? null, resumed });
  };

  const onDisconnect = (reason: string) => {
    if (!host || sessionId === null) return;
    live = false;
    if (reason === 'ClientDisconnected') {
      if (!closingOnPurpose) host.disconnected('CLIENT_DISCONNECTED');
      closingOnPurpose = false;
      return;
    }
    if (reason === 'TokenExpired' && !tokenStillValid(token, host.clock.now())) {
      host.disconnected('TOKEN_EXPIRED');
      return;
    }
    host.disconnected('CONNECTION_FAILED', null);
    // A server-initiated disconnect (reported as TokenExpired) gets no automatic retry from
    // socket.io; start the cycle so the documented behaviour holds.
    if (reason === 'TokenExpired') client.connect();
  };

  const onReconnecting = (attempt: number) => {
    host?.reconnecting(attempt);
  };

  const onError = (error: { type?: string } | null) => {
    if (error?.type === 'error:client:reconnection_failed') host?.reconnectionFailed();
  };

  /** Report the exact start of each scheduled attempt from socket.io's own backoff. */
  function watchBackoff(): void {
    const backoff = client.connection?.io?.backoff;
    if (!backoff || restoreBackoff) return;
    const original = backoff.duration;
    backoff.duration = function duration(this: typeof backoff) {
      const delayMs = original.call(this);
      host?.retryScheduled(this.attempts, host.clock.now() + delayMs);
      return delayMs;
    };
    restoreBackoff = () => {
      backoff.duration = original;
    };
  }

  function watchSocket(): void {
    const next = client.connection ?? null;
    if (next === socket) return;
    socket?.off('session:success', onSessionSuccess);
    socket = next;
    socket?.on('session:success', onSessionSuccess);
    watchBackoff();
  }

  function unwatch(): void {
    client.off('disconnect', onDisconnect as Listener);
    client.off('reconnecting', onReconnecting as Listener);
    client.off('error', onError as Listener);
    socket?.off('session:success', onSessionSuccess);
    socket = null;
    restoreBackoff?.();
    restoreBackoff = null;
  }

  return {
    carriesMessages: false,
    attach(h) {
      host = h;
      client.on('disconnect', onDisconnect as Listener);
      client.on('reconnecting', onReconnecting as Listener);
      client.on('error', onError as Listener);
    },
    login(t) {
      token = t;
      client.createSession(t).then(
        (application) => {
          if (!host) return;
          app = application;
          sessionId = client.session_id ?? null;
          watchSocket();
          if (sessionId === null) {
            host.loginFailed(
              new SessionError(
                'error:client:login_failed',
                process.env.NODE_ENV !== 'production' ? 'nexmo-client gave no session id.' : '',
                undefined,
                { reason: 'no_session_id' },
              ),
            );
            return;
          }
          live = true;
          host.connected({ sessionId, userId: application?.me?.id ?? null, resumed: false });
        },
        (err: unknown) => {
          if (!host) return;
          const type = (err as { type?: string } | null)?.type ?? '';
          if (/expired/i.test(type)) host.disconnected('TOKEN_EXPIRED');
          else
            host.loginFailed(
              new SessionError(
                'error:client:login_failed',
                process.env.NODE_ENV !== 'production' ? `nexmo-client refused the login (${type || 'error'}).` : '',
                err,
                { code: type },
              ),
            );
        },
      );
    },
    connect() {
      if (live) return;
      watchSocket();
      client.connect();
    },
    retryNow() {
      // nexmo-client has no "attempt now": its socket.io schedule runs as configured.
    },
    async updateToken(t) {
      token = t;
      // Disconnected: patches the handshake query (no network). Connected: an HTTP PUT.
      if (app) await app.updateToken(t);
      return {};
    },
    suspend() {
      if (!socket) return;
      closingOnPurpose = true;
      live = false;
      socket.disconnect();
    },
    async logout() {
      closingOnPurpose = true;
      live = false;
      sessionId = null;
      try {
        await client.deleteSession();
      } finally {
        unwatch();
      }
    },
    send() {
      // carriesMessages is false: the engine never calls this.
    },
    destroy() {
      unwatch();
      if (client.connection && live) {
        closingOnPurpose = true;
        client.connection.disconnect();
      }
      live = false;
      host = null;
    },
  };
}

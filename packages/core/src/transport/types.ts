/**
 * The transport seam: the only code that touches a socket or an SDK object (design §2.5). Two kinds:
 *
 * - **Connectors** open one connection per attempt and report how it went (WebSocket, simulated).
 *   The engine owns the retry loop for them: one loop, on the Clock, so `nextRetryAt` is exact,
 *   every wait is cancellable, and the loop the tests drive is the loop that ships.
 * - **Self-retrying transports** wrap something that runs its own loop (the Vonage SDKs, an app's
 *   reconnecting-websocket). They report the seed's events to a TransportHost; what their loop
 *   cannot tell (exact countdowns, retry now) stays unknown in the store.
 */
import type { BackoffOptions } from '../backoff.js';
import type { Clock } from '../clock.js';
import type { SessionError } from '../errors.js';
import type { Heartbeat } from '../options.js';
import type { NackCode, ProtocolLimits } from '../protocol/index.js';

export type DisconnectReason = 'CONNECTION_FAILED' | 'TOKEN_EXPIRED' | 'CLIENT_DISCONNECTED';

export interface ConnectedInfo {
  sessionId: string;
  userId: string | null;
  /**
   * Did the server resume the session asked for? `null`: the transport cannot know (an SDK that
   * reconnects on its own without saying which session the platform answered). The engine then
   * stores `lastConnect: null` and claims neither `session:resumed` nor `session:lost`.
   */
  resumed: boolean | null;
  /** Server clock at the moment it answered (epoch ms), to correct token expiry for skew. */
  serverTime?: number;
  /** Server's view of the token's expiry (epoch ms, server clock). */
  tokenExpiresAt?: number;
  resumeWindowMs?: number;
  /** Oldest event seq the server can still replay (protocol `firstSeq`). */
  firstSeq?: number;
  /** Limits the server announced; the outbox paces under them. */
  limits?: ProtocolLimits;
}

export interface ServerEvent {
  seq: number;
  from: string | null;
  body: unknown;
}

export interface OutgoingMessage {
  mid: string;
  body: unknown;
}

// --- connectors ---------------------------------------------------------------------------------

export interface AttemptRequest {
  token: string;
  /** The session to resume and the newest event the app has, or null for a new session. */
  resume: { sessionId: string; lastSeq: number } | null;
  /** Which attempt this is (for simulators, devtools and logs; the wire does not carry it). */
  kind: 'login' | 'manual' | 'auto';
  /** 1-based within an automatic cycle; 0 for login and manual attempts. */
  attempt: number;
}

/**
 * How a connection ended. `lost`: it was up and dropped. `unreachable`: it never got a session
 * (refused, timed out, wrong path, server shutting down). The others come from close codes.
 */
export type CloseKind = 'lost' | 'unreachable' | 'token_expired' | 'login_failed' | 'replaced';

export interface ConnectionClosed {
  kind: CloseKind;
  /** The WebSocket close code, when there was one. */
  code: number | null;
  /** The server's reason (its `session:error` message or close reason) or the socket's error. */
  reason: string;
  /** The server asked the client to wait this long before the next attempt (4429, 4503). */
  retryAfterMs?: number;
}

/** What a connection reports. Nothing is reported after `closed`, or after `close()` was called. */
export interface ConnectionHandlers {
  success(info: ConnectedInfo): void;
  event(event: ServerEvent): void;
  acked(mid: string): void;
  nacked(mid: string, code: NackCode, message: string, retryAfterMs?: number): void;
  /** Any frame arrived: the connection is alive (clears a pending probe). */
  activity(): void;
  closed(info: ConnectionClosed): void;
  /**
   * The server announced that it is about to end the connection for good (TOKEN_EXPIRED, a
   * refused token, a takeover), before the close itself arrives. For transports with their own
   * loop, which must stop before it schedules an attempt with a dead token.
   */
  ending?(kind: CloseKind): void;
  /** A problem worth surfacing that changes nothing (a malformed frame from the server). */
  warn(error: SessionError): void;
}

export interface Connection {
  send(message: OutgoingMessage): void;
  /** Ask the server for a sign of life; any frame back counts (reported as `activity`). */
  ping(): void;
  /**
   * Use `token` from now on. Resolves with the server's answer, or null when the connection
   * ended before one came (the server may or may not have taken it); rejects with
   * `error:client:token_invalid` when the server refused it.
   */
  updateToken(token: string): Promise<{ tokenExpiresAt: number } | null>;
  /** End the session on the server; resolves when it answered, the connection ended or timed out. */
  logout(): Promise<void>;
  /** Close at once. No handler runs afterwards. */
  close(): void;
}

export interface Connector {
  readonly kind: 'connector';
  /** Called once by the engine before `open`. */
  attach(env: { clock: Clock }): void;
  /**
   * Open one connection attempt. Throws a SessionError when it cannot even try (no WebSocket
   * constructor): the engine reports that at once instead of spending attempts.
   */
  open(request: AttemptRequest, handlers: ConnectionHandlers): Connection;
  /** Longest an attempt may take, open to `session:success`; the engine arms it. Default 10000. */
  readonly attemptTimeoutMs?: number;
  /** This transport's own heartbeat setting, which wins over createSession's. */
  readonly heartbeat?: Heartbeat;
  /** Release what outlives connections (none for WebSocket; the simulated server's timers). */
  destroy?(): void;
}

// --- self-retrying transports -----------------------------------------------------------------

/** What the engine gives a self-retrying transport: where to report, and what it needs to (re)connect. */
export interface TransportHost {
  readonly clock: Clock;
  readonly reconnect: Readonly<BackoffOptions>;
  /** Random source for jitter (seam for deterministic tests). */
  readonly random: () => number;
  /** The session's heartbeat setting, for transports that ping. */
  readonly heartbeat: Heartbeat;
  /** Session to resume on the next handshake, if any; read at every attempt. */
  resumeInfo(): { sessionId: string; lastSeq: number } | null;

  /** A session is established (login, automatic reconnect or manual connect). */
  connected(info: ConnectedInfo): void;
  /**
   * The connection ended. CONNECTION_FAILED is followed by the transport's own retries; pass when
   * attempt 1 will start (epoch ms, host clock) if known.
   */
  disconnected(reason: DisconnectReason, nextAttemptAt?: number | null): void;
  /** Attempt `attempt` of this cycle will start at `atMs` (epoch ms on the host clock), if known. */
  retryScheduled(attempt: number, atMs: number | null): void;
  /** Attempt `attempt` starts now (the seed's `reconnecting(n)`). */
  reconnecting(attempt: number): void;
  /** Every attempt of the cycle failed; the transport stopped until `connect()`. */
  reconnectionFailed(): void;
  /** The server refused the token at login: no retries. */
  loginFailed(error: SessionError): void;
  message(event: ServerEvent): void;
  /** The server took message `mid` (possibly a repeat it had already taken). */
  acked(mid: string): void;
  /** The server did not take message `mid` (protocol `message:nack`). */
  nacked?(mid: string, code: NackCode, message: string, retryAfterMs?: number): void;
  /** A problem worth surfacing that changes no state (e.g. a malformed frame from the server). */
  warn(error: SessionError): void;
}

export interface SelfRetryingTransport {
  readonly kind?: 'self-retrying';
  /**
   * False for transports that do not carry app messages (the SDK adapters: use the SDK's own
   * conversation API); `session.send()` then rejects with a clear error instead of waiting.
   */
  readonly carriesMessages?: boolean;
  /** Called once by the engine before any other method. */
  attach(host: TransportHost): void;
  /** Open a connection and log in; `resumeInfo()` says whether to ask for an existing session. */
  login(token: string): void;
  /** A fresh cycle after failure or TOKEN_EXPIRED: an attempt now, then the transport's schedule. */
  connect(): void;
  /** While waiting between automatic attempts: start the next one now, if the transport can. */
  retryNow(): void;
  /** Use `token` from now on. While connected, send it over the live connection. */
  updateToken(token: string): Promise<{ tokenExpiresAt?: number }>;
  /** Stop retrying and close the socket without ending the session (e.g. the local token died). */
  suspend(): void;
  /** End the session on the server and close. */
  logout(): Promise<void>;
  /** Send one app message; only called while connected. Delivery is confirmed by `acked(mid)`. */
  send(message: OutgoingMessage): void;
  /** Ask for a sign of life, if the transport can (reported through any later report). */
  ping?(): void;
  /** Release everything: sockets, timers, listeners. No host calls afterwards. */
  destroy(): void;
}

export type Transport = Connector | SelfRetryingTransport;

export const isConnector = (t: Transport): t is Connector => t.kind === 'connector';

/**
 * The transport seam: the only code that touches a socket or an SDK object. As in the Vonage SDK,
 * the transport owns the socket's retry loop; it reports what happens in the seed's vocabulary and
 * the engine reduces those reports into the store.
 */
import type { BackoffOptions } from '../backoff.js';
import type { Clock } from '../clock.js';
import type { SessionError } from '../errors.js';
import type { Heartbeat } from '../options.js';

export type DisconnectReason = 'CONNECTION_FAILED' | 'TOKEN_EXPIRED' | 'CLIENT_DISCONNECTED';

export interface ConnectedInfo {
  sessionId: string;
  userId: string | null;
  /**
   * Did the server resume the session we asked for? `null`: the transport cannot know (an SDK
   * that reconnects on its own without saying which session the platform answered). The engine
   * then stores `lastConnect: null` and emits neither `session:resumed` nor `session:lost`.
   */
  resumed: boolean | null;
  /** Server clock at the moment it answered (epoch ms), to correct token expiry for skew. */
  serverTime?: number;
  /** Server's view of the token's expiry (epoch ms, server clock). */
  tokenExpiresAt?: number;
  resumeWindowMs?: number;
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

/** What the engine gives a transport: where to report, and what it needs to (re)connect. */
export interface TransportHost {
  readonly clock: Clock;
  readonly reconnect: Readonly<BackoffOptions>;
  /** Random source for jitter (seam for deterministic tests). */
  readonly random: () => number;
  /** The session's heartbeat setting (createSession's `heartbeat` option), for transports that ping. */
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
  /** A problem worth surfacing that changes no state (e.g. a malformed frame from the server). */
  warn(error: SessionError): void;
}

export interface Transport {
  /**
   * False for transports that do not carry app messages (the SDK adapters: use the SDK's own
   * conversation API); `session.send()` then rejects with a clear error instead of waiting.
   */
  readonly carriesMessages?: boolean;
  /** Called once by the engine before any other method. */
  attach(host: TransportHost): void;
  /** Open a connection and log in; `resumeInfo()` says whether to ask for an existing session. */
  login(token: string): void;
  /** A fresh cycle after failure or TOKEN_EXPIRED: an attempt now, then the schedule. */
  connect(): void;
  /** While waiting between automatic attempts: start the next one now. */
  retryNow(): void;
  /** Use `token` from now on. While connected, send it over the live connection. */
  updateToken(token: string): Promise<{ tokenExpiresAt?: number }>;
  /** Stop retrying and close the socket without ending the session (e.g. the local token died). */
  suspend(): void;
  /** End the session on the server and close. */
  logout(): Promise<void>;
  /** Send one app message; only called while connected. Delivery is confirmed by `acked(mid)`. */
  send(message: OutgoingMessage): void;
  /** Release everything: sockets, timers, listeners. No host calls afterwards. */
  destroy(): void;
}

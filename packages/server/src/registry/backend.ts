/**
 * The seam between the protocol (server.ts: sockets, frames, limits, flow control) and where
 * sessions live. The in-memory backend wraps a synchronous SessionRegistry and answers at once;
 * the Redis backend answers after a round trip to Redis. A method may therefore return a promise:
 * the connection then holds its later frames until it settles, so order is kept either way.
 */
import type { LoginFrame, NackCode, ServerFrame } from '@nexmo-session/core/protocol';
import type { Connection } from '../connection.js';
import type { VerifiedToken } from '../keys.js';
import type { ServerLimits } from '../limits.js';
import type { KeyedLimiter } from '../rate-limit.js';
import type { SessionCaps } from '../registry.js';

export type Logger = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

/**
 * Append an event to every session of `target` (a userId or a sessionId); returns how many. With
 * the in-memory registry the count comes back at once; with Redis it is a promise that settles
 * once the events are stored (and rejects if Redis cannot be reached).
 */
export type Publish = (target: string, body: unknown, from?: string | null) => number | Promise<number>;

export type OnMessage = (session: { id: string; userId: string }, body: unknown, publish: Publish) => void;

/** What a connection knows about its session; each backend keeps more behind it. */
export interface SessionRef {
  readonly id: string;
  readonly userId: string;
}

/** What the protocol layer lends a backend. */
export interface BackendContext {
  readonly limits: Readonly<ServerLimits>;
  readonly caps: SessionCaps;
  readonly log: Logger;
  /** New sessions per user (the login limit that resumes never touch). */
  readonly newSessions: KeyedLimiter;
  readonly onMessage: OnMessage | undefined;
  send(conn: Connection, frame: ServerFrame): void;
  nack(conn: Connection, mid: string, code: NackCode, message: string, retryAfterMs?: number): void;
  /** Close with `code` after the matching frame (session:error, or TOKEN_EXPIRED for 4001). */
  closeWith(conn: Connection, code: number, message: string, retryAfterMs?: number): void;
  /**
   * Events this socket never got left the replay log (its caps): cut it 4429 "too slow", so its
   * resume announces the gap (firstSeq), which a live stream cannot. `behind`: events unsent.
   */
  cutSlowConsumer(conn: Connection, sessionId: string, behind: number): void;
  /**
   * Put a connection live on its session and send `session:success`. The caller then sets
   * `sentSeq` and pumps.
   */
  goLive(
    conn: Connection,
    session: SessionRef,
    token: VerifiedToken,
    replay: { resumed: boolean; lastSeq: number; firstSeq: number },
  ): void;
}

export interface SessionBackend {
  /** One line for the startup banner: where sessions live and what a restart does to them. */
  readonly description: string;
  /** The token is verified: resume or create the session and go live, or refuse with a close. */
  login(conn: Connection, frame: LoginFrame, token: VerifiedToken): void | Promise<void>;
  /**
   * A message id this connection's session has already taken, when that can be known without a
   * round trip (a resend is then acknowledged without counting against the rate).
   */
  knownMid(conn: Connection, mid: string): boolean;
  /** A new message, admitted and serialized once: take it, route it, acknowledge it (or nack). */
  message(conn: Connection, mid: string, body: unknown, bodyJson: string, bodyBytes: number): void | Promise<void>;
  /** The client has every event up to `seq` (already capped at what this socket was sent). */
  ack(conn: Connection, seq: number): void;
  logout(conn: Connection, rid: string): void | Promise<void>;
  /** The socket is gone: the session waits for a resume inside the window. */
  detached(conn: Connection): void;
  /**
   * The connection flooded: its session cannot be resumed for `retryAfterMs`. A promise means the
   * block is being written to a store other processes read: the socket is closed once it settles,
   * so a client that hears the close cannot resume on another process before the block is there.
   */
  flooded(conn: Connection, retryAfterMs: number): void | Promise<void>;
  /** Write the events this connection has not had yet, while its socket takes them. */
  pump(conn: Connection): void;
  publish: Publish;
  stats(): { sessions: number; waiting: number };
  /** Stop timers and let go of shared resources; live connections are already closed. */
  close(): Promise<void>;
}

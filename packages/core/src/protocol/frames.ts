/**
 * Every frame of the wire protocol (design §3), one type per frame and direction. JSON text
 * frames, one object each, `type` first. The server and the client transport both import these,
 * so a frame one side writes is the type the other side's parser returns.
 */
import type { ProtocolLimits } from './limits.js';

// --- client → server --------------------------------------------------------------------------

/** Must be the first frame. With `sessionId`: a resume request; `lastSeq` is the newest event the client has. */
export interface LoginFrame {
  type: 'session:login';
  token: string;
  sessionId?: string;
  lastSeq?: number;
}
export interface UpdateTokenFrame {
  type: 'session:update_token';
  rid: string;
  token: string;
}
export interface LogoutFrame {
  type: 'session:logout';
  rid: string;
}
/** An app message. `mid` is made by the client; the server drops repeats of a mid it has taken. */
export interface MessageFrame {
  type: 'message';
  mid: string;
  body: unknown;
}
/** Cumulative: every event up to `seq` arrived; the server may trim its replay buffer. */
export interface AckFrame {
  type: 'ack';
  seq: number;
}
export interface PingFrame {
  type: 'ping';
  t: number;
}

export type ClientFrame = LoginFrame | UpdateTokenFrame | LogoutFrame | MessageFrame | AckFrame | PingFrame;

// --- server → client --------------------------------------------------------------------------

export interface SessionSuccessFrame {
  type: 'session:success';
  sessionId: string;
  userId: string;
  /** True when the server resumed the session the client asked for. */
  resumed: boolean;
  /** Server clock (epoch ms) when it answered: the client corrects token expiry with it. */
  serverTime: number;
  /** The token's `exp` (epoch ms, server clock). */
  tokenExpiresAt: number;
  resumeWindowMs: number;
  /** Newest event seq of the session (0 when none). */
  lastSeq: number;
  /**
   * Oldest event seq the server can still replay (lastSeq + 1 when it holds none). If the client's
   * lastSeq + 1 < firstSeq, the events in between are gone.
   */
  firstSeq: number;
  limits: ProtocolLimits;
}
export interface TokenUpdatedFrame {
  type: 'session:token_updated';
  rid: string;
  tokenExpiresAt: number;
}
export interface LoggedOutFrame {
  type: 'session:logged_out';
  rid: string;
}
/** A server event; `seq` rises by 1 per session. `from` is the sender's userId, when there is one. */
export interface EventFrame {
  type: 'event';
  seq: number;
  body: unknown;
  from?: string | null;
}
export interface MessageAckFrame {
  type: 'message:ack';
  mid: string;
}
export type NackCode = 'rate_limited' | 'too_large' | 'invalid';
/** The message was not taken. rate_limited: send it again after retryAfterMs; otherwise it never will be. */
export interface MessageNackFrame {
  type: 'message:nack';
  mid: string;
  code: NackCode;
  retryAfterMs?: number;
  message: string;
}
export interface PongFrame {
  type: 'pong';
  t: number;
}
/** Sent before close 4001. */
export interface DisconnectFrame {
  type: 'session:disconnect';
  reason: 'TOKEN_EXPIRED';
}
/**
 * A refusal. With `rid`: the answer to that request (the connection stays). Without: the reason
 * for the close that follows (same `code`); `retryAfterMs` says how long to wait before reconnecting.
 */
export interface SessionErrorFrame {
  type: 'session:error';
  code: number;
  message: string;
  rid?: string;
  retryAfterMs?: number;
}

export type ServerFrame =
  | SessionSuccessFrame
  | TokenUpdatedFrame
  | LoggedOutFrame
  | EventFrame
  | MessageAckFrame
  | MessageNackFrame
  | PongFrame
  | DisconnectFrame
  | SessionErrorFrame;

export type ClientFrameType = ClientFrame['type'];
export type ServerFrameType = ServerFrame['type'];

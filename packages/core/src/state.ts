/** The public session state (design §2.1). Only the engine writes it; it is derived from the machine. */
import type { SessionErrorInfo } from './errors.js';
import type { TokenStatus } from './token.js';
import type { DisconnectReason } from './transport/types.js';

export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

/**
 * What a UI should tell the user about the connection right now, derived once in core (§2.4.16):
 * - reconnecting: an outage that has lasted `showAfterMs` (blips never show). `attempt` is the
 *   attempt running (`phase: 'trying'`, the store's retryCount) or the one scheduled next
 *   (`phase: 'waiting'`, at nextRetryAt); the same number as `reconnecting(n)`.
 * - offline: the browser is offline and the engine waits for it (no attempt is spent).
 * - failed: every attempt failed; `connect()` (or "Reconnect") starts a new cycle.
 * - reconnected / resumed: back after a visible outage (resumed: the same session; reconnected:
 *   the transport cannot tell). Cleared after `reconnectedMs`.
 * - session-lost: back, but on a new session (anything bound to the old one, such as a call, is
 *   gone). Stays until `dismissNotice()` or the next outage.
 * - login-failed: the server refused the token.
 */
export type Notice =
  | { kind: 'reconnecting'; since: number; attempt: number; phase: 'waiting' | 'trying' }
  | { kind: 'offline'; since: number }
  | { kind: 'failed'; since: number }
  | { kind: 'reconnected' | 'resumed'; at: number }
  | { kind: 'session-lost'; at: number; previousSessionId: string; sessionId: string }
  | { kind: 'login-failed'; at: number };

export interface SessionState {
  status: ConnectionStatus;
  disconnectReason: DisconnectReason | null;
  /** Attempt number in this cycle: the attempt running now or the last one that ran; 0 when connected. */
  retryCount: number;
  maxRetries: number;
  /**
   * While reconnecting: when the next attempt starts (epoch ms), or the running attempt's start.
   * Null when not reconnecting, while paused offline, or when the transport's loop hides it.
   */
  nextRetryAt: number | null;
  connectionLostAt: number | null;
  sessionExpiresAt: number | null;
  sessionId: string | null;
  userId: string | null;
  /** Did the last (re)connect resume the same session? Null before the first, or when the transport cannot tell. */
  lastConnect: 'new' | 'resumed' | null;
  tokenExpiresAt: number | null;
  tokenStatus: TokenStatus;
  network: 'online' | 'offline';
  error: SessionErrorInfo | null;
  /** App messages accepted and not yet acknowledged (waiting or on the wire). */
  outboxSize: number;
  /** Highest server event seq delivered to the app in this session (for resume and de-duplication). */
  lastSeq: number;
  notice: Notice | null;
}

export function initialState(maxRetries: number, network: 'online' | 'offline' = 'online'): SessionState {
  return {
    status: 'idle',
    disconnectReason: null,
    retryCount: 0,
    maxRetries,
    nextRetryAt: null,
    connectionLostAt: null,
    sessionExpiresAt: null,
    sessionId: null,
    userId: null,
    lastConnect: null,
    tokenExpiresAt: null,
    tokenStatus: 'none',
    network,
    error: null,
    outboxSize: 0,
    lastSeq: 0,
    notice: null,
  };
}

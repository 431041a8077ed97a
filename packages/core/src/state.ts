/** The public session state (design §2.1). Only the engine writes it. */
import type { SessionErrorInfo } from './errors.js';
import type { TokenStatus } from './token.js';
import type { DisconnectReason } from './transport/types.js';

export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'disconnected';

export interface SessionState {
  status: ConnectionStatus;
  disconnectReason: DisconnectReason | null;
  /** Attempt number in this cycle: the attempt running now or the last one that ran; 0 when connected. */
  retryCount: number;
  maxRetries: number;
  /** While reconnecting: when the next attempt starts (epoch ms); the current attempt's start while one runs. */
  nextRetryAt: number | null;
  connectionLostAt: number | null;
  sessionExpiresAt: number | null;
  sessionId: string | null;
  userId: string | null;
  lastConnect: 'new' | 'resumed' | null;
  tokenExpiresAt: number | null;
  tokenStatus: TokenStatus;
  network: 'online' | 'offline';
  error: SessionErrorInfo | null;
  outboxSize: number;
  /** Highest server event seq delivered to the app in this session (for resume and de-duplication). */
  lastSeq: number;
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
  };
}

/**
 * The pure half of the engine: (state, input) → state. No timers, no transport, no events;
 * the effects layer (session.ts) feeds inputs in and turns changes into events and side effects.
 *
 * Transport reports that arrive while idle are stale (the transport was already told to stop)
 * and are ignored, so "idle has no session" holds whatever order callbacks land in.
 */
import type { SessionErrorInfo } from './errors.js';
import type { SessionState } from './state.js';
import { initialState } from './state.js';
import type { TokenStatus } from './token.js';
import type { ConnectedInfo } from './transport/types.js';

export type Input =
  | { type: 'LOGIN' }
  | { type: 'CONNECT' }
  | { type: 'CONNECTED'; now: number; info: ConnectedInfo }
  | { type: 'CONNECTION_LOST'; now: number; retryAt: number | null; resumeWindowMs: number }
  | { type: 'RETRY_SCHEDULED'; now: number; attempt: number; at: number | null; resumeWindowMs: number }
  | { type: 'ATTEMPT'; now: number; attempt: number }
  | { type: 'RECONNECTION_FAILED'; error: SessionErrorInfo }
  | { type: 'TOKEN_EXPIRED'; now: number; resumeWindowMs: number }
  | { type: 'LOGIN_FAILED'; error: SessionErrorInfo }
  | { type: 'LOGGED_OUT' }
  | { type: 'TOKEN'; expiresAt: number | null; status: TokenStatus }
  | { type: 'TOKEN_STATUS'; status: TokenStatus }
  | { type: 'NETWORK'; online: boolean }
  | { type: 'OUTBOX'; size: number }
  | { type: 'SEQ'; seq: number }
  | { type: 'ERROR'; error: SessionErrorInfo | null };

/** Start of this outage (kept across cycles of one outage) and the end of its resume window. */
function outage(state: SessionState, now: number, resumeWindowMs: number) {
  const connectionLostAt = state.connectionLostAt ?? now;
  return {
    connectionLostAt,
    sessionExpiresAt: state.sessionId === null ? null : connectionLostAt + resumeWindowMs,
  };
}

export function transition(state: SessionState, input: Input): SessionState {
  switch (input.type) {
    case 'LOGIN':
    case 'CONNECT':
      if (input.type === 'CONNECT' && state.status === 'idle') return state;
      return { ...state, status: 'connecting', error: null, retryCount: 0, nextRetryAt: null };

    case 'CONNECTED': {
      if (state.status === 'idle') return state;
      const { sessionId, userId } = input.info;
      const resumed = state.sessionId !== null && state.sessionId === sessionId;
      return {
        ...state,
        status: 'connected',
        disconnectReason: null,
        retryCount: 0,
        nextRetryAt: null,
        connectionLostAt: null,
        sessionExpiresAt: null,
        sessionId,
        userId,
        // resumed: null (issue 18): the transport cannot tell, so the store does not claim either.
        lastConnect: input.info.resumed === null ? null : resumed ? 'resumed' : 'new',
        error: null,
        lastSeq: resumed ? state.lastSeq : 0,
      };
    }

    case 'CONNECTION_LOST':
      if (state.status === 'idle') return state;
      return {
        ...state,
        ...outage(state, input.now, input.resumeWindowMs),
        status: 'reconnecting',
        disconnectReason: 'CONNECTION_FAILED',
        retryCount: 0,
        nextRetryAt: input.retryAt ?? input.now,
      };

    case 'RETRY_SCHEDULED':
      if (state.status !== 'reconnecting' && state.status !== 'connecting') return state;
      return {
        ...state,
        ...outage(state, input.now, input.resumeWindowMs),
        status: 'reconnecting',
        disconnectReason: state.disconnectReason ?? 'CONNECTION_FAILED',
        retryCount: Math.min(state.maxRetries, Math.max(0, input.attempt - 1)),
        nextRetryAt: input.at ?? input.now,
      };

    case 'ATTEMPT':
      if (state.status !== 'reconnecting') return state;
      return { ...state, retryCount: Math.min(state.maxRetries, input.attempt), nextRetryAt: input.now };

    case 'RECONNECTION_FAILED':
      if (state.status !== 'reconnecting' && state.status !== 'connecting') return state;
      return {
        ...state,
        status: 'disconnected',
        disconnectReason: 'CONNECTION_FAILED',
        nextRetryAt: null,
        error: input.error,
      };

    case 'TOKEN_EXPIRED':
      if (state.status === 'idle') return state;
      return {
        ...state,
        ...outage(state, input.now, input.resumeWindowMs),
        status: 'disconnected',
        disconnectReason: 'TOKEN_EXPIRED',
        retryCount: 0,
        nextRetryAt: null,
        tokenStatus: 'expired',
      };

    case 'LOGIN_FAILED':
      if (state.status === 'idle') return state;
      return { ...state, status: 'disconnected', retryCount: 0, nextRetryAt: null, error: input.error };

    case 'LOGGED_OUT':
      return initialState(state.maxRetries, state.network);

    case 'TOKEN':
      return { ...state, tokenExpiresAt: input.expiresAt, tokenStatus: input.status };

    case 'TOKEN_STATUS':
      return state.tokenStatus === input.status ? state : { ...state, tokenStatus: input.status };

    case 'NETWORK': {
      const network = input.online ? 'online' : 'offline';
      return state.network === network ? state : { ...state, network };
    }

    case 'OUTBOX':
      return state.outboxSize === input.size ? state : { ...state, outboxSize: input.size };

    case 'SEQ':
      return input.seq <= state.lastSeq ? state : { ...state, lastSeq: input.seq };

    case 'ERROR':
      return { ...state, error: input.error };
  }
}

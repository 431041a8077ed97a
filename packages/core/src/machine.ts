/**
 * The connection machine's states (design §2.4), a tagged union in the spirit of Liveblocks'
 * `@connecting.backoff` / `@ok.connected`: the prefix is the public status, the rest says what
 * the engine is doing. Entering a state arms its timers and leaving it cancels them (session.ts);
 * the public store fields are derived from the state here, in one place.
 *
 *   @idle ──login──▶ @connecting.token ──token──▶ @connecting.attempt ──success──▶ @ok.connected
 *                                                    │ fails                         │ lost
 *                                                    ▼                               ▼
 *   @disconnected.failed ◀──last attempt fails── @reconnecting.attempt ◀──due── @reconnecting.backoff
 *            │ connect()                             ▲ online                      │ offline
 *            ▼                                       └──────── @reconnecting.offline ◀┘
 *   @connecting.attempt (manual)        4001 ─▶ @disconnected.token   4401 ─▶ @disconnected.refused
 */
import type { SessionErrorInfo } from './errors.js';
import type { ConnectionStatus } from './state.js';

export type MachineState =
  | { name: '@idle' }
  /** login() without a token: fetchToken is running. */
  | { name: '@connecting.token' }
  /** A login or manual connect() attempt is in flight. */
  | { name: '@connecting.attempt'; kind: 'login' | 'manual' }
  | { name: '@ok.connected' }
  /** Waiting for automatic attempt `attempt`, due at `at` (null: the transport's loop does not say). */
  | { name: '@reconnecting.backoff'; attempt: number; at: number | null }
  | { name: '@reconnecting.attempt'; attempt: number; startedAt: number }
  /** The browser is offline: attempt `attempt` waits for it, and no attempt is spent. */
  | { name: '@reconnecting.offline'; attempt: number }
  /** Nothing retries: every attempt failed, the server is unreachable, or no token could be had. */
  | { name: '@disconnected.failed'; error: SessionErrorInfo; at: number; attempts: number }
  /** The token expired (TOKEN_EXPIRED): waiting for a new one (fetchToken, or updateToken + connect()). */
  | { name: '@disconnected.token' }
  /** The server refused the token (login_failed). */
  | { name: '@disconnected.refused'; error: SessionErrorInfo; at: number };

export type StateName = MachineState['name'];

export function statusOf(state: MachineState): ConnectionStatus {
  const dot = state.name.indexOf('.');
  const prefix = state.name.slice(1, dot === -1 ? undefined : dot);
  return (prefix === 'ok' ? 'connected' : prefix) as ConnectionStatus;
}

/** retryCount and nextRetryAt (design §2.1) of a state. */
export function retryFields(state: MachineState): { retryCount: number; nextRetryAt: number | null } {
  switch (state.name) {
    case '@reconnecting.backoff':
      return { retryCount: state.attempt - 1, nextRetryAt: state.at };
    case '@reconnecting.attempt':
      return { retryCount: state.attempt, nextRetryAt: state.startedAt };
    case '@reconnecting.offline':
      return { retryCount: state.attempt - 1, nextRetryAt: null };
    case '@disconnected.failed':
      return { retryCount: state.attempts, nextRetryAt: null };
    default:
      return { retryCount: 0, nextRetryAt: null };
  }
}

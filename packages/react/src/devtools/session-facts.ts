/**
 * What the devtools read beyond the store's public fields, in one place. Core exposes only
 * `outboxSize` and `tokenExpiresAt` today; when it exposes the queued messages or the token's
 * `iat`, read them here and the views below show them without other changes.
 */
import type { Session, SessionState } from '@nexmo-session/core';

export interface OutboxEntryFacts {
  mid: string;
  body: unknown;
  /** 'waiting' for the connection, or 'in-flight' (sent, not yet acknowledged). */
  phase: 'waiting' | 'in-flight';
}

export interface OutboxFacts {
  size: number;
  /** The messages themselves, or null while core does not expose them. */
  entries: readonly OutboxEntryFacts[] | null;
}

export function readOutbox(_session: Session, state: SessionState): OutboxFacts {
  return { size: state.outboxSize, entries: null };
}

/** The current token's `iat` in epoch ms, or null while core does not expose it. */
export function readTokenIssuedAt(_session: Session, _state: SessionState): number | null {
  return null;
}

/**
 * What the devtools read beyond the store's public fields, all from core's `session.debug`: the
 * machine state, the outbox's messages, the token's life. Nothing here recomputes an engine rule
 * (when a token is refreshed, which message is on the wire): the engine says.
 */
import type { Session } from '@nexmo-session/core';

export interface OutboxEntryFacts {
  mid: string;
  body: unknown;
  /** When it went on the wire (session clock); null while it waits its turn (offline, flow control). */
  sentAt: number | null;
}

export interface TokenFacts {
  /** From the JWT's `iat`, on the local clock; null when the token has none. */
  issuedAt: number | null;
  /** When the engine's proactive refresh is due; null without fetchToken. */
  refreshAt: number | null;
  expiresAt: number | null;
}

export const readMachineState = (session: Session): string => session.debug.state();
export const readOutbox = (session: Session): readonly OutboxEntryFacts[] => session.debug.outbox();
export const readToken = (session: Session): TokenFacts => session.debug.token();

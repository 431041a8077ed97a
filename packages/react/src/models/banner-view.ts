/**
 * The banner as a pure function of the store: core derives `store.notice` (the showAfterMs
 * debounce, the attempt and its phase, the timed "reconnected"); this only picks what to show
 * and the numbers the markup needs. Used as the banner's selector, so the banner re-renders only
 * when one of these fields changes.
 */
import type { SessionState } from '@nexmo-session/core';
import type { BannerMessages } from '../messages.js';

export type BannerState =
  | 'hidden'
  | 'reconnecting'
  | 'failed'
  | 'offline'
  | 'reconnected'
  | 'session-lost'
  | 'login-failed';

export interface BannerModel {
  state: BannerState;
  /**
   * While reconnecting: the attempt running (`phase: 'trying'`; the store's `retryCount` and the
   * `reconnecting(n)` event) or the one waited for (`phase: 'waiting'`). 0 for a `connect()` made
   * outside the automatic cycle (Reconnect after a failure, recovery with a new token), and when
   * not reconnecting.
   */
  attempt: number;
  /** While reconnecting: waiting for `attempt`, or trying it. Null otherwise. */
  phase: 'waiting' | 'trying' | null;
  maxRetries: number;
  /** While waiting: when `attempt` starts (the countdown's target); null otherwise or when the transport's loop does not say. */
  nextRetryAt: number | null;
  /** After failure: the end of the resume window (the countdown's target); null otherwise. */
  sessionExpiresAt: number | null;
}

export type BannerFacts = Pick<SessionState, 'notice' | 'maxRetries' | 'nextRetryAt' | 'sessionExpiresAt'>;

export function bannerView(s: BannerFacts): BannerModel {
  const { notice, maxRetries } = s;
  const model: BannerModel = {
    state: 'hidden',
    attempt: 0,
    phase: null,
    maxRetries,
    nextRetryAt: null,
    sessionExpiresAt: null,
  };
  switch (notice?.kind) {
    case 'reconnecting':
      model.state = 'reconnecting';
      model.attempt = notice.attempt;
      model.phase = notice.phase;
      model.nextRetryAt = notice.phase === 'waiting' ? s.nextRetryAt : null;
      break;
    case 'failed':
      model.state = 'failed';
      model.sessionExpiresAt = s.sessionExpiresAt;
      break;
    // "resumed" and "reconnected" read the same to a user; the data-state says connected again.
    case 'resumed':
    case 'reconnected':
      model.state = 'reconnected';
      break;
    case 'offline':
    case 'session-lost':
    case 'login-failed':
      model.state = notice.kind;
      break;
  }
  return model;
}

/** The banner's announced text: progress for the polite live region, failures for role="alert". */
export function bannerText(model: BannerModel, m: BannerMessages): { polite: string; alert: string } {
  const { state, attempt } = model;
  const numbers = { attempt, maxRetries: model.maxRetries };
  return {
    polite:
      state === 'reconnecting'
        ? model.phase === 'waiting'
          ? m.waiting(numbers)
          : attempt > 0
            ? m.reconnecting(numbers)
            : m.reconnectingNow
        : state === 'offline'
          ? m.offline
          : state === 'reconnected'
            ? m.reconnected
            : '',
    alert:
      state === 'failed'
        ? m.failed
        : state === 'session-lost'
          ? m.sessionLost
          : state === 'login-failed'
            ? m.loginFailed
            : '',
  };
}

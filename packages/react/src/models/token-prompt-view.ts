/**
 * The token prompt as a pure function of the store plus what only the component knows (whether
 * the app gave `onRefresh`, and how the app's own refresh went). Rules (design §4):
 * - With `fetchToken` the engine keeps the token fresh, so "expiring" shows only when a refresh
 *   failed (store.error `fetch_token_failed` / `token_invalid`); a routine refresh never shows,
 *   not even as "refreshing". Without it, "expiring" shows inside `tokenExpiringMs`.
 * - After TOKEN_EXPIRED: "expired" (with `fetchToken` the engine is already fetching, so that
 *   reads "refreshing"), then "refresh-failed" if getting a token failed.
 * - The button runs the engine's own recovery, never a copy of it: `refreshToken()` (after
 *   TOKEN_EXPIRED the engine reconnects by itself), `connect()` when no token could be had at all,
 *   or without `fetchToken` the app's `onRefresh` with `updateToken(t)` + `connect()`.
 */
import type { SessionState } from '@nexmo-session/core';

export type TokenPromptState = 'hidden' | 'expiring' | 'refreshing' | 'expired' | 'refresh-failed';

/** What the prompt's button does; null: no button. */
export type TokenPromptAction = 'refresh' | 'connect' | 'app' | null;

export interface TokenPromptModel {
  state: TokenPromptState;
  /** While expiring: the token's expiry (the countdown's target); null otherwise. */
  tokenExpiresAt: number | null;
  /** After TOKEN_EXPIRED or a failed refresh: the end of the resume window; null otherwise. */
  sessionExpiresAt: number | null;
  action: TokenPromptAction;
}

export interface TokenPromptContext {
  /** The session has `fetchToken` (`session.canRefreshToken`). */
  autoRefresh: boolean;
  /** The app gave `onRefresh` (used only without `fetchToken`). */
  appRefresh: boolean;
  /** The app's `onRefresh` (and the updateToken/connect after it) is running. */
  pending: boolean;
  /**
   * The app's `onRefresh` (or the updateToken/connect after it) failed while the token expiring at
   * `tokenExpiresAt` was in use; null when it did not. A new token makes the failure old news.
   */
  failed: { tokenExpiresAt: number | null } | null;
}

export type TokenPromptFacts = Pick<
  SessionState,
  'status' | 'disconnectReason' | 'tokenStatus' | 'tokenExpiresAt' | 'sessionExpiresAt' | 'error'
>;

const refreshErrors: ReadonlySet<string> = new Set(['error:client:fetch_token_failed', 'error:client:token_invalid']);

export function promptView(s: TokenPromptFacts, ctx: TokenPromptContext): TokenPromptModel {
  const refreshFailed = s.error !== null && refreshErrors.has(s.error.type);
  const expired = s.status === 'disconnected' && s.disconnectReason === 'TOKEN_EXPIRED';
  // Disconnected because no token could be had at all (fetchToken failed at login).
  const noToken = s.status === 'disconnected' && refreshFailed && !expired;
  const expiring = s.status === 'connected' && s.tokenStatus === 'expiring' && (!ctx.autoRefresh || refreshFailed);
  const appFailed = ctx.failed !== null && ctx.failed.tokenExpiresAt === s.tokenExpiresAt;

  let state: TokenPromptState = 'hidden';
  if (ctx.pending) state = 'refreshing';
  else if (s.tokenStatus === 'refreshing' && (expired || refreshFailed)) state = 'refreshing';
  else if (appFailed || (refreshFailed && (expired || noToken))) state = 'refresh-failed';
  else if (expired) state = 'expired';
  else if (expiring) state = 'expiring';

  let action: TokenPromptAction = null;
  if (state === 'expiring' || state === 'expired' || state === 'refresh-failed') {
    if (ctx.autoRefresh) action = noToken ? 'connect' : 'refresh';
    else if (ctx.appRefresh) action = 'app';
  }
  return {
    state,
    tokenExpiresAt: state === 'expiring' ? s.tokenExpiresAt : null,
    sessionExpiresAt: state === 'expired' || state === 'refresh-failed' ? s.sessionExpiresAt : null,
    action,
  };
}

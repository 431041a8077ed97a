/**
 * Token lifecycle prompt: expiring soon (time left + refresh), refreshing, expired after
 * TOKEN_EXPIRED (with the resume-window countdown), refresh failed. Refresh uses `onRefresh`
 * (return a new token, or do it yourself) or, without it, the session's fetchToken.
 */
import type { SessionState } from '@nexmo-session/core';
import type { MouseEvent, ReactNode } from 'react';
import { useState } from 'react';
import { useSessionInstance } from '../../context.js';
import { formatSeconds } from '../../hooks/use-countdown.js';
import { shallowEqual, useStoreSelector } from '../../hooks/use-store-selector.js';
import type { TokenPromptMessages } from '../../messages.js';
import { defaultTokenPromptMessages } from '../../messages.js';
import { composeHandler } from '../compose.js';
import { Countdown } from '../countdown.js';

export type TokenPromptState = 'hidden' | 'expiring' | 'refreshing' | 'expired' | 'refresh-failed';

export interface TokenPromptView {
  state: TokenPromptState;
  tokenExpiresAt: number | null;
  sessionExpiresAt: number | null;
  canRefresh: boolean;
  refresh: () => void;
}

export interface TokenRefreshPromptProps {
  /**
   * Get a new token. Return it (the prompt calls `updateToken` and reconnects) or apply it
   * yourself and return nothing. Without it the prompt uses the session's `fetchToken`.
   */
  onRefresh?: () => Promise<string | undefined>;
  /** Any of the prompt's strings (i18n); the rest stay English. See `defaultTokenPromptMessages`. */
  messages?: Partial<TokenPromptMessages>;
  /** Added to `nxs-token-prompt` on the root element. */
  className?: string;
  /** Runs before the refresh button refreshes; call `event.preventDefault()` to skip that. */
  onRefreshClick?: (event: MouseEvent<HTMLButtonElement>) => void;
  /** Render prop: full control over the visible part; the live region and the alert stay the prompt's. */
  children?: (view: TokenPromptView) => ReactNode;
}

const select = (s: SessionState) => ({
  status: s.status,
  disconnectReason: s.disconnectReason,
  tokenStatus: s.tokenStatus,
  tokenExpiresAt: s.tokenExpiresAt,
  sessionExpiresAt: s.sessionExpiresAt,
  refreshFailed: s.error?.type === 'error:client:fetch_token_failed',
});

/**
 * The token's lifecycle for the user: expiring soon (time left and a refresh button), refreshing,
 * expired after TOKEN_EXPIRED (with the resume-window countdown), refresh failed. Its state is on
 * `data-state`.
 */
export function TokenRefreshPrompt(props: TokenRefreshPromptProps): ReactNode {
  const session = useSessionInstance('TokenRefreshPrompt');
  const s = useStoreSelector(session.store, select, shallowEqual);
  const m = { ...defaultTokenPromptMessages, ...props.messages };
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);
  const canRefresh = props.onRefresh !== undefined || session.canRefreshToken;

  const expired = s.status === 'disconnected' && s.disconnectReason === 'TOKEN_EXPIRED';
  let state: TokenPromptState = 'hidden';
  if (busy || s.tokenStatus === 'refreshing') state = 'refreshing';
  else if (failed || (s.refreshFailed && s.tokenStatus !== 'valid')) state = 'refresh-failed';
  else if (expired) state = 'expired';
  else if (s.tokenStatus === 'expiring' && s.status === 'connected') state = 'expiring';

  const refresh = () => {
    if (busy) return;
    setBusy(true);
    setFailed(false);
    (async () => {
      if (props.onRefresh) {
        const token = await props.onRefresh();
        if (typeof token === 'string') await session.updateToken(token);
      } else {
        await session.refreshToken();
      }
      if (session.getState().status === 'disconnected') await session.connect();
    })()
      .catch(() => setFailed(true))
      .finally(() => setBusy(false));
  };

  const view: TokenPromptView = {
    state,
    tokenExpiresAt: s.tokenExpiresAt,
    sessionExpiresAt: s.sessionExpiresAt,
    canRefresh,
    refresh,
  };
  const isAlert = state === 'expired' || state === 'refresh-failed';
  const button =
    canRefresh && state !== 'refreshing' && state !== 'hidden' ? (
      <button type="button" className="nxs-button" onClick={composeHandler(props.onRefreshClick, refresh)}>
        {state === 'refresh-failed' ? m.tryAgain : m.refresh}
      </button>
    ) : null;

  return (
    <div className={['nxs-token-prompt', props.className].filter(Boolean).join(' ')} data-state={state}>
      <div role="status" aria-live="polite" aria-atomic="true" className="nxs-token-prompt__message">
        {state === 'refreshing' ? m.refreshing : ''}
      </div>
      {isAlert ? (
        <div role="alert" className="nxs-token-prompt__message">
          {state === 'expired' ? m.expired : m.refreshFailed}
        </div>
      ) : null}
      {props.children ? (
        props.children(view)
      ) : (
        <div className="nxs-token-prompt__details">
          {state === 'expiring' && s.tokenExpiresAt !== null ? (
            <span className="nxs-token-prompt__countdown">
              <Countdown targetMs={s.tokenExpiresAt}>{(sec) => m.expiring({ time: formatSeconds(sec) })}</Countdown>
            </span>
          ) : null}
          {(state === 'expired' || state === 'refresh-failed') && s.sessionExpiresAt !== null ? (
            <span className="nxs-token-prompt__countdown">
              <Countdown targetMs={s.sessionExpiresAt}>{(sec) => m.windowLeft({ time: formatSeconds(sec) })}</Countdown>
            </span>
          ) : null}
          {button}
        </div>
      )}
    </div>
  );
}

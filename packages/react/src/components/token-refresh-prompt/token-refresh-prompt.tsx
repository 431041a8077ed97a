/**
 * A view of the token's life (rules in models/token-prompt-view.ts): out of the way while
 * `fetchToken` keeps the token fresh; expiring (no fetchToken, or a refresh failed), refreshing,
 * expired after TOKEN_EXPIRED (with the resume-window countdown), refresh failed. Its button runs
 * the engine's recovery: `refreshToken()` with fetchToken, else the app's `onRefresh` with
 * `updateToken(t)` + `connect()`.
 */
import type { MouseEvent, ReactNode } from 'react';
import { useState } from 'react';
import { useSessionInstance } from '../../context.js';
import { shallowEqual, useStoreSlice } from '../../hooks/store-slice.js';
import { formatSeconds } from '../../hooks/use-countdown.js';
import type { TokenPromptMessages } from '../../messages.js';
import { defaultTokenPromptMessages } from '../../messages.js';
import type { TokenPromptContext, TokenPromptModel, TokenPromptState } from '../../models/token-prompt-view.js';
import { promptView } from '../../models/token-prompt-view.js';
import { composeHandler } from '../compose.js';
import { Countdown } from '../countdown.js';

export type { TokenPromptState } from '../../models/token-prompt-view.js';

/** What the render prop gets: the prompt's model (see `promptView`) and its action. */
export interface TokenPromptView extends TokenPromptModel {
  /** True when there is something to press (`action` is not null). */
  canRefresh: boolean;
  /** Run `action`: `refreshToken()`, `connect()`, or the app's `onRefresh` + `updateToken` + `connect()`. */
  refresh: () => void;
}

export interface TokenRefreshPromptProps {
  /**
   * For sessions without `fetchToken`: get a new token. Return it (the prompt calls
   * `updateToken(t)`, then `connect()` if the connection was closed) or apply it yourself and
   * return nothing. With `fetchToken` the prompt uses the engine's `refreshToken()` instead.
   */
  onRefresh?: () => Promise<string | undefined>;
  /** Any of the prompt's strings (i18n); the rest stay English. See `defaultTokenPromptMessages`. */
  messages?: Partial<TokenPromptMessages>;
  /** Added to `nxs-token-prompt` on the root element. */
  className?: string;
  /** Runs before the button acts; call `event.preventDefault()` to skip that. */
  onRefreshClick?: (event: MouseEvent<HTMLButtonElement>) => void;
  /** Render prop: full control over the visible part; the live region and the alert stay the prompt's. */
  children?: (view: TokenPromptView) => ReactNode;
}

const ignore = () => {
  /* the outcome is in the store */
};

const buttonLabel = (state: TokenPromptState, m: TokenPromptMessages) =>
  state === 'refresh-failed' ? m.tryAgain : state === 'expired' ? m.signInAgain : m.refresh;

/**
 * The token's lifecycle for the user. With `fetchToken` it stays out of the way (the engine
 * refreshes by itself) unless a refresh failed; without it, "expiring" inside `tokenExpiringMs`
 * with a button that calls your `onRefresh`. After TOKEN_EXPIRED: an alert with the
 * resume-window countdown and "Sign in again". Its state is on `data-state`.
 */
export function TokenRefreshPrompt(props: TokenRefreshPromptProps): ReactNode {
  const session = useSessionInstance('TokenRefreshPrompt');
  const { onRefresh } = props;
  // The app's own refresh (onRefresh) is the one thing the engine does not know about.
  const [app, setApp] = useState<Pick<TokenPromptContext, 'pending' | 'failed'>>({ pending: false, failed: null });
  const ctx = {
    autoRefresh: session.canRefreshToken,
    appRefresh: onRefresh !== undefined,
    ...app,
  };
  const model = useStoreSlice(session.store, (s) => promptView(s, ctx), shallowEqual);
  const m = { ...defaultTokenPromptMessages, ...props.messages };

  const refresh = () => {
    if (model.action === 'refresh') session.refreshToken().catch(ignore);
    else if (model.action === 'connect') session.connect().catch(ignore);
    else if (model.action === 'app' && onRefresh && !app.pending) {
      setApp({ pending: true, failed: null });
      (async () => {
        const token = await onRefresh();
        if (typeof token === 'string') await session.updateToken(token);
        if (session.getState().status === 'disconnected') await session.connect();
      })().then(
        () => setApp({ pending: false, failed: null }),
        () => setApp({ pending: false, failed: { tokenExpiresAt: session.getState().tokenExpiresAt } }),
      );
    }
  };

  const view: TokenPromptView = { ...model, canRefresh: model.action !== null, refresh };
  const { state } = model;
  const alert = state === 'expired' ? m.expired : state === 'refresh-failed' ? m.refreshFailed : '';

  return (
    <div className={['nxs-token-prompt', props.className].filter(Boolean).join(' ')} data-state={state}>
      <div role="status" aria-live="polite" aria-atomic="true" className="nxs-token-prompt__message">
        {state === 'refreshing' ? m.refreshing : ''}
      </div>
      {alert ? (
        <div role="alert" className="nxs-token-prompt__message">
          {alert}
        </div>
      ) : null}
      {props.children ? (
        props.children(view)
      ) : (
        <div className="nxs-token-prompt__details">
          {model.tokenExpiresAt !== null ? (
            <span className="nxs-token-prompt__countdown">
              <Countdown targetMs={model.tokenExpiresAt}>{(sec) => m.expiring({ time: formatSeconds(sec) })}</Countdown>
            </span>
          ) : null}
          {model.sessionExpiresAt !== null ? (
            <span className="nxs-token-prompt__countdown">
              <Countdown targetMs={model.sessionExpiresAt}>
                {(sec) => m.windowLeft({ time: formatSeconds(sec) })}
              </Countdown>
            </span>
          ) : null}
          {view.canRefresh ? (
            <button type="button" className="nxs-button" onClick={composeHandler(props.onRefreshClick, refresh)}>
              {buttonLabel(state, m)}
            </button>
          ) : null}
        </div>
      )}
    </div>
  );
}

/**
 * A view of `store.notice`: core decides what to tell the user and when (the showAfterMs
 * debounce, attempt numbers, the timed "reconnected"; design §2.4.16); this renders it.
 *
 * Accessibility: a polite live region stays mounted for progress; failures use role="alert";
 * countdowns sit outside both, so their ticks are never announced.
 */
import type { MouseEvent, ReactNode } from 'react';
import { useSessionInstance } from '../../context.js';
import { shallowEqual, useStoreSlice } from '../../hooks/store-slice.js';
import { formatSeconds } from '../../hooks/use-countdown.js';
import type { BannerMessages } from '../../messages.js';
import { defaultBannerMessages } from '../../messages.js';
import type { BannerModel } from '../../models/banner-view.js';
import { bannerText, bannerView } from '../../models/banner-view.js';
import { composeHandler } from '../compose.js';
import { Countdown } from '../countdown.js';

export type { BannerState } from '../../models/banner-view.js';

/** What the render prop gets: the banner's model (see `bannerView`) and its actions. */
export interface BannerView extends BannerModel {
  /** Start the attempt waited for now (`session.retryNow()`; it costs no extra attempt). */
  retryNow: () => void;
  /** After failure: `session.connect()`, a fresh cycle (resumes inside the window). */
  reconnect: () => void;
  /** Clear the session-lost notice (`session.dismissNotice()`). */
  dismiss: () => void;
}

export interface ConnectionBannerProps {
  /** Any of the banner's strings (i18n); the rest stay English. See `defaultBannerMessages`. */
  messages?: Partial<BannerMessages>;
  /** Added to `nxs-banner` on the root element. */
  className?: string;
  /** Runs before "Retry now" starts the attempt waited for; call `event.preventDefault()` to skip that. */
  onRetryNow?: (event: MouseEvent<HTMLButtonElement>) => void;
  /** Runs before "Reconnect" calls `connect()`; call `event.preventDefault()` to skip that. */
  onReconnect?: (event: MouseEvent<HTMLButtonElement>) => void;
  /**
   * Render prop: full control over the visible part, given the banner's view (state, attempt and
   * phase, countdown targets, actions). The live region and the alert stay the banner's.
   */
  children?: (view: BannerView) => ReactNode;
}

const ignore = () => {
  /* the outcome is in the store */
};

/**
 * Tells the user what the connection is doing, from the session's `store.notice`: hidden while
 * connected and during blips shorter than the session's `notices.showAfterMs`; "waiting for
 * attempt n" with a countdown and Retry now; "reconnecting (attempt n of 5)" while it runs;
 * failure with Reconnect and the time left in the resume window; offline; session lost; a short
 * "reconnected". Progress goes to a polite live region, failures to `role="alert"`; its state is
 * on `data-state`.
 */
export function ConnectionBanner(props: ConnectionBannerProps): ReactNode {
  const session = useSessionInstance('ConnectionBanner');
  const model = useStoreSlice(session.store, bannerView, shallowEqual);
  const m = { ...defaultBannerMessages, ...props.messages };
  const view: BannerView = {
    ...model,
    retryNow: () => session.retryNow(),
    reconnect: () => session.connect().catch(ignore),
    dismiss: () => session.dismissNotice(),
  };
  const { polite, alert } = bannerText(model, m);

  return (
    <div className={['nxs-banner', props.className].filter(Boolean).join(' ')} data-state={model.state}>
      <div role="status" aria-live="polite" aria-atomic="true" className="nxs-banner__message">
        {polite}
      </div>
      {alert ? (
        <div role="alert" className="nxs-banner__message">
          {alert}
        </div>
      ) : null}
      {props.children ? props.children(view) : <BannerDetails view={view} m={m} props={props} />}
    </div>
  );
}

function BannerDetails({ view, m, props }: { view: BannerView; m: BannerMessages; props: ConnectionBannerProps }) {
  if (view.state === 'reconnecting') {
    const { attempt, nextRetryAt } = view;
    const trying = view.phase === 'trying';
    return (
      <div className="nxs-banner__details">
        {
          trying ? (
            <span className="nxs-banner__countdown">{m.connectingNow}</span>
          ) : nextRetryAt !== null ? (
            <span className="nxs-banner__countdown">
              {/* Keyed by its target, so each attempt's countdown starts from its own first second. */}
              <Countdown key={nextRetryAt} targetMs={nextRetryAt}>
                {(seconds) => (seconds > 0 ? m.retryingIn({ attempt, seconds }) : m.connectingNow)}
              </Countdown>
            </span>
          ) : null /* a transport whose own loop keeps the time to itself: no countdown, never a guess */
        }
        {/*
          Stays mounted (and focused) while the attempt it started runs: aria-disabled, not
          removed or `disabled`, so a keyboard user's focus is not dropped to the page.
        */}
        <button
          type="button"
          className="nxs-button"
          aria-disabled={trying || undefined}
          onClick={trying ? undefined : composeHandler(props.onRetryNow, view.retryNow)}
        >
          {m.retryNow}
        </button>
      </div>
    );
  }
  if (view.state === 'failed') {
    return (
      <div className="nxs-banner__details">
        {view.sessionExpiresAt !== null ? (
          <span className="nxs-banner__countdown">
            <Countdown targetMs={view.sessionExpiresAt}>
              {(seconds) => (seconds > 0 ? m.windowLeft({ time: formatSeconds(seconds) }) : m.windowPassed)}
            </Countdown>
          </span>
        ) : null}
        <button type="button" className="nxs-button" onClick={composeHandler(props.onReconnect, view.reconnect)}>
          {m.reconnect}
        </button>
      </div>
    );
  }
  if (view.state === 'session-lost') {
    return (
      <div className="nxs-banner__details">
        <button type="button" className="nxs-button nxs-button--quiet" onClick={view.dismiss}>
          {m.dismiss}
        </button>
      </div>
    );
  }
  return null;
}

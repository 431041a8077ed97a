/**
 * Shows the connection lifecycle: hidden while connected; reconnecting (after `showAfterMs`, so
 * blips do not flash) with the attempt, a countdown and "Retry now"; failure with "Reconnect" and
 * the time left in the resume window; offline; session lost; a short "reconnected" confirmation.
 *
 * Accessibility: a polite live region stays mounted for progress; failures use role="alert";
 * countdowns sit outside both, so their ticks are never announced.
 */
import type { SessionState } from '@nexmo-session/core';
import type { MouseEvent, ReactNode } from 'react';
import { useEffect, useState } from 'react';
import { useSessionInstance } from '../../context.js';
import { formatSeconds } from '../../hooks/use-countdown.js';
import { shallowEqual, useStoreSelector } from '../../hooks/use-store-selector.js';
import type { BannerMessages } from '../../messages.js';
import { defaultBannerMessages } from '../../messages.js';
import { composeHandler } from '../compose.js';
import { Countdown } from '../countdown.js';

export type BannerState =
  | 'hidden'
  | 'reconnecting'
  | 'failed'
  | 'offline'
  | 'reconnected'
  | 'session-lost'
  | 'login-failed';

export interface BannerView {
  state: BannerState;
  /** The attempt running now or about to run (1-based), while reconnecting. */
  attempt: number;
  maxRetries: number;
  nextRetryAt: number | null;
  sessionExpiresAt: number | null;
  retryNow: () => void;
  reconnect: () => void;
  dismiss: () => void;
}

export interface ConnectionBannerProps {
  /**
   * Delay before showing "reconnecting", so short blips do not flash. A banner that mounts in
   * the middle of a longer outage shows it at once.
   * @default 1000
   */
  showAfterMs?: number;
  /**
   * How long the "reconnected" confirmation stays.
   * @default 3000
   */
  reconnectedMs?: number;
  /** Any of the banner's strings (i18n); the rest stay English. See `defaultBannerMessages`. */
  messages?: Partial<BannerMessages>;
  /** Added to `nxs-banner` on the root element. */
  className?: string;
  /** Runs before "Retry now" starts the next attempt; call `event.preventDefault()` to skip that. */
  onRetryNow?: (event: MouseEvent<HTMLButtonElement>) => void;
  /** Runs before "Reconnect" calls `connect()`; call `event.preventDefault()` to skip that. */
  onReconnect?: (event: MouseEvent<HTMLButtonElement>) => void;
  /**
   * Render prop: full control over the visible part, given the banner's view (state, attempt,
   * countdown targets, actions). The live region and the alert stay the banner's.
   */
  children?: (view: BannerView) => ReactNode;
}

const select = (s: SessionState) => ({
  status: s.status,
  retryCount: s.retryCount,
  maxRetries: s.maxRetries,
  nextRetryAt: s.nextRetryAt,
  connectionLostAt: s.connectionLostAt,
  sessionExpiresAt: s.sessionExpiresAt,
  sessionId: s.sessionId,
  network: s.network,
  errorType: s.error?.type ?? null,
});

type Slice = ReturnType<typeof select>;
type Milestones = Pick<Slice, 'status' | 'connectionLostAt' | 'sessionId'>;
const milestones = ({ status, connectionLostAt, sessionId }: Slice): Milestones => ({
  status,
  connectionLostAt,
  sessionId,
});
const changed = (a: Milestones, b: Slice) =>
  a.status !== b.status || a.connectionLostAt !== b.connectionLostAt || a.sessionId !== b.sessionId;

const alertStates: ReadonlySet<BannerState> = new Set(['failed', 'session-lost', 'login-failed']);

/**
 * Tells the user what the connection is doing: hidden while connected; "reconnecting" with the
 * attempt, a countdown and Retry now; failure with Reconnect and the time left in the resume
 * window; offline; session lost; a short "reconnected". Progress goes to a polite live region,
 * failures to `role="alert"`; its state is on `data-state`.
 */
export function ConnectionBanner(props: ConnectionBannerProps): ReactNode {
  const { showAfterMs = 1000, reconnectedMs = 3000, className } = props;
  const session = useSessionInstance('ConnectionBanner');
  const { clock } = session;
  const s = useStoreSelector(session.store, select, shallowEqual);
  const m = { ...defaultBannerMessages, ...props.messages };
  const [notice, setNotice] = useState<'reconnected' | 'session-lost' | null>(null);
  /** The outage (by its connectionLostAt) this banner has shown, or is due to show now. */
  const [shownOutage, setShownOutage] = useState<number | null>(null);

  const outage = s.status === 'reconnecting' || (s.status === 'connecting' && s.connectionLostAt !== null);
  // Visible once the outage has lasted showAfterMs: by the timer below, or at once for a banner
  // that mounts in the middle of a longer outage.
  const outageVisible =
    outage &&
    s.connectionLostAt !== null &&
    (shownOutage === s.connectionLostAt || clock.now() - s.connectionLostAt >= showAfterMs);

  // Reveal the reconnecting state only once the outage has lasted showAfterMs.
  useEffect(() => {
    if (!outage || s.connectionLostAt === null || shownOutage === s.connectionLostAt) return;
    const lostAt = s.connectionLostAt;
    const handle = clock.setTimeout(() => setShownOutage(lostAt), Math.max(0, lostAt + showAfterMs - clock.now()));
    return () => clock.clearTimeout(handle);
  }, [outage, s.connectionLostAt, shownOutage, showAfterMs, clock]);

  // Notices follow the store's milestones, adjusted during the render that sees them change, so
  // "reconnecting" turns into "reconnected" in one commit. (From `reconnect`/`session:lost`
  // listeners, React 18 commits a hidden banner in between: it schedules a state update from
  // outside React later than the store update.) Only status, connectionLostAt and sessionId are
  // compared, so retry ticks cost no second render pass. Only an outage the user saw is
  // confirmed: a blip that never showed the banner, or an "offline" notice while the socket
  // stayed up (no outage at all), stays silent.
  const [previous, setPrevious] = useState(() => milestones(s));
  if (changed(previous, s)) {
    setPrevious(milestones(s));
    const reconnected = s.status === 'connected' && previous.status !== 'connected';
    if (reconnected && previous.sessionId !== null && s.sessionId !== previous.sessionId) {
      setNotice('session-lost');
    } else if (reconnected && shownOutage !== null && shownOutage === previous.connectionLostAt) {
      setNotice('reconnected');
    } else if (s.connectionLostAt !== null && previous.connectionLostAt === null) {
      setNotice(null); // a new outage ends an old notice
    }
    if (reconnected) setShownOutage(null);
  }

  useEffect(() => {
    if (notice !== 'reconnected') return;
    const handle = clock.setTimeout(() => setNotice(null), reconnectedMs);
    return () => clock.clearTimeout(handle);
  }, [notice, reconnectedMs, clock]);

  let state: BannerState = 'hidden';
  if (s.status === 'disconnected' && s.errorType === 'error:client:reconnection_failed') state = 'failed';
  else if (s.status === 'disconnected' && s.errorType === 'error:client:login_failed') state = 'login-failed';
  else if (s.network === 'offline' && s.status !== 'idle') state = 'offline';
  else if (outageVisible) state = 'reconnecting';
  else if (s.status === 'connected' && notice === 'session-lost') state = 'session-lost';
  else if (s.status === 'connected' && notice === 'reconnected') state = 'reconnected';

  const outageShown = state === 'reconnecting' || state === 'failed' || state === 'offline';
  if (outageShown && s.connectionLostAt !== null && shownOutage !== s.connectionLostAt) {
    setShownOutage(s.connectionLostAt);
  }

  const waiting = s.nextRetryAt !== null && s.nextRetryAt > clock.now();
  const attempt = Math.max(1, Math.min(s.maxRetries, waiting ? s.retryCount + 1 : s.retryCount));
  const view: BannerView = {
    state,
    attempt,
    maxRetries: s.maxRetries,
    nextRetryAt: s.nextRetryAt,
    sessionExpiresAt: s.sessionExpiresAt,
    retryNow: () => session.retryNow(),
    reconnect: () => {
      session.connect().catch(() => {
        /* the outcome is in the store */
      });
    },
    dismiss: () => setNotice(null),
  };

  const polite =
    state === 'reconnecting'
      ? m.reconnecting({ attempt, maxRetries: s.maxRetries })
      : state === 'offline'
        ? m.offline
        : state === 'reconnected'
          ? m.reconnected
          : '';
  const alert =
    state === 'failed'
      ? m.failed
      : state === 'session-lost'
        ? m.sessionLost
        : state === 'login-failed'
          ? m.loginFailed
          : '';

  return (
    <div className={['nxs-banner', className].filter(Boolean).join(' ')} data-state={state}>
      <div role="status" aria-live="polite" aria-atomic="true" className="nxs-banner__message">
        {polite}
      </div>
      {alertStates.has(state) ? (
        <div role="alert" className="nxs-banner__message">
          {alert}
        </div>
      ) : null}
      {props.children ? props.children(view) : <BannerDetails view={view} m={m} props={props} />}
    </div>
  );
}

function BannerDetails({ view, m, props }: { view: BannerView; m: BannerMessages; props: ConnectionBannerProps }) {
  if (view.state === 'reconnecting' || (view.state === 'offline' && view.nextRetryAt !== null)) {
    return (
      <div className="nxs-banner__details">
        {view.nextRetryAt !== null ? (
          <span className="nxs-banner__countdown">
            <Countdown targetMs={view.nextRetryAt}>
              {(seconds) => (seconds > 0 ? m.retryingIn({ seconds }) : m.connectingNow)}
            </Countdown>
          </span>
        ) : null}
        <button type="button" className="nxs-button" onClick={composeHandler(props.onRetryNow, view.retryNow)}>
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

/**
 * `<SessionDevtools />`: a development panel for a session, like TanStack Query's devtools. A
 * small button opens a panel with the machine state and notice, the event timeline, the store,
 * the token's life, the outbox (all read from core, `session.debug`), and fault buttons for a
 * simulated transport. It records events from the moment it mounts, open
 * or closed. Import it from `@nexmo-session/react/devtools`: it is in no bundle otherwise.
 */
import type { Session } from '@nexmo-session/core';
import type { KeyboardEvent, ReactNode } from 'react';
import { useContext, useId, useRef, useState } from 'react';
import { SessionContext } from '../context.js';
import { devtoolsCss } from './devtools-styles.js';
import { EventTimeline } from './event-timeline.js';
import { FaultButtons } from './fault-buttons.js';
import { describeNotice } from './format.js';
import { OutboxView } from './outbox-view.js';
import { readMachineState, readOutbox, readToken } from './session-facts.js';
import { StoreView } from './store-view.js';
import { TokenBar } from './token-bar.js';
import { tokenLife } from './token-life.js';
import type { SessionRecording } from './use-session-recorder.js';
import { useSessionRecorder } from './use-session-recorder.js';
import { useNow, useSessionState } from './use-session-state.js';

export interface SessionDevtoolsProps {
  /**
   * Start with the panel open.
   * @default false
   */
  initialIsOpen?: boolean;
  /**
   * `'fixed'`: a button in the bottom-right corner of the page opens a panel along the bottom.
   * `'inline'`: the button and panel sit where you render them (docs, a debug page).
   * @default fixed
   */
  position?: 'fixed' | 'inline';
  /**
   * A simulated transport (`simulatedTransport()` from `@nexmo-session/core/testing`), or anything
   * with its fault methods: shows a button per fault (drop, server down/up, refuse attempts,
   * reject logins, expire token, forget sessions, push an event).
   */
  transport?: unknown;
  /** The session to inspect. Default: the one from the nearest `SessionProvider`. */
  session?: Session;
  /**
   * How many events the timeline keeps (newest first).
   * @default 200
   */
  maxEvents?: number;
  /**
   * The session's `tokenExpiringMs`, to place "expiring" on the token bar (the refresh comes from
   * the session itself).
   * @default 120000
   */
  tokenExpiringMs?: number;
}

/**
 * A development panel for a session: the machine state and notice, the event timeline, the
 * store, the token's life, the outbox and, given a simulated transport, fault buttons. Records from the moment it mounts, open or
 * closed. Drop it inside a SessionProvider: `<SessionDevtools initialIsOpen />`.
 */
export function SessionDevtools(props: SessionDevtoolsProps): ReactNode {
  const session = useDevtoolsSession(props.session);
  const recording = useSessionRecorder(session, props.maxEvents ?? 200);
  const state = useSessionState(session);
  const [open, setOpen] = useState(props.initialIsOpen ?? false);
  const panelId = useId();
  const toggle = useRef<HTMLButtonElement>(null);
  const position = props.position ?? 'fixed';

  const close = () => {
    setOpen(false);
    toggle.current?.focus();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && open) {
      event.stopPropagation();
      close();
    }
  };

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: Escape anywhere in the panel closes it; the controls inside are buttons
    <div className="nxs-devtools" data-position={position} data-state={open ? 'open' : 'closed'} onKeyDown={onKeyDown}>
      <style>{devtoolsCss}</style>
      <button
        ref={toggle}
        type="button"
        className="nxs-devtools__toggle"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen(!open)}
      >
        <span className="nxs-devtools__dot" data-status={state.status} aria-hidden="true" />
        Session devtools
      </button>
      {open ? (
        <DevtoolsPanel id={panelId} session={session} recording={recording} props={props} onClose={close} />
      ) : null}
    </div>
  );
}

function useDevtoolsSession(explicit: Session | undefined): Session {
  const fromContext = useContext(SessionContext);
  const session = explicit ?? fromContext;
  if (!session) {
    throw new Error('SessionDevtools must be used inside <SessionProvider>, or given a session prop.');
  }
  return session;
}

function DevtoolsPanel({
  id,
  session,
  recording,
  props,
  onClose,
}: {
  id: string;
  session: Session;
  recording: SessionRecording;
  props: SessionDevtoolsProps;
  onClose: () => void;
}) {
  const state = useSessionState(session);
  const nowMs = useNow(session.clock);
  const headingId = useId();

  // Read on every render: the panel re-renders on every store change and once a second.
  const token = readToken(session);
  const { issuedAt, expiresAt } = token;
  const startMs = issuedAt ?? (expiresAt === null ? null : (recording.tokenSeenAtMs(expiresAt) ?? nowMs));
  const life =
    expiresAt === null || startMs === null
      ? null
      : tokenLife({
          startMs,
          startKind: issuedAt === null ? 'seen' : 'issued',
          expiresAtMs: expiresAt,
          nowMs,
          refreshAtMs: token.refreshAt,
          expiringMs: props.tokenExpiringMs ?? 120_000,
        });

  return (
    <section id={id} className="nxs-devtools__panel" aria-labelledby={headingId}>
      <header className="nxs-devtools__header">
        <h2 id={headingId} className="nxs-devtools__title">
          Session devtools
        </h2>
        <span className="nxs-devtools__status">
          <code data-testid="machine-state">{readMachineState(session)}</code>
          {state.network === 'offline' ? ' (offline)' : ''}
          {state.sessionId ? ` · ${state.sessionId}` : ''} · notice:{' '}
          <span data-testid="notice">{describeNotice(state.notice)}</span>
        </span>
        <span className="nxs-devtools__header-actions">
          <button type="button" className="nxs-devtools__button nxs-devtools__button--quiet" onClick={recording.clear}>
            Clear events
          </button>
          <button type="button" className="nxs-devtools__button nxs-devtools__button--quiet" onClick={onClose}>
            Close
          </button>
        </span>
      </header>
      {/* Scrolls in the fixed panel, so it takes focus for keyboard scrolling (axe: scrollable-region-focusable). */}
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: see above */}
      <div className="nxs-devtools__body" tabIndex={0}>
        <Section title="Events" className="nxs-devtools__section--events">
          <EventTimeline recording={recording} />
        </Section>
        <Section title="Store">
          <StoreView state={state} nowMs={nowMs} />
        </Section>
        <Section title="Token">
          <TokenBar life={life} startKind={issuedAt === null ? 'seen' : 'issued'} nowMs={nowMs} />
        </Section>
        <Section title="Outbox">
          <OutboxView entries={readOutbox(session)} nowMs={nowMs} />
        </Section>
        <Section title="Faults">
          <FaultButtons transport={props.transport} />
        </Section>
      </div>
    </section>
  );
}

/**
 * A heading and its content, not a landmark: an app's own "Faults" or "Events" region must stay
 * the only one of its name on the page (axe landmark-unique, found by the playground).
 */
function Section({ title, className, children }: { title: string; className?: string; children: ReactNode }) {
  return (
    <div className={['nxs-devtools__section', className].filter(Boolean).join(' ')}>
      <h3 className="nxs-devtools__heading">{title}</h3>
      {children}
    </div>
  );
}

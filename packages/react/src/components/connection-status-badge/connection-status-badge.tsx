/** A compact dot + label for the connection status (no live region: the banner announces). */
import type { SessionState } from '@nexmo-session/core';
import type { ReactNode } from 'react';
import { useSessionInstance } from '../../context.js';
import { useStoreSlice } from '../../hooks/store-slice.js';
import type { BadgeMessages } from '../../messages.js';
import { defaultBadgeMessages } from '../../messages.js';

export type BadgeState = SessionState['status'] | 'offline';

const select = (s: SessionState): BadgeState => (s.network === 'offline' && s.status !== 'idle' ? 'offline' : s.status);

export interface ConnectionStatusBadgeProps {
  /** Labels per state (i18n); the rest stay English. See `defaultBadgeMessages`. */
  messages?: Partial<BadgeMessages>;
  /** Added to `nxs-badge` on the root element. */
  className?: string;
}

/**
 * A compact dot and label for the connection status, with the state on `data-state`. It has no
 * live region: the banner announces changes.
 */
export function ConnectionStatusBadge(props: ConnectionStatusBadgeProps): ReactNode {
  const session = useSessionInstance('ConnectionStatusBadge');
  const state = useStoreSlice(session.store, select);
  const m = { ...defaultBadgeMessages, ...props.messages };
  return (
    <span className={['nxs-badge', props.className].filter(Boolean).join(' ')} data-state={state}>
      <span className="nxs-badge__dot" aria-hidden="true" />
      <span className="nxs-badge__label">{m[state]}</span>
    </span>
  );
}

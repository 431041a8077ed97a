/** A compact dot + label for the connection status (no live region: the banner announces). */
import type { SessionState } from '@nexmo-session/core';
import type { ReactNode } from 'react';
import { useSessionInstance } from '../../context.js';
import { useStoreSelector } from '../../hooks/use-store-selector.js';
import type { BadgeMessages } from '../../messages.js';
import { defaultBadgeMessages } from '../../messages.js';

export type BadgeState = SessionState['status'] | 'offline';

const select = (s: SessionState): BadgeState => (s.network === 'offline' && s.status !== 'idle' ? 'offline' : s.status);

export function ConnectionStatusBadge(props: { messages?: Partial<BadgeMessages>; className?: string }): ReactNode {
  const session = useSessionInstance('ConnectionStatusBadge');
  const state = useStoreSelector(session.store, select);
  const m = { ...defaultBadgeMessages, ...props.messages };
  return (
    <span className={['nxs-badge', props.className].filter(Boolean).join(' ')} data-state={state}>
      <span className="nxs-badge__dot" aria-hidden="true" />
      <span className="nxs-badge__label">{m[state]}</span>
    </span>
  );
}

import type { Clock, Session, SessionState } from '@nexmo-session/core';
import { useEffect, useState, useSyncExternalStore } from 'react';

/** The whole store: the devtools show every field, so every change re-renders them. */
export function useSessionState(session: Session): SessionState {
  return useSyncExternalStore(session.store.subscribe, session.store.getState, session.store.getInitialState);
}

/** The session clock's time, refreshed every `everyMs` while mounted (relative times stay true). */
export function useNow(clock: Clock, everyMs = 1000): number {
  const [now, setNow] = useState(() => clock.now());
  useEffect(() => {
    let handle: unknown;
    const tick = () => {
      setNow(clock.now());
      handle = clock.setTimeout(tick, everyMs);
    };
    tick();
    return () => clock.clearTimeout(handle);
  }, [clock, everyMs]);
  return now;
}

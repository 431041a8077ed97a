import type { Session } from '@nexmo-session/core';
import { createContext, useContext } from 'react';

export const SessionContext = createContext<Session | null>(null);
SessionContext.displayName = 'NexmoSessionContext';

/** The session from the nearest SessionProvider; throws a clear error outside one. */
export function useSessionInstance(hookName = 'useSessionInstance'): Session {
  const session = useContext(SessionContext);
  if (!session) {
    throw new Error(`${hookName}() must be used inside <SessionProvider>. Wrap your app (or this component) in it.`);
  }
  return session;
}

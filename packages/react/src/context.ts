import type { Session } from '@nexmo-session/core';
import { createContext, useContext } from 'react';

/** Declared here, not from @types/node: the check below works where there is no `process` (errors.ts). */
// Bundlers replace process.env.NODE_ENV (Vite, webpack, esbuild, Rollup); Node has it.
declare const process: { env: { NODE_ENV?: string } };

export const SessionContext = createContext<Session | null>(null);
SessionContext.displayName = 'NexmoSessionContext';

/** The session from the nearest SessionProvider; throws a clear error outside one. */
export function useSessionInstance(hookName = 'useSessionInstance'): Session {
  const session = useContext(SessionContext);
  if (!session) {
    throw new Error(
      process.env.NODE_ENV !== 'production'
        ? `${hookName}() must be used inside <SessionProvider>. Wrap your app (or this component) in it.`
        : `${hookName}() outside <SessionProvider>`,
    );
  }
  return session;
}

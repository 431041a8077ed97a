/**
 * <SessionProvider session={s}>: the app owns the session.
 * <SessionProvider url fetchToken|token options>: the provider owns it: created once per mount,
 * logged in from an effect, destroyed on unmount.
 *
 * StrictMode runs effects, their cleanups, then the effects again on the same state. Destroying
 * in that first cleanup would close a socket only to open a second one, so the destroy is
 * deferred by one macrotask and cancelled when the effect runs again: one connection, ever.
 */
import type { Session, SessionOptions, WebSocketTransportOptions } from '@nexmo-session/core';
import { createSession, webSocketTransport } from '@nexmo-session/core';
import type { ReactNode } from 'react';
import { useEffect, useRef, useState } from 'react';
import { SessionContext } from './context.js';

export type ProviderSessionOptions = Omit<SessionOptions, 'transport' | 'token' | 'fetchToken'>;

export type SessionProviderProps =
  | { session: Session; children?: ReactNode }
  | {
      url: string;
      token?: string;
      fetchToken?: () => Promise<string>;
      options?: ProviderSessionOptions;
      /** Passed to webSocketTransport (e.g. `{ WebSocket }` outside browsers). */
      transportOptions?: WebSocketTransportOptions;
      /** Called if the provider's login fails (the error is also in the store). */
      onLoginError?: (error: unknown) => void;
      children?: ReactNode;
    };

export function SessionProvider(props: SessionProviderProps): ReactNode {
  if ('session' in props) {
    return <SessionContext.Provider value={props.session}>{props.children}</SessionContext.Provider>;
  }
  return <OwnedSessionProvider {...props} />;
}

function OwnedSessionProvider(props: Exclude<SessionProviderProps, { session: Session }>): ReactNode {
  // Created during render, but createSession has no side effects: no socket, timer or listener
  // exists until login(), which only runs in the effect below (and never on the server).
  const [session] = useState(() =>
    createSession({
      ...props.options,
      transport: webSocketTransport(props.url, props.transportOptions),
      ...(props.token !== undefined ? { token: props.token } : {}),
      ...(props.fetchToken !== undefined ? { fetchToken: props.fetchToken } : {}),
    }),
  );
  const pendingDestroy = useRef<ReturnType<typeof setTimeout> | null>(null);
  const onLoginError = useRef(props.onLoginError);
  onLoginError.current = props.onLoginError;

  useEffect(() => {
    if (pendingDestroy.current !== null) {
      clearTimeout(pendingDestroy.current); // StrictMode's re-run: keep the same session
      pendingDestroy.current = null;
    }
    if (session.getState().status === 'idle' && !session.destroyed) {
      session.login().catch((err: unknown) => onLoginError.current?.(err));
    }
    return () => {
      pendingDestroy.current = setTimeout(() => {
        pendingDestroy.current = null;
        session.destroy();
      }, 0);
    };
  }, [session]);

  return <SessionContext.Provider value={session}>{props.children}</SessionContext.Provider>;
}

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
import { createSession, SessionError, webSocketTransport } from '@nexmo-session/core';
import type { ReactNode } from 'react';
import { useEffect, useRef, useState } from 'react';
import { SessionContext } from './context.js';

/** Declared here, not from @types/node: the check below works where there is no `process` (errors.ts). */
// Bundlers replace process.env.NODE_ENV (Vite, webpack, esbuild, Rollup); Node has it.
declare const process: { env: { NODE_ENV?: string } };

export type ProviderSessionOptions = Omit<SessionOptions, 'transport' | 'token' | 'fetchToken'>;

/** What every provider-owned session takes besides its token source. */
interface OwnedSessionProps {
  url: string;
  options?: ProviderSessionOptions;
  /** Passed to webSocketTransport (e.g. `{ WebSocket }` outside browsers). */
  transportOptions?: WebSocketTransportOptions;
  /**
   * Share token fetches and sign-out with this user's other tabs (`true`, or `{ name }` to keep
   * apps on one origin apart). Read once, when the provider creates its session.
   */
  crossTab?: SessionOptions['crossTab'];
  /** Called if the provider's login fails (the error is also in the store). */
  onLoginError?: (error: unknown) => void;
  children?: ReactNode;
  session?: never;
}

/**
 * Either an app-owned `session`, or a `url` plus a way to get a token: `token`, `fetchToken`, or
 * both (then `fetchToken` refreshes the first token). A `url` with neither is a type error, since
 * such a provider could never log in.
 */
export type SessionProviderProps =
  | { session: Session; children?: ReactNode; url?: never; token?: never; fetchToken?: never }
  | (OwnedSessionProps & { token: string; fetchToken?: () => Promise<string> })
  | (OwnedSessionProps & { token?: string; fetchToken: () => Promise<string> });

type OwnedProviderProps = Exclude<SessionProviderProps, { session: Session }>;

/**
 * JavaScript callers get past the types. Without a token source the provider still logs in, with a
 * token source that fails at once and names the missing props, so the store says why (status
 * `disconnected`, `error:client:invalid_state`) instead of sitting at idle ("Signed out").
 */
const missingTokenSource = () =>
  Promise.reject(
    new SessionError(
      'error:client:invalid_state',
      process.env.NODE_ENV !== 'production'
        ? 'SessionProvider has a `url` but neither a `token` nor a `fetchToken` prop, so it cannot log in. ' +
            'Pass `token="<JWT>"`, `fetchToken={() => fetchMyToken()}`, or an app-owned `session`.'
        : '',
    ),
  );

export function SessionProvider(props: SessionProviderProps): ReactNode {
  if (props.session !== undefined) {
    return <SessionContext.Provider value={props.session}>{props.children}</SessionContext.Provider>;
  }
  return <OwnedSessionProvider {...props} />;
}

function OwnedSessionProvider(props: OwnedProviderProps): ReactNode {
  // Created during render, but createSession has no side effects: no socket, timer or listener
  // exists until login(), which only runs in the effect below (and never on the server).
  const [session] = useState(() => {
    const { token, fetchToken } = props;
    return createSession({
      ...props.options,
      ...(props.crossTab !== undefined ? { crossTab: props.crossTab } : {}),
      transport: webSocketTransport(props.url, props.transportOptions),
      ...(token !== undefined ? { token } : {}),
      ...(fetchToken !== undefined ? { fetchToken } : {}),
      ...(token === undefined && fetchToken === undefined ? { fetchToken: missingTokenSource } : {}),
    });
  });
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

import type {
  ConnectionStatus,
  Session,
  SessionEventName,
  SessionEvents,
  SessionState,
  TokenStatus,
} from '@nexmo-session/core';
import { useEffect, useMemo, useRef } from 'react';
import { useSessionInstance } from '../context.js';
import { shallowEqual, useStoreSlice } from './store-slice.js';

const identity = (s: SessionState) => s;

/**
 * A slice of the session state, through zustand's `useStore`; re-renders only when the slice
 * changes (per `isEqual`, default Object.is). A selector that builds a new object or array needs
 * an `isEqual` (`shallowEqual` for flat objects), as with zustand itself. Without a selector, the
 * whole state (re-renders on every change).
 */
export function useNexmoSession(): SessionState;
export function useNexmoSession<T>(selector: (state: SessionState) => T, isEqual?: (a: T, b: T) => boolean): T;
export function useNexmoSession<T>(
  selector: (state: SessionState) => T = identity as (state: SessionState) => T,
  isEqual?: (a: T, b: T) => boolean,
): T {
  const session = useSessionInstance('useNexmoSession');
  return useStoreSlice(session.store, selector, isEqual);
}

export interface SessionActions {
  login: Session['login'];
  connect: Session['connect'];
  retryNow: Session['retryNow'];
  updateToken: Session['updateToken'];
  refreshToken: Session['refreshToken'];
  logout: Session['logout'];
  send: Session['send'];
}

/** Stable action functions (same identity across renders) for the current session. */
export function useSessionActions(): SessionActions {
  const session = useSessionInstance('useSessionActions');
  return useMemo(
    () => ({
      login: session.login,
      connect: session.connect,
      retryNow: session.retryNow,
      updateToken: session.updateToken,
      refreshToken: session.refreshToken,
      logout: session.logout,
      send: session.send,
    }),
    [session],
  );
}

const selectStatus = (s: SessionState) => s.status;
export function useConnectionStatus(): ConnectionStatus {
  const session = useSessionInstance('useConnectionStatus');
  return useStoreSlice(session.store, selectStatus);
}

const selectToken = (s: SessionState) => ({ tokenStatus: s.tokenStatus, tokenExpiresAt: s.tokenExpiresAt });
export function useTokenExpiry(): { tokenStatus: TokenStatus; tokenExpiresAt: number | null } {
  const session = useSessionInstance('useTokenExpiry');
  return useStoreSlice(session.store, selectToken, shallowEqual);
}

/** Subscribe to a session event; the latest handler is always called, the subscription is made once. */
export function useSessionEvent<K extends SessionEventName>(
  name: K,
  handler: (...args: SessionEvents[K]) => void,
): void {
  const session = useSessionInstance('useSessionEvent');
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  useEffect(() => session.on(name, (...args) => latest.current(...args)), [session, name]);
}

/**
 * The whole binding: one useSyncExternalStore call (as in zustand/react), plus a per-component
 * cache so a selector that returns an equal value (per `isEqual`) does not re-render.
 * The server snapshot is the store's initial state, so SSR renders the idle state.
 */
import type { ReadonlyStore } from '@nexmo-session/core';
import { useCallback, useRef, useSyncExternalStore } from 'react';

interface Cache<S, T> {
  state: S;
  selector: (state: S) => T;
  value: T;
}

export function useStoreSelector<S, T>(
  store: ReadonlyStore<S>,
  selector: (state: S) => T,
  isEqual: (a: T, b: T) => boolean = Object.is,
): T {
  const cache = useRef<Cache<S, T> | null>(null);
  const serverCache = useRef<Cache<S, T> | null>(null);

  const select = (ref: { current: Cache<S, T> | null }, state: S): T => {
    const c = ref.current;
    if (c && c.state === state && c.selector === selector) return c.value;
    const next = selector(state);
    if (c && isEqual(c.value, next)) {
      ref.current = { state, selector, value: c.value };
      return c.value;
    }
    ref.current = { state, selector, value: next };
    return next;
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: select reads selector/isEqual through the cache
  const getSnapshot = useCallback(() => select(cache, store.getState()), [store, selector, isEqual]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: as above
  const getServerSnapshot = useCallback(() => select(serverCache, store.getInitialState()), [store, selector, isEqual]);
  return useSyncExternalStore(store.subscribe, getSnapshot, getServerSnapshot);
}

/** Shallow equality for selectors that return small objects. */
export function shallowEqual<T>(a: T, b: T): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.is((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * How every hook and component reads the store: zustand's own `useStore` (one
 * useSyncExternalStore call, the initial state as the server snapshot). A custom equality goes
 * through the recipe of zustand's `useShallow`: the selector hands back its previous result while
 * `isEqual` says nothing changed, so useSyncExternalStore sees the same value and skips the render.
 * (`useStoreWithEqualityFn` from `zustand/traditional` does the same through the
 * use-sync-external-store shim, which adds 1.2 kB min+gz to every app for React 16/17 fallbacks
 * the peer range excludes; docs/decisions.md.)
 */
import type { ReadonlyStore } from '@nexmo-session/core';
import { useRef } from 'react';
import { useStore } from 'zustand';

const none: unique symbol = Symbol('none');

export function useStoreSlice<S, T>(
  store: ReadonlyStore<S>,
  selector: (state: S) => T,
  isEqual?: (a: T, b: T) => boolean,
): T {
  const previous = useRef<T | typeof none>(none);
  return useStore(
    store,
    isEqual
      ? (state: S) => {
          const next = selector(state);
          const last = previous.current;
          if (last !== none && isEqual(last, next)) return last;
          previous.current = next;
          return next;
        }
      : selector,
  );
}

/** Shallow equality for selectors that return small objects. */
export function shallowEqual<T>(a: T, b: T): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => Object.is((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
